package main

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// TestAssert: assert() of bpftrace's standard library (stdlib/base.bt)
// reports a failed condition where bpftrace's does, and where the script
// called it, and exits with 1; a condition that holds does nothing.
func TestAssert(t *testing.T) {
	script := `BEGIN { $x = 2; assert($x == 2, "fine"); assert($x > 5, "x is small"); printf("not reached\n"); }`
	stdout, stderr, code := runStreams(t, "-q", "-e", script)
	want := "stdlib/base.bt:6:5-37: ERROR: assert failed: x is small\nstdin:1:42-70: ERROR: expanded from\n"
	if code != 1 || !strings.HasPrefix(stderr, want) || strings.Contains(stdout, "not reached") {
		t.Errorf("exit %d, stdout %q, stderr %q, want it to begin %q", code, stdout, stderr, want)
	}
	runConstructs(t, []construct{{
		name:   "is_err",
		script: `BEGIN { printf("%d %d %d %d\n", is_err((int8 *)(int64)-2), is_err((int8 *)(int64)-4095), is_err((uint64)-4096), is_err((int8 *)0)); exit(); }`,
		out:    "1 1 0 0\n",
	}})
}

// TestDebugf: debugf() writes through bpf_trace_printk into the kernel's
// trace buffer, integers and strings (literals and variables) formatted
// by the kernel.
func TestDebugf(t *testing.T) {
	const trace = "/sys/kernel/debug/tracing/trace"
	tag := "hawk-debugf-" + strconv.Itoa(os.Getpid())
	script := `interval:ms:10 { $v = "var"; debugf("` + tag + ` %s %d %x", "lit", -1, 16); debugf("` + tag + ` %s|%lld|%u", $v, (int64)-5, 7); exit(); }`
	_, stderr, code := runStreams(t, "-q", "-e", script)
	if code != 0 || !strings.Contains(stderr, "warning: debugf() writes to the kernel's trace buffer") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	b, err := os.ReadFile(trace)
	if err != nil {
		kerneltest.Missing(t, "no trace buffer to read: %v", err)
	}
	for _, want := range []string{"bpf_trace_printk: " + tag + " lit -1 10\n", "bpf_trace_printk: " + tag + " var|-5|7\n"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the trace buffer lacks %q", want)
		}
	}
}

// TestCompileTimeHelpers: the type predicates, is_literal, the kfunc
// checks and __builtin_safe_mode are constants; static_assert, fail and
// assert_str in code that runs pass or refuse the script, and in code a
// constant condition rules out do nothing.
func TestCompileTimeHelpers(t *testing.T) {
	runConstructs(t, []construct{
		{
			name: "predicates",
			script: `BEGIN { $s = "x"; $p = (int8 *)0; $a = (uint8[4])0;
				printf("%d%d %d%d %d%d %d%d %d%d%d %d%d%d%d\n", is_str($s), is_str(1), is_ptr($p), is_ptr(1), is_array($a), is_array($s),
				is_integer(1), is_integer($s), is_unsigned_integer((uint8)1), is_unsigned_integer(1), is_unsigned_integer($p),
				is_literal(1), is_literal(-1), is_literal("a"), is_literal($s)); exit(); }`,
			out: "10 10 10 10 100 1110\n",
		},
		{
			name:   "kfuncs",
			script: `interval:ms:1 { printf("%d %d %d %d %d\n", kfunc_exist("bpf_task_from_pid"), kfunc_exist("hawk_no_such_kfunc"), kfunc_allowed("bpf_task_from_pid"), __builtin_kfunc_allowed("hawk_no_such_kfunc"), __builtin_safe_mode); exit(); }`,
			out:    "1 0 1 0 1\n",
		},
		{
			name:   "signal_num",
			script: `BEGIN { printf("%d %d %d\n", __builtin_signal_num("SIGINT"), __builtin_signal_num("kill"), __builtin_signal_num("10")); exit(); }`,
			out:    "2 9 10\n",
		},
		{
			name:   "kfunc_not_allowed",
			script: `BEGIN { printf("%d\n", kfunc_allowed("bpf_task_from_pid")); exit(); }`,
			out:    "0\n",
		},
		{
			name: "if_comptime",
			script: `macro kind(x) { if comptime is_str(x) { "string" } else if comptime (is_integer(x)) { "integer" } else { fail("no kind"); "" } }
				BEGIN { printf("%s %s\n", kind("a"), kind(1)); exit(); }`,
			out: "string integer\n",
		},
		{
			name: "dead_code",
			script: `macro need_str(x) { if (!is_str(x)) { fail("need a string, not %d", x); } static_assert(is_literal(x), "a literal"); assert_str(x); x }
				BEGIN { printf("%s %d\n", need_str("ok"), sizeof(need_str("ab"))); static_assert(1 < 2, "order"); exit(); }`,
			out: "ok 3\n",
		},
	})
	for script, want := range map[string]string{
		`macro need_str(x) { if (!is_str(x)) { fail("need a string, not %d", x); } x } BEGIN { need_str(5); }`: "error: need a string, not 5",
		`BEGIN { static_assert(sizeof(int32) == 8, "int32 is 4 bytes"); }`:                                     "error: static assertion failed: int32 is 4 bytes",
		`BEGIN { if ($1 < 2) { fail("want $1 > 1, got %d", $1); } }`:                                           "error: want $1 > 1, got 1",
	} {
		_, stderr, code := runStreams(t, "-e", script, "1")
		if code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d, stderr:\n%s\nwant %q", script, code, stderr, want)
		}
	}
}

// TestCtxEverywhere: ctx is the context the kernel passes every probe's
// program, a void * the script casts: an interval probe's first word is
// the pointer to its registers, a kernel address; a tracepoint's record
// begins with its common_type.
func TestCtxEverywhere(t *testing.T) {
	runConstructs(t, []construct{
		{
			name:   "interval",
			script: `struct x { unsigned long x; } interval:ms:1 { printf("%d\n", ((struct x *)ctx).x > 0xffff000000000000); exit(); }`,
			out:    "1\n",
		},
		{
			name:    "tracepoint",
			script:  `tracepoint:sched:sched_process_exec { printf("%d\n", *(uint16 *)ctx == ((struct trace_entry *)ctx)->type && *(uint16 *)ctx != 0); exit(); }`,
			trigger: []string{"true"},
			out:     "1\n",
		},
	})
}

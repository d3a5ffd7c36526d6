package codegen_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cilium/ebpf"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/bigscript"
	"github.com/hawktrace/hawk/internal/golden"
	"github.com/hawktrace/hawk/internal/testenv"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
	"github.com/hawktrace/hawk/runtime/kernel"
)

// compile runs the whole front end and code generation on text.
func compile(t testing.TB, name, text string) *codegen.Output {
	t.Helper()
	return compileWith(t, testenv.Env{}, name, text, []string{"7"})
}

// TestListingGolden compiles each testdata/*.bt, one feature each, and
// compares the listing with its .golden file (go test -update rewrites them).
func TestListingGolden(t *testing.T) {
	golden.ForEach(t, "testdata/*.bt", func(t *testing.T, file, text string) {
		var b strings.Builder
		codegen.Fprint(&b, compile(t, filepath.Base(file), text))
		golden.Check(t, strings.TrimSuffix(file, ".bt")+".golden", b.String())
	})
}

// TestEveryBuiltinIsWired compiles a use of every builtin variable and
// function in the tables of lang.
func TestEveryBuiltinIsWired(t *testing.T) {
	uses := map[string]string{
		"args":        `tracepoint:syscalls:sys_enter_openat { printf("%d\n", args.dfd); }`,
		"comm":        `BEGIN { printf("%s\n", comm); }`,
		"username":    `BEGIN { printf("%s\n", username); }`,
		"probe":       `BEGIN { printf("%s\n", probe); }`,
		"kstack":      `tracepoint:sched:sched_switch { @[kstack] = count(); }`,
		"printf":      `BEGIN { printf("x\n"); }`,
		"str":         `tracepoint:syscalls:sys_enter_openat { printf("%s\n", str(args.filename)); }`,
		"count":       `BEGIN { @c = count(); }`,
		"sum":         `BEGIN { @s = sum(5); }`,
		"avg":         `BEGIN { @s = avg(5); }`,
		"min":         `BEGIN { @s = min(5); }`,
		"max":         `BEGIN { @s = max(5); }`,
		"stats":       `BEGIN { @s = stats(5); }`,
		"hist":        `BEGIN { @h = hist(5); }`,
		"lhist":       `BEGIN { @h[1] = lhist(5, 0, 100, 10); }`,
		"exit":        `BEGIN { exit(); }`,
		"strncmp":     `BEGIN { printf("%d\n", strncmp(comm, "ab", 2)); }`,
		"strcontains": `BEGIN { printf("%d\n", strcontains(comm, "ab")); }`,
		"strlen":      `BEGIN { printf("%d\n", strlen(comm)); }`,
		"strstr":      `BEGIN { printf("%d\n", strstr(comm, "ab")); }`,
		"buf":         `BEGIN { printf("%r\n", buf(curtask, 8)); }`,
		"kptr":        `BEGIN { printf("%p\n", kptr(curtask)); }`,
		"uptr":        `BEGIN { printf("%p\n", uptr(curtask)); }`,
		"bswap":       `BEGIN { printf("%d\n", bswap((uint32)1)); }`,
		"print":       `BEGIN { @a = 1; print(@a); print(1); }`,
		"clear":       `BEGIN { @a[1] = 1; clear(@a); }`,
		"zero":        `BEGIN { @a[1] = 1; zero(@a); }`,
		"delete":      `BEGIN { @a[1] = 1; delete(@a[1]); delete(@a, 1); }`,
		"has_key":     `BEGIN { @a[1] = 1; printf("%d\n", has_key(@a, 1)); }`,
		"len":         `BEGIN { @a[1] = 1; printf("%d\n", len(@a)); }`,
		"time":        `BEGIN { time(); time("%H\n"); }`,
		"join":        `tracepoint:sched:sched_switch { join((uint64)curtask); }`,
		"kaddr":       `BEGIN { printf("%d\n", kaddr("avenrun")); }`,
		"ntop":        `BEGIN { printf("%s\n", ntop(0x0100007f)); }`,
		"ksym":        `BEGIN { printf("%s\n", ksym(0)); }`,
		"ustack":      `tracepoint:sched:sched_switch { @[ustack] = count(); @u[ustack(perf, 3)] = count(); }`,
		"cat":         `BEGIN { cat("/proc/%d/maps", pid); }`,
		"system":      `BEGIN { system("echo %s", comm); }`,
		"errorf":      `BEGIN { errorf("bad %d", pid); }`,
		"warnf":       `BEGIN { warnf("odd %d", pid); }`,
		"signal":      `tracepoint:sched:sched_switch { signal("SIGUSR1"); signal(10); }`,
		"strftime":    `BEGIN { printf("%s\n", strftime("%H:%M:%S", nsecs)); @t[strftime("%H", nsecs)] = 1; }`,
		"ctx":         `iter:task { printf("%d\n", ctx->task->pid); }`,
		"probetype":   `BEGIN { printf("%s\n", probetype); }`,
		"usermode":    `profile:hz:99 { printf("%d\n", usermode); }`,
		"config":      `BEGIN { printf("%d %s\n", config.max_strlen, config().stack_mode); }`,
		// value functions (issue 14)
		"pcomm":              `BEGIN { printf("%s %s\n", pcomm, pcomm(curtask)); }`,
		"leader_comm":        `BEGIN { printf("%s %s\n", leader_comm, leader_comm(curtask)); }`,
		"strerror":           `BEGIN { printf("%s\n", strerror(pid)); }`,
		"signal_name":        `BEGIN { printf("%s\n", signal_name(pid)); }`,
		"syscall_name":       `BEGIN { @[syscall_name(pid)] = 1; }`,
		"container_of":       `struct Foo { int m; int n; } BEGIN { printf("%d\n", container_of((int32 *)curtask, typeof(struct Foo), n)->m); }`,
		"default_str_length": `BEGIN { printf("%d\n", default_str_length()); }`,
		"strcap":             `BEGIN { printf("%d %d\n", strcap(comm), strcap((int8 *)curtask)); }`,
		"memcmp":             `BEGIN { printf("%d\n", memcmp(comm, "hawk", 4) + memcmp(pid, tid, 4)); }`,
		"str_concat":         `BEGIN { printf("%s\n", str_concat(comm, "x")); @[str_concat("a", comm)] = 1; }`,
		"find":               `BEGIN { @m[1] = (2, "x"); let $v; if (find(@m, 1, $v)) { print($v); } }`,
		"path":               `iter:task_file { printf("%s\n", path(ctx.file->f_path)); @[path(&ctx.file->f_path, 16)] = 1; }`,
		"macaddr":            `BEGIN { printf("%s\n", macaddr(curtask->comm)); @[macaddr(curtask)] = 1; }`,
	}
	// uaddr() reads a symbol of the traced binary: libc's environ.
	libc, err := kernel.FindBinary("libc")
	if err != nil {
		t.Fatal(err)
	}
	uses["uaddr"] = `uprobe:` + libc + `:malloc { printf("%d\n", *uaddr("environ")); }`
	uses["usym"] = `uprobe:` + libc + `:malloc { printf("%s\n", usym(arg1)); @[usym(arg0)] = count(); }`
	uses["reg"] = `uprobe:` + libc + `:malloc { printf("%d\n", reg("di") + reg("pc")); }`
	uses["pton"] = `BEGIN { printf("%d %s %s\n", (uint32)pton("127.0.0.1"), ntop(pton("::1")), ntop(2, pton("10.0.0.1"))); }`
	uses["tseries"] = `BEGIN { @a = tseries(1, 1s, 5); @b[comm] = tseries(nsecs, 100ms, 10, "avg"); print(@a); clear(@b); }`
	uses["getopt"] = `BEGIN { printf("%d %d %d %s\n", getopt("a"), getopt("b", 1), getopt("c", -1), getopt("d", "s")); }`
	// Compile-time helpers and diagnostics (issue 14, stdlibmeta).
	uses["debugf"] = `BEGIN { debugf("%s %d", comm, pid); }`
	uses["static_assert"] = `BEGIN { static_assert(1 == 1, "one"); }`
	uses["fail"] = `BEGIN { if (0) { fail("no %d", 1); } }`
	uses["assert_str"] = `BEGIN { assert_str(comm); }`
	for _, f := range []string{"is_str", "is_ptr", "is_array", "is_integer", "is_unsigned_integer", "is_literal"} {
		uses[f] = `BEGIN { printf("%d\n", ` + f + `(comm)); }`
	}
	uses["kfunc_exist"] = `BEGIN { printf("%d\n", kfunc_exist("bpf_task_from_pid")); }`
	uses["kfunc_allowed"] = `BEGIN { printf("%d\n", kfunc_allowed("bpf_task_from_pid")); }`
	uses["signal_num"] = `BEGIN { printf("%d\n", __builtin_signal_num("SIGINT")); }`
	// functions that reach into the kernel (issue 14, kernelfns)
	uses["write_user"] = `tracepoint:syscalls:sys_enter_openat { $s = "x"; @ok = write_user(args.filename, $s, 1) && write_user(args.filename, "ab", pid); }`
	uses["signal_thread"] = `tracepoint:sched:sched_switch { signal_thread("SIGUSR1"); signal_thread(10); }`
	uses["override"] = `kprobe:vfs_read { override(-1); }`
	uses["unwatch"] = `BEGIN { unwatch(0x1000); }`
	uses["socket_cookie"] = `rawtracepoint:sched_switch { @c[socket_cookie(args.prev)] = count(); }`
	uses["skboutput"] = `rawtracepoint:sched_switch { @r = skboutput("out.pcap", args.next, 64, 14); }`
	uses["percpu_kaddr"] = `BEGIN { printf("%d %d\n", *percpu_kaddr("process_counts"), *percpu_kaddr("process_counts", 1)); }`
	uses["cgroup_path"] = `BEGIN { printf("%s\n", cgroup_path(cgroup)); @p[cgroup_path(1, "unified")] = 1; }`
	uses["cgroupid"] = `BEGIN { printf("%d\n", cgroupid("/sys/fs/cgroup")); }`
	// dw_ustack (issue 14)
	uses["dw_ustack"] = `BEGIN { printf("%s\n", dw_ustack); }`
	// Builtins of probe kinds hawk does not attach yet are known names,
	// refused with a message.
	refused := map[string]bool{"func": true, "retval": true, "arg0": true}
	var names []string
	for _, b := range lang.Builtins() {
		names = append(names, b.String())
	}
	for _, f := range lang.Funcs() {
		names = append(names, f.String())
	}
	for _, name := range names {
		text, ok := uses[name]
		if !ok {
			text = `BEGIN { printf("%d\n", ` + name + `); }`
		}
		t.Run(name, func(t *testing.T) {
			prog, err := lang.Parse(lang.NewSource(name, text))
			if err != nil {
				t.Fatal(err)
			}
			info, err := lang.Check(prog, testenv.Env{}, lang.Config{Unsafe: true, Child: true})
			if refused[name] {
				if err == nil || !strings.Contains(err.Error(), "is not available in BEGIN probes") {
					t.Errorf("got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, err := codegen.Generate(prog, info, codegen.Options{}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// programTypes is the kernel program type each probe kind must compile
// to, written out apart from codegen's table.
var programTypes = map[lang.ProbeKind]ebpf.ProgramType{
	lang.ProbeBegin: ebpf.RawTracepoint, lang.ProbeEnd: ebpf.RawTracepoint,
	lang.ProbeInterval: ebpf.PerfEvent, lang.ProbeProfile: ebpf.PerfEvent, lang.ProbeSoftware: ebpf.PerfEvent,
	lang.ProbeHardware: ebpf.PerfEvent, lang.ProbeWatchpoint: ebpf.PerfEvent,
	lang.ProbeTracepoint: ebpf.TracePoint, lang.ProbeRawtracepoint: ebpf.RawTracepoint,
	lang.ProbeKprobe: ebpf.Kprobe, lang.ProbeKretprobe: ebpf.Kprobe, lang.ProbeUprobe: ebpf.Kprobe,
	lang.ProbeUretprobe: ebpf.Kprobe, lang.ProbeUsdt: ebpf.Kprobe,
	lang.ProbeFentry: ebpf.Tracing, lang.ProbeFexit: ebpf.Tracing, lang.ProbeIter: ebpf.Tracing,
	lang.ProbeSelf: ebpf.RawTracepoint, lang.ProbeTest: ebpf.XDP, lang.ProbeBench: ebpf.XDP,
}

// TestEveryProbeKindIsWired: every probe kind lang knows parses, checks
// with its own context fields, compiles to a program of a type codegen
// knows, and is one the runtime attaches.
func TestEveryProbeKindIsWired(t *testing.T) {
	examples := map[lang.ProbeKind]string{
		lang.ProbeBegin:         "BEGIN { @[cpu] = count(); }",
		lang.ProbeEnd:           "END { @[cpu] = count(); }",
		lang.ProbeInterval:      "interval:ms:100 { @[cpu] = count(); }",
		lang.ProbeProfile:       "profile:hz:99 { @[kstack] = count(); }",
		lang.ProbeSoftware:      "software:faults:10 { @[ustack] = count(); }",
		lang.ProbeHardware:      "hardware:cycles { @[comm] = count(); }",
		lang.ProbeTracepoint:    "tracepoint:sched:sched_switch { @[args.prev_pid] = count(); }",
		lang.ProbeRawtracepoint: "rawtracepoint:sched_switch { @[args.next->pid, arg0] = count(); }",
		lang.ProbeKprobe:        "kprobe:do_nanosleep { @[func, arg0] = count(); }",
		lang.ProbeKretprobe:     "kretprobe:do_nanosleep { @[func] = sum(retval); }",
		lang.ProbeFentry:        "fentry:vfs_read { @[func] = sum(args.count); }",
		lang.ProbeFexit:         "fexit:vfs_read { @ = hist(retval); }",
		lang.ProbeUprobe:        "uprobe:/bin/bash:readline { @[arg0] = count(); }",
		lang.ProbeUretprobe:     "uretprobe:/bin/bash:readline { @[retval] = count(); }",
		lang.ProbeUsdt:          "usdt:/usr/lib/x86_64-linux-gnu/libstdc++.so.6:libstdcxx:throw { @[arg0, arg1] = count(); }",
		lang.ProbeWatchpoint:    "watchpoint:0x10000000:8:rw { @[comm] = count(); }",
		lang.ProbeIter:          "iter:task { @[ctx->task->pid] = count(); }",
		lang.ProbeSelf:          "self:signal:SIGUSR1 { @[cpu] = count(); }",
		lang.ProbeTest:          "test:sum { @[cpu] = sum(2); }",
		lang.ProbeBench:         "bench:count { @ = count(); }",
	}
	for _, k := range lang.ProbeKinds() {
		text, ok := examples[k]
		if !ok {
			t.Errorf("no example of probe kind %v", k)
			continue
		}
		out := compile(t, k.String(), text)
		p := out.Manifest.Programs[0]
		if p.Kind != k {
			t.Errorf("%s: program kind %v", text, p.Kind)
		}
		if _, ok := codegen.ProgramType(k); !ok {
			t.Errorf("codegen's table has no %v", k)
		}
		if got, want := out.Spec.Programs[p.Name].Type, programTypes[k]; got != want {
			t.Errorf("%s: program type %v, want %v", text, got, want)
		}
		if !runtime.CanAttach(k) {
			t.Errorf("the runtime cannot attach %v probes", k)
		}
	}
}

// TestStackLimit: a probe needing more than 512 bytes of stack is refused
// at compile time, naming the probe.
func TestStackLimit(t *testing.T) {
	// Each level keeps its left operand while the right one calls helpers:
	// registers run out, then stack slots do.
	text := "BEGIN { @x = " + strings.Repeat("nsecs + (", 80) + "1" + strings.Repeat(")", 80) + "; }"
	prog, _ := lang.Parse(lang.NewSource("-e", text))
	info, err := lang.Check(prog, testenv.Env{}, lang.Config{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = codegen.Generate(prog, info, codegen.Options{})
	if err == nil || !strings.Contains(err.Error(), "bytes of stack, more than the kernel's 512") {
		t.Errorf("got %v", err)
	}
}

// TestStackLimitCallbacks: a loop's callback has a frame of its own (where
// its deep expressions spill), which the kernel adds to the program's: a
// probe whose frames add up to more than 512 bytes is refused at compile
// time, at the probe, with fewer values on the program's own stack than
// when the callback needs no frame.
func TestStackLimitCallbacks(t *testing.T) {
	// first is how deep the program's own expression is when the probe is
	// first refused.
	first := func(spill bool) int {
		for n := 40; n < 100; n++ {
			_, err := generate(testenv.Env{}, "-e", callbackStackScript(n, spill), lang.Config{})
			if err == nil {
				continue
			}
			if n == 40 || !strings.HasPrefix(err.Error(), "-e:1:1: error: this probe needs ") ||
				!strings.Contains(err.Error(), " bytes of stack, more than the kernel's 512\n") {
				t.Fatalf("%d levels: %v", n, err)
			}
			return n
		}
		t.Fatal("no program was too large")
		return 0
	}
	if with, without := first(true), first(false); with >= without {
		t.Errorf("refused from %d levels with a callback's frame, %d without", with, without)
	}
}

// callbackStackScript keeps n values on the program's stack while an
// expression calls helpers, and has a loop, whose callback, with spill,
// spills values to its own frame.
func callbackStackScript(n int, spill bool) string {
	deep := 0
	if spill {
		deep = 8
	}
	return "BEGIN { $a = 1; $i = 0; @x = " + strings.Repeat("nsecs + (", n) + "1" + strings.Repeat(")", n) +
		"; while ($i < 1) { $i++; @r = " + strings.Repeat("$a + (", deep) + "$a" + strings.Repeat(")", deep) + "; } exit(); }"
}

// TestInstructionLimit: nested unrolls past the kernel's million
// instructions are refused at compile time, naming the probe.
func TestInstructionLimit(t *testing.T) {
	text := "BEGIN { $i = 0; unroll(100) { unroll(100) { unroll(100) { $i += 1; @x[$i] = $i; } } } }"
	prog, _ := lang.Parse(lang.NewSource("-e", text))
	info, err := lang.Check(prog, testenv.Env{}, lang.Config{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = codegen.Generate(prog, info, codegen.Options{})
	if err == nil || !strings.Contains(err.Error(), "-e:1:1: error: program too large (") ||
		!strings.Contains(err.Error(), " instructions, limit 1000000)\n") || !strings.Contains(err.Error(), "^~~~~") {
		t.Errorf("got %v", err)
	}
}

// TestInstructionLimitStopsEarly: a script of many more statements than a
// program holds is refused once compiling passes the limit, not after
// compiling all of it (200,000 statements took 6 s and 780 MB).
func TestInstructionLimitStopsEarly(t *testing.T) {
	for _, text := range []string{
		"BEGIN { " + strings.Repeat("@a = 1; ", 80_000) + "}",
		"BEGIN { if (nsecs > 0) { " + strings.Repeat("@a = 1; ", 80_000) + "} }",
		"BEGIN { unroll(100) { " + strings.Repeat("@a = 1; ", 2_000) + "} }",
	} {
		prog, _ := lang.Parse(lang.NewSource("-e", text))
		info, err := lang.Check(prog, testenv.Env{}, lang.Config{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = codegen.Generate(prog, info, codegen.Options{})
		m := regexp.MustCompile(`-e:1:1: error: program too large \(over (\d+) instructions, limit 1000000\)`).FindStringSubmatch(fmt.Sprint(err))
		if m == nil {
			t.Fatalf("%.40s...: got %v", text, err)
		}
		if n, _ := strconv.Atoi(m[1]); n > codegen.MaxInsns+1000 {
			t.Errorf("%.40s...: compiled %d instructions before stopping", text, n)
		}
	}
}

// TestFunctionLimit: a probe with more loops than the kernel takes
// callbacks is refused at the probe ("too many subprograms" came from the
// verifier, with no position).
func TestFunctionLimit(t *testing.T) {
	loops := func(n int) string {
		var b strings.Builder
		b.WriteString("BEGIN { $i = 0;")
		for k := range n {
			fmt.Fprintf(&b, " while ($i < %d) { $i++; }", k)
		}
		b.WriteString(" }")
		return b.String()
	}
	for _, tc := range []struct {
		loops int
		want  string
	}{
		{codegen.MaxFuncs - 1, ""},
		{codegen.MaxFuncs, "-e:1:1: error: this probe needs 257 functions (itself and a callback for each loop), more than the kernel's 256\n"},
	} {
		prog, _ := lang.Parse(lang.NewSource("-e", loops(tc.loops)))
		info, err := lang.Check(prog, testenv.Env{}, lang.Config{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = codegen.Generate(prog, info, codegen.Options{})
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.want)) {
			t.Errorf("%d loops: got %v, want %q", tc.loops, err, tc.want)
		}
	}
}

// FuzzGenerate compiles arbitrary text: whatever passes the checker must
// compile without an internal error, to programs that read no memory
// before writing it (initcheck). The seeds are the test scripts and
// deeply nested expressions of every kind (nesting_test.go).
func FuzzGenerate(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.bt")
	corpus, _ := filepath.Glob("testdata/initcheck/*.bt")
	seeds = append(seeds, corpus...)
	more, _ := filepath.Glob("../lang/testdata/parse/*.bt")
	for _, s := range append(seeds, more...) {
		if text, err := os.ReadFile(s); err == nil {
			f.Add(string(text))
		}
	}
	for _, text := range nestingSeeds() {
		f.Add(text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		prog, err := lang.Parse(lang.NewSource("fuzz", text))
		if err != nil {
			return
		}
		info, err := lang.Check(prog, testenv.Env{}, lang.Config{Params: []string{"1", "x"}})
		if err != nil {
			return
		}
		out, err := codegen.Generate(prog, info, codegen.Options{})
		if err != nil && strings.Contains(err.Error(), "internal") {
			t.Fatalf("%v\n%s", err, text)
		}
		if err == nil {
			if leaks := initLeaks(out); len(leaks) > 0 {
				t.Fatalf("%s\n%s", strings.Join(leaks, "\n"), text)
			}
		}
	})
}

// TestSyscallTracepointPrograms: syscall tracepoints run from the raw
// tracepoints sys_enter and sys_exit (non-BTF raw tracepoint programs), however many programs share one
// (they run from a dispatcher, TestSyscallDispatchers), unless the
// kernel has no BTF (PerfSyscalls).
func TestSyscallTracepointPrograms(t *testing.T) {
	for _, tc := range []struct {
		text string
		opts codegen.Options
		want []ebpf.ProgramType
	}{
		{`t:syscalls:sys_enter_openat, t:syscalls:sys_enter_open { @ = count(); } t:syscalls:sys_exit_openat { @r = hist(args.ret); } t:sched:sched_switch { @s = count(); }`,
			codegen.Options{}, []ebpf.ProgramType{ebpf.RawTracepoint, ebpf.RawTracepoint, ebpf.TracePoint}},
		{`t:syscalls:sys_enter_openat { @[probe] = count(); } t:syscalls:sys_enter_read { @r = count(); }`,
			codegen.Options{}, []ebpf.ProgramType{ebpf.RawTracepoint, ebpf.RawTracepoint}},
		{`t:syscalls:sys_enter_openat { @ = count(); }`, codegen.Options{PerfSyscalls: true}, []ebpf.ProgramType{ebpf.TracePoint}},
		// comm(pid) calls kfuncs, which raw tracepoint programs may not:
		// its program, and the dispatcher running it, are tp_btf ones.
		{`t:syscalls:sys_enter_openat { printf("%s\n", comm(pid)); }`, codegen.Options{}, []ebpf.ProgramType{ebpf.Tracing}},
		{`t:syscalls:sys_enter_openat { printf("%s\n", comm(pid)); } t:syscalls:sys_enter_read { @r = count(); }`,
			codegen.Options{}, []ebpf.ProgramType{ebpf.Tracing, ebpf.Tracing}},
		// raw_syscalls reading id and ret: the raw tracepoints pass them.
		{`t:raw_syscalls:sys_enter { @[args.id] = count(); } t:raw_syscalls:sys_exit { @r = sum(args.ret); }`,
			codegen.Options{}, []ebpf.ProgramType{ebpf.RawTracepoint, ebpf.RawTracepoint}},
	} {
		out := generateWith(t, tc.text, tc.opts)
		var got []ebpf.ProgramType
		for _, p := range out.Manifest.Programs {
			got = append(got, out.Spec.Programs[p.Name].Type)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: program types %v, want %v", tc.text, got, tc.want)
		}
	}
}

// TestTracingProgramsPerFunction: fentry and fexit programs are bound to
// one function when they load, so each function of a probe gets its own.
func TestTracingProgramsPerFunction(t *testing.T) {
	out := compile(t, "fentry", `fentry:vfs_read, fentry:vfs_write { @ = count(); } fexit:vfs_* { @r = count(); }`)
	var targets []string
	for _, p := range out.Manifest.Programs {
		targets = append(targets, out.Spec.Programs[p.Name].AttachTo)
	}
	want := []string{"vfs_read", "vfs_write", "vfs_open", "vfs_read", "vfs_readv", "vfs_write"}
	if !slices.Equal(targets, want) {
		t.Errorf("programs attach to %v, want %v", targets, want)
	}
}

// TestMapLimit: a probe using more maps than the kernel lets one program
// use is refused at the probe (the verifier's "total number of maps per
// program has reached the limit" had no position); one fewer compiles.
func TestMapLimit(t *testing.T) {
	most := mostMaps(t)
	prog, _ := lang.Parse(lang.NewSource("-e", bigscript.ManyMaps(most+1)))
	info, err := lang.Check(prog, testenv.Env{}, lang.Config{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = codegen.Generate(prog, info, codegen.Options{})
	want := fmt.Sprintf("-e:1:1: error: this probe uses %d maps (the script's and hawk's own), more than the kernel's %d per program\n", codegen.MaxMaps+1, codegen.MaxMaps)
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("%d maps: got %v, want %q", most+1, err, want)
	}
}

// mostMaps is the most script maps manyMaps can use and still compile:
// the kernel's limit less hawk's own maps.
func mostMaps(t *testing.T) int {
	for n := codegen.MaxMaps; n > 0; n-- {
		prog, _ := lang.Parse(lang.NewSource("-e", bigscript.ManyMaps(n)))
		info, err := lang.Check(prog, testenv.Env{}, lang.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := codegen.Generate(prog, info, codegen.Options{}); err == nil {
			if n < codegen.MaxMaps-4 {
				t.Fatalf("only %d maps compile", n)
			}
			return n
		}
	}
	t.Fatal("no number of maps compiles")
	return 0
}

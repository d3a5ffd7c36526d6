package repl

import (
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/internal/testenv"
)

// TestCompleteTyped completes what the checker types: struct members
// after -> and ., a tracepoint's args in its probe, the variables and
// maps of the entry typed so far.
func TestCompleteTyped(t *testing.T) {
	r := &REPL{env: testenv.Env{}, maps: []string{"@opens"}, cfg: Config{Stderr: &strings.Builder{}}}
	tests := []struct {
		pending    []string // earlier lines of the entry
		line       string
		head, tail string
		want       []string
		only       bool
	}{
		{line: "curtask->real_par", head: "curtask->", want: []string{"real_parent"}, only: true},
		{line: "curtask->real_parent->co", head: "curtask->real_parent->", want: []string{"comm"}, only: true},
		{line: "BEGIN { @p[curtask->real_parent.gr", head: "BEGIN { @p[curtask->real_parent.", want: []string{"group_leader"}, only: true},
		{line: "BEGIN { @x = ((struct sock *)0)->sk_", head: "BEGIN { @x = ((struct sock *)0)->", want: []string{"sk_rcvbuf"}, only: true},
		{line: "BEGIN { $t = curtask; printf(\"%d\\n\", $t->tg", head: "BEGIN { $t = curtask; printf(\"%d\\n\", $t->", want: []string{"tgid"}, only: true},
		{line: "tracepoint:syscalls:sys_enter_openat { @[str(args.fil", head: "tracepoint:syscalls:sys_enter_openat { @[str(args.", want: []string{"filename"}, only: true},
		{line: "tracepoint:syscalls:sys_enter_openat { args->", head: "tracepoint:syscalls:sys_enter_openat { args->", want: []string{"dfd", "filename", "flags", "mode"}},
		{line: "tracepoint:syscalls:sys_enter_openat /args.fl", head: "tracepoint:syscalls:sys_enter_openat /args.", want: []string{"flags"}, only: true},
		{pending: []string{"tracepoint:syscalls:sys_enter_openat {"}, line: "  $f = args.fi", head: "  $f = args.", want: []string{"filename"}, only: true},
		{line: "rawtracepoint:sched_switch { args.prev->real_parent->pi", head: "rawtracepoint:sched_switch { args.prev->real_parent->", want: []string{"pid"}, only: true},
		{line: "BEGIN { $task = curtask; $count = 1; @x = $ta", head: "BEGIN { $task = curtask; $count = 1; @x = ", want: []string{"$task"}, only: true},
		{line: "BEGIN { @start[tid] = nsecs; @x = @st", head: "BEGIN { @start[tid] = nsecs; @x = ", want: []string{"@start"}, only: true},
		{line: "BEGIN { @x = @op", head: "BEGIN { @x = ", want: []string{"@opens"}, only: true},
		{line: "$x = 1; $x.", head: "$x = 1; $x.", want: nil, only: true},
		{line: "uprobe:/bin/bash:readline.", want: nil, only: true},
	}
	for _, tt := range tests {
		r.pending = tt.pending
		head, got, tail := r.Complete(tt.line, len(tt.line))
		if head != tt.head || tail != tt.tail {
			t.Errorf("%q: head %q tail %q, want %q %q", tt.line, head, tail, tt.head, tt.tail)
		}
		check(t, tt.line, got, tt.want, tt.only)
	}
}

// TestCompleteSignature: a Tab after a function's `NAME(`, or on a
// builtin's whole name, shows its signatures and completes nothing.
func TestCompleteSignature(t *testing.T) {
	tests := []struct {
		line string
		want string // shown
	}{
		{"BEGIN { printf(", "void printf(string fmt, ...)  prints the values formatted by fmt"},
		{"BEGIN { @ = hist(", "hist_t hist(int64 n [, int64 k])"},
		{"BEGIN { @x = nsecs", "uint64 nsecs  nanoseconds on the boot clock"},
		{"comm", "string comm([int32 pid])  the name of the current thread"},
		{"BEGIN { @x[comm] = count(", "count_t count()"},
	}
	for _, tt := range tests {
		var shown strings.Builder
		r := &REPL{cfg: Config{Stderr: &shown}}
		_, got, _ := r.Complete(tt.line, len(tt.line))
		if len(got) != 0 || !strings.Contains(shown.String(), tt.want) {
			t.Errorf("%q: completions %q, shown %q, want %q shown", tt.line, got, shown.String(), tt.want)
		}
	}
	// Not on a word that is still being completed, nor after a bracket
	// that is not a call.
	for _, line := range []string{"BEGIN { pri", "BEGIN { print", "BEGIN { @x = (", "BEGIN { if ("} {
		var shown strings.Builder
		r := &REPL{cfg: Config{Stderr: &shown}}
		r.Complete(line, len(line))
		if shown.Len() > 0 {
			t.Errorf("%q showed %q", line, shown.String())
		}
	}
}

// TestCompleteTypedKernel completes members from the kernel's BTF and
// tracefs.
func TestCompleteTypedKernel(t *testing.T) {
	kerneltest.Require(t)
	r := New(Config{Stderr: &strings.Builder{}})
	for _, tt := range []struct{ line, want string }{
		{"curtask->real_par", "real_parent"},
		{"BEGIN { @[curtask->mm->ma", "map_count"},
		{"tracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", str(args.filen", "filename"},
		{"tracepoint:sched:sched_switch { @[args->prev_co", "prev_comm"},
		{"rawtracepoint:sched_switch { @[args.prev->co", "comm"},
	} {
		_, got, _ := r.Complete(tt.line, len(tt.line))
		check(t, tt.line, got, []string{tt.want}, false)
	}
}

// TestCompleteEveryPrefix completes at every point of a few entries:
// whatever the text typed so far, completion answers without failing,
// and what it offers extends the word.
func TestCompleteEveryPrefix(t *testing.T) {
	entries := []string{
		`tracepoint:syscalls:sys_enter_openat /pid > 1 && args.flags != 0/ { @[comm, str(args->filename)] = count(); $t = (struct task_struct *)curtask; printf("%d %s\n", $t->real_parent->tgid, $t->comm); }`,
		`rawtracepoint:sched_switch { $p = args.prev; if ($p->pid) { @x[$p->real_parent->comm] = hist(((struct sock *)0)->sk_rcvbuf); } else { @y = (a = 1, b = $p).b->tgid; } }`,
		`$r = (1, "x"); print($r.1); @s[tid] = curtask; @s[tid]->group_leader->pid; // a -> comment.`,
		`BEGIN { @x = "a;{}->."; /* curtask-> */ @y = str(curtask->comm); for ($i : 0..3) { @z[$i] = curtask->utask->depth; } }`,
	}
	r := &REPL{env: testenv.Env{}, cfg: Config{Stderr: &strings.Builder{}}}
	for _, e := range entries {
		// From the end of the attach points, which TestCompleteAttachPoints
		// completes.
		for i := strings.Index(e, " ") + 1; i <= len(e); i++ {
			line := e[:i]
			_, got, _ := r.Complete(line, len(line))
			if strings.HasSuffix(line, "->") || strings.HasSuffix(line, ".") {
				continue // members, or none
			}
			check(t, line, got, nil, false)
		}
	}
}

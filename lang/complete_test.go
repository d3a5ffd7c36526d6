package lang_test

import (
	"slices"
	"testing"

	"github.com/hawktrace/hawk/internal/testenv"
	"github.com/hawktrace/hawk/lang"
)

// TestMembers types the expression before a `.` or `->` that ends an
// unfinished entry, in its probe, and lists its members.
func TestMembers(t *testing.T) {
	tests := []struct {
		text  string
		stmts bool
		want  []string // among the members
		none  bool     // no members at all
	}{
		{text: "curtask->", stmts: true, want: []string{"real_parent", "comm", "pid"}},
		{text: "curtask->real_parent->", stmts: true, want: []string{"comm", "tgid"}},
		{text: "BEGIN { @x = curtask->real_parent.", want: []string{"group_leader"}},
		{text: "tracepoint:syscalls:sys_enter_openat { @[comm] = count(); printf(\"%s\", args.", want: []string{"filename", "flags", "dfd"}},
		{text: "tracepoint:syscalls:sys_enter_openat { if (pid > 1) {\n  @x = args->", want: []string{"filename"}},
		{text: "tracepoint:syscalls:sys_enter_openat /args.", want: []string{"filename"}},
		{text: "tracepoint:syscalls:sys_enter_openat, tracepoint:syscalls:sys_enter_open { args.", want: []string{"filename", "flags"}},
		{text: "rawtracepoint:sched_switch { $p = args.prev; $p->", want: []string{"real_parent", "comm"}},
		{text: "BEGIN { $t = curtask; $r = (a = 1, b = $t); $r.", want: []string{"a", "b"}},
		{text: "BEGIN { $t = (1, \"x\"); $t.", want: []string{"0", "1"}},
		{text: "BEGIN { @x = ((struct sock *)0)->", want: []string{"__sk_common", "sk_rcvbuf"}},
		{text: "BEGIN { @x = ((struct sock *)0)->__sk_common.", want: []string{"skc_family"}},
		{text: "BEGIN { @t[1] = curtask; @t[1]->", want: []string{"real_parent"}},
		{text: "BEGIN { @x = str(\"a;{\"); curtask->", want: []string{"real_parent"}},
		{text: "BEGIN { $x = 1; $x.", none: true},
		{text: "BEGIN { @x = ", none: true},
		{text: "BEGIN { ->", none: true},
		{text: "kprobe:vfs_read.", none: true},
	}
	for _, tt := range tests {
		got := lang.Members(nil, tt.text, tt.stmts, testenv.Env{}, lang.Config{})
		if tt.none && got != nil {
			t.Errorf("%q: members %q, want none", tt.text, got)
		}
		if len(tt.want) > 0 && got == nil {
			t.Errorf("%q: no members, want %q", tt.text, tt.want)
		}
		for _, w := range tt.want {
			if got != nil && !slices.Contains(got, w) {
				t.Errorf("%q: members %q lack %q", tt.text, got, w)
			}
		}
	}
}

// TestMembersPrior: maps keep the types earlier entries gave them.
func TestMembersPrior(t *testing.T) {
	prior, err := lang.Parse(lang.NewSource("in[1]", "BEGIN { @task = curtask; }"))
	if err != nil {
		t.Fatal(err)
	}
	got := lang.Members([]*lang.Program{prior}, "@task->", true, testenv.Env{}, lang.Config{})
	if !slices.Contains(got, "real_parent") {
		t.Errorf("members %q lack real_parent", got)
	}
}

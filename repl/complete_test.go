package repl

import (
	"slices"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/runtime/tracefs"
)

func TestComplete(t *testing.T) {
	r := &REPL{maps: []string{"@opens", "@lat"}}
	tests := []struct {
		line       string
		head, tail string
		want       []string // among the completions
		only       bool     // and nothing else
	}{
		{line: ".pr", want: []string{".probes "}, only: true},
		{line: ".", want: []string{".help ", ".quit ", ".watch "}},
		{line: ".watch @o", head: ".watch ", want: []string{"@opens"}, only: true},
		{line: ".detach a", head: ".detach ", want: []string{"all"}, only: true},
		{line: ".load /etc/hostn", head: ".load ", want: []string{"/etc/hostname"}, only: true},
		{line: ".save /et", head: ".save ", want: []string{"/etc/"}, only: true},
		{line: "inter", want: []string{"interval:"}, only: true},
		{line: "BEG", want: []string{"BEGIN"}, only: true},
		{line: "@l", want: []string{"@lat"}, only: true},
		{line: "BEGIN { pri", head: "BEGIN { ", want: []string{"print(", "printf("}, only: true},
		{line: "BEGIN { @x[com", head: "BEGIN { @x[", want: []string{"comm"}, only: true},
		{line: "BEGIN { if (1) { @x = nse", head: "BEGIN { if (1) { @x = ", want: []string{"nsecs"}, only: true},
		{line: "pi", want: []string{"pid"}},
		{line: "uprobe:/bin/bas", want: []string{"uprobe:/bin/bash:", "uprobe:/bin/basename:"}},
	}
	for _, tt := range tests {
		head, got, tail := r.Complete(tt.line, len(tt.line))
		if head != tt.head || tail != tt.tail {
			t.Errorf("%q: head %q tail %q, want %q %q", tt.line, head, tail, tt.head, tt.tail)
		}
		check(t, tt.line, got, tt.want, tt.only)
	}
	// The word before the cursor is completed, the rest kept.
	head, got, tail := r.Complete("BEGIN { @x = pi }", len("BEGIN { @x = pi"))
	if head != "BEGIN { @x = " || tail != " }" || !slices.Contains(got, "pid") {
		t.Errorf("mid-line: %q %q %q", head, got, tail)
	}
}

// TestCompleteAttachPoints completes attach points from tracefs, the
// kernel's functions and user binaries.
func TestCompleteAttachPoints(t *testing.T) {
	kerneltest.Require(t)
	if err := tracefs.Ensure(); err != nil {
		t.Fatal(err)
	}
	r := &REPL{}
	tests := []struct {
		line string
		want []string
		only bool
	}{
		{"tracepoint:sysc", []string{"tracepoint:syscalls:"}, true},
		{"t:sysc", []string{"t:syscalls:"}, true},
		{"tracepoint:syscalls:sys_enter_opena", []string{"tracepoint:syscalls:sys_enter_openat", "tracepoint:syscalls:sys_enter_openat2"}, true},
		{"tracepoint:sched:sched_switc", []string{"tracepoint:sched:sched_switch"}, true},
		{"kprobe:vfs_rea", []string{"kprobe:vfs_read", "kprobe:vfs_readv"}, false},
		{"rawtracepoint:sched_swi", []string{"rawtracepoint:sched_switch"}, false},
		{"uprobe:/bin/bash:readlin", []string{"uprobe:/bin/bash:readline"}, false},
		{"uprobe:libc:mallo", []string{"uprobe:libc:malloc", "uprobe:libc:malloc_usable_size"}, false},
		{"uretprobe:libc:mallo", []string{"uretprobe:libc:malloc"}, false},
		{"kprobe:vmlinux:vfs_rea", []string{"kprobe:vmlinux:vfs_read"}, false},
		{"software:cpu-c", []string{"software:cpu-clock:"}, true},
		{".list tracepoint:sche", []string{"tracepoint:sched:"}, true},
	}
	for _, tt := range tests {
		_, got, _ := r.Complete(tt.line, len(tt.line))
		check(t, tt.line, got, tt.want, tt.only)
	}
}

func check(t *testing.T, line string, got, want []string, only bool) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("%q: completions %q lack %q", line, got, w)
		}
	}
	if only && len(got) != len(want) {
		t.Errorf("%q: completions %q, want only %q", line, got, want)
	}
	if strings.HasPrefix(line, ".") {
		return // a command's completions are its name or its argument
	}
	word := line[strings.LastIndexAny(line, wordStops)+1:]
	word = word[strings.LastIndex(word, ".")+1:] // a member's name
	word = strings.TrimPrefix(word, "/")         // a predicate's first
	for _, g := range got {
		if !strings.HasPrefix(g, word) {
			t.Errorf("%q: completion %q does not extend the word", line, g)
		}
	}
}

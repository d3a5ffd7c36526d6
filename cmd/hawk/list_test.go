package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestList: -l lists what tracefs and BTF describe: every tracepoint of a
// category as tracefs's events directory has them, raw tracepoints and
// kernel functions from BTF, and -lv their arguments.
func TestList(t *testing.T) {
	code, stdout, stderr := hawkOut(t, "-l", "tracepoint:sched:*")
	dirs, _ := os.ReadDir("/sys/kernel/tracing/events/sched")
	var want []string
	for _, d := range dirs {
		if d.IsDir() {
			want = append(want, "tracepoint:sched:"+d.Name())
		}
	}
	sort.Strings(want)
	if code != 0 || stdout != strings.Join(want, "\n")+"\n" {
		t.Errorf("-l tracepoint:sched:*: exit %d, stderr %q, stdout:\n%s\nwant:\n%s", code, stderr, stdout, strings.Join(want, "\n"))
	}

	format, err := os.ReadFile("/sys/kernel/tracing/events/sched/sched_switch/format")
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = hawkOut(t, "-lv", "tracepoint:sched:sched_switch")
	for _, field := range []string{"prev_comm", "prev_pid", "next_pid"} {
		if code != 0 || !strings.Contains(string(format), field) || !strings.Contains(stdout, " "+field+"\n") && !strings.Contains(stdout, " "+field+"[") {
			t.Errorf("-lv sched_switch lacks %s:\n%s", field, stdout)
		}
	}

	for _, tc := range []struct{ pattern, want string }{
		{"rawtracepoint:sched_switch", "rawtracepoint:vmlinux:sched_switch\n    bool preempt\n    struct task_struct * prev\n    struct task_struct * next\n    unsigned int prev_state\n"},
		{"fexit:vfs_read", "fexit:vmlinux:vfs_read\n    struct file * file\n    char * buf\n    size_t count\n    loff_t * pos\n    ssize_t retval\n"},
		{"iter:task*", "iter:task\n    struct task_struct * task\niter:task_file\n"},
		{"software:faults", "software:faults:\n"},
	} {
		code, stdout, stderr := hawkOut(t, "-lv", tc.pattern)
		if code != 0 || !strings.HasPrefix(stdout, tc.want) {
			t.Errorf("-lv %s: exit %d, stderr %q, stdout:\n%s\nwant it to start with:\n%s", tc.pattern, code, stderr, stdout, tc.want)
		}
	}

	bash, _ := filepath.EvalSymlinks("/bin/bash")
	code, stdout, _ = hawkOut(t, "-l", "uprobe:/bin/bash:readline")
	if code != 0 || stdout != "uprobe:/bin/bash:readline\n" && stdout != "uprobe:"+bash+":readline\n" {
		t.Errorf("-l uprobe:/bin/bash:readline: exit %d, stdout %q", code, stdout)
	}
	// A quoted function, as a script writes one: Go's names hold / and *.
	for _, pattern := range []string{`"github.com/hawktrace/hawk/internal/aot.Self"`, `"github.com/hawktrace/hawk/internal/aot.Sel?"`} {
		code, stdout, _ = hawkOut(t, "-l", "uprobe:"+hawkBin+":"+pattern)
		if want := "uprobe:" + hawkBin + ":github.com/hawktrace/hawk/internal/aot.Self\n"; code != 0 || stdout != want {
			t.Errorf("-l uprobe:%s:%s: exit %d, stdout %q, want %q", hawkBin, pattern, code, stdout, want)
		}
	}
}

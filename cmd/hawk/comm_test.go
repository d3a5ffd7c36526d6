package main

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestCommOfPid reads other processes' names with comm(pid), through the
// bpf_task_from_pid kfunc, in the program types that may call it: a perf
// event (interval), a syscall tracepoint and an iterator. A pid with no
// process reads "N/A", with a warning.
func TestCommOfPid(t *testing.T) {
	b, err := os.ReadFile("/proc/self/comm")
	if err != nil {
		t.Fatal(err)
	}
	self := strings.TrimSpace(string(b))
	pid := strconv.Itoa(os.Getpid())
	runConstructs(t, []construct{
		{
			name:   "interval",
			script: `interval:ms:10 { printf("%s|%s\n", comm($1), comm(0x7ffffff0)); @[comm($1)] = count(); $c = comm($1); print($c == "` + self + `"); exit(); }`,
			args:   []string{pid},
			out:    self + "|N/A\ntrue\n",
			maps:   "@[" + self + "]: 1\n",
		},
		{
			name:    "syscall_tracepoint",
			script:  `tracepoint:syscalls:sys_enter_kill /args.pid == $1 && args.sig == 0/ { printf("%s\n", comm(args.pid)); exit(); }`,
			args:    []string{pid},
			trigger: []string{"kill", "-0", pid},
			out:     self + "\n",
		},
		{
			name:   "iterator",
			script: `iter:task /ctx.task != 0 && ctx.task->tgid == $1/ { @[comm(ctx.task->pid) == ctx.task->comm] = count(); }`,
			args:   []string{pid},
			re:     `^\n\n@\[true\]: [0-9]+\n$`,
		},
	})
}

// TestCommOfPidRefused: programs that may not call kfuncs (a uprobe's)
// refuse comm(pid) at its place in the script.
func TestCommOfPidRefused(t *testing.T) {
	script := `uprobe:` + aggrProgram(t) + `:aggregates { printf("%s\n", comm(1)); }`
	out, err := hawkCmd(t, "-e", script).CombinedOutput()
	at := strconv.Itoa(strings.Index(script, "comm(1)") + 1)
	if exitCode(err) != 1 || !strings.Contains(string(out), "-e:1:"+at+": error") || !strings.Contains(string(out), "error: comm(pid) is not supported in uprobe probes") {
		t.Errorf("exit %v, output:\n%s", err, out)
	}
}

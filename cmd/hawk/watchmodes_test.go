package main

import (
	"strconv"
	"strings"
	"testing"
)

// TestWatchpointExecute: an execute watchpoint (mode x) on a function of
// a -c command attaches whatever length the probe gives (the kernel wants
// that of a long, which hawk passes), and where this machine's
// watchpoints fire (hawk --info), it fires once per call.
func TestWatchpointExecute(t *testing.T) {
	_, info, _ := hawkOut(t, "--info")
	fires := infoFeature(info, "watchpoints") == "yes"
	prog := uprobesProgram(t, false)
	for _, length := range []string{"1", "8"} {
		script := "watchpoint:" + symAddr(t, prog, "hawk_tick") + ":" + length + ":x { @ = count(); }"
		code, stdout, stderr := hawkOut(t, "-q", "-c", prog+" 2", "-e", script)
		want := "\n\n"
		if fires {
			want += "@: 2\n"
		}
		if code != 0 || stdout != want {
			t.Errorf("%s: exit %d\nstdout %q\nwant   %q\nstderr:\n%s", script, code, stdout, want, stderr)
		}
	}
}

// TestWatchpointThreads: with -p, a watchpoint is set on every thread of
// the process (one perf event each, inherited by the threads they
// create): it attaches to a running process and the run ends with it.
func TestWatchpointThreads(t *testing.T) {
	prog := uprobesProgram(t, false)
	pid := startTraced(t, prog, "30")
	script := "watchpoint:" + symAddr(t, prog, "hawk_total") + ":4:w { @ = count(); }"
	code, stdout, stderr := hawkOut(t, "-q", "-p", strconv.Itoa(pid), "-e", script)
	if code != 0 || !strings.HasPrefix(stdout, "\n\n") {
		t.Errorf("exit %d\nstdout %q\nstderr:\n%s", code, stdout, stderr)
	}
}

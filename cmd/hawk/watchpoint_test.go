package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/runtime/kernel"
)

// TestWatchpoint: a watchpoint probe on a global of a -c command. It
// checks what `hawk --info` proves of this machine's watchpoints: where
// they fire, the probe counts each of the command's 3 writes, with the
// writer's user stack; where they attach but never fire (a hypervisor that
// keeps the CPU's debug registers, as on the machine these tests were
// written on), the probe attaches, prints nothing, and the run ends with
// the command; where they do not attach, the run fails in one line.
func TestWatchpoint(t *testing.T) {
	code, info, stderr := hawkOut(t, "--info")
	verdict := infoFeature(info, "watchpoints")
	if code != 0 || verdict == "" {
		t.Fatalf("--info: exit %d, no watchpoints line in\n%s\nstderr:\n%s", code, info, stderr)
	}
	prog := watchProgram(t)
	args := []string{"-c", prog + " 3", "-e", `watchpoint:` + symAddr(t, prog, "counter") + `:8:w { @[ustack(1)] = count(); }`}
	code, stdout, stderr := hawkOut(t, args...)
	switch {
	case verdict == "yes":
		want := regexp.MustCompile(`\n@\[\n +main\+\d+\n\]: 3\n`)
		if code != 0 || !want.MatchString(stdout) {
			t.Errorf("exit %d\nstdout:\n%s\nwant %s\nstderr:\n%s", code, stdout, want, stderr)
		}
	case strings.HasPrefix(verdict, "no ("+kernel.WatchpointNeverFires+":"):
		t.Logf("--info says watchpoints: %s\nso this checks only that the probe attaches and the run ends with its command", verdict)
		if code != 0 || stderr != "Attached 1 probe\n" || stdout != "\n\n" {
			t.Errorf("exit %d\nstdout %q, want \"\\n\\n\" (no hits)\nstderr %q", code, stdout, stderr)
		}
	default:
		if code != exitUser || strings.Count(stderr, "\n") != 3 { // one diagnostic, at the attach point
			t.Errorf("--info says watchpoints: %s, but the run: exit %d, stderr %q", verdict, code, stderr)
		}
	}
}

// infoFeature returns what `hawk --info` says of a feature: "yes", or
// "no (why)"; "" when it has no such line.
func infoFeature(info, name string) string {
	for line := range strings.Lines(info) {
		if v, ok := strings.CutPrefix(line, "  "+name+": "); ok {
			return strings.TrimSuffix(v, "\n")
		}
	}
	return ""
}

// watchProgram returns the watchpoint test program, built once, without
// PIE, so its global counter has a fixed address.
func watchProgram(t *testing.T) string {
	t.Helper()
	return cProgram(t, "watch", "testdata/watch/watch.c", "-O1", "-no-pie")
}

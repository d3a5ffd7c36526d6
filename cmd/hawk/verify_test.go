package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// verify runs hawk --verify with args and returns its exit code and stderr.
func verify(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := hawkCmd(t, append([]string{"--verify"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if stdout.Len() > 0 {
		t.Errorf("--verify printed on stdout: %q", stdout.String())
	}
	return exitCode(err), stderr.String()
}

// TestVerifyExamples: every example loads into the verifier, and nothing
// runs: no BEGIN output, no maps printed.
func TestVerifyExamples(t *testing.T) {
	files, _ := filepath.Glob("../../examples/*.bt")
	if len(files) < 5 {
		t.Fatalf("only %d examples", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			code, stderr := verify(t, f)
			if code != 0 || !regexp.MustCompile(`^Verified \d+ programs?\n$`).MatchString(stderr) {
				t.Errorf("exit %d, stderr:\n%s", code, stderr)
			}
		})
	}
}

func TestVerifyOneLiner(t *testing.T) {
	code, stderr := verify(t, "-e", `BEGIN { printf("not run\n"); } tracepoint:sched:sched_switch { @[comm] = count(); }`)
	if code != 0 || stderr != "Verified 2 programs\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if code, stderr := verify(t, "-q", "-e", `BEGIN { }`); code != 0 || stderr != "" {
		t.Errorf("-q: exit %d, stderr %q", code, stderr)
	}
}

// TestVerifyFailures: a script that does not compile fails --verify with
// the diagnostic.
func TestVerifyFailures(t *testing.T) {
	code, stderr := verify(t, "-e", `tracepoint:syscalls:sys_enter_nothing { }`)
	if code != exitUser || !strings.Contains(stderr, "-e:1:1: error: tracepoint syscalls:sys_enter_nothing not found") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestVerifyDebianTools runs --verify on the tracepoint-only tools that
// Debian's bpftrace package installs in /usr/sbin, when it is installed.
// hawk does not need bpftrace; these are real scripts written for it.
func TestVerifyDebianTools(t *testing.T) {
	tools := []string{"bitesize", "execsnoop", "killsnoop", "naptime", "opensnoop", "pidpersec", "runqlat",
		"setuids", "statsnoop", "syncsnoop", "syscount", "tcpdrop", "writeback"}
	if _, err := os.Stat("/usr/sbin/execsnoop.bt"); err != nil {
		t.Skip("bpftrace's tools are not installed (apt-get install bpftrace)")
	}
	for _, tool := range tools {
		t.Run(tool, func(t *testing.T) {
			if code, stderr := verify(t, "/usr/sbin/"+tool+".bt"); code != 0 {
				t.Errorf("exit %d:\n%s", code, stderr)
			}
		})
	}
}

// TestVerifyKprobes: kprobe programs load into the verifier even where the
// kernel cannot attach them (this machine's has no kprobes), and
// attaching says so in one line.
func TestVerifyKprobes(t *testing.T) {
	prog := `kprobe:do_nanosleep { printf("%s %d %d\n", func, arg0, arg7); @[kstack] = count(); } kretprobe:do_nanosleep { @ret = hist(retval); }`
	if code, stderr := verify(t, "-e", prog); code != 0 || stderr != "Verified 2 programs\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	cmd := hawkCmd(t, "-e", prog)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if kprobesAvailable() {
		t.Skip("this kernel has kprobes: attaching works")
	}
	if exitCode(err) != exitUser || strings.Count(stderr.String(), "\n") != 1 || !strings.Contains(stderr.String(), "this kernel has no kprobes") {
		t.Errorf("exit %d, stderr %q", exitCode(err), stderr.String())
	}
}

// kprobesAvailable reports whether this kernel can attach kprobes.
func kprobesAvailable() bool {
	for _, p := range []string{"/sys/bus/event_source/devices/kprobe", "/sys/kernel/tracing/kprobe_events"} {
		if _, err := os.Stat(p); err == nil {
			return true
		}
	}
	return false
}

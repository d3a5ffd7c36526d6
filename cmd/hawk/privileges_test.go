package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// unprivilegedHawk returns a command that runs hawk as nobody, with no
// capabilities (and with CAP_BPF and CAP_PERFMON when caps is set).
func unprivilegedHawk(t *testing.T, caps bool, args ...string) *exec.Cmd {
	t.Helper()
	kerneltest.Require(t) // setpriv needs root
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		kerneltest.Missing(t, "setpriv (util-linux) is needed for this test")
	}
	// A copy nobody may run: the test binary's folder is root's alone.
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	bin := filepath.Join(dir, "hawk")
	src, err := os.Open(hawkBin)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(dst, src)
	dst.Close()
	pre := []string{"--reuid=65534", "--regid=65534", "--clear-groups"}
	if caps {
		pre = append(pre, "--inh-caps=+bpf,+perfmon", "--ambient-caps=+bpf,+perfmon")
	}
	cmd := exec.Command(setpriv, append(append(pre, bin), args...)...)
	cmd.Dir = dir
	return cmd
}

// TestUnprivileged: without root or CAP_BPF and CAP_PERFMON, hawk says
// in one line what tracing needs, for any script, with no advice meant
// for programmers; -l says the same of tracefs, which is root's alone;
// --info says it beside the privileges it found.
func TestUnprivileged(t *testing.T) {
	const needs = "tracing needs root, or CAP_BPF and CAP_PERFMON and read access to /sys/kernel/tracing\n"
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"-e", `BEGIN { printf("hi\n"); exit(); }`}, "hawk: error: " + needs},
		{[]string{"-e", `tracepoint:sched:sched_switch { exit(); }`}, "hawk: error: " + needs},
		{[]string{"--verify", "-e", `interval:s:1 { exit(); }`}, "hawk: error: " + needs},
		{[]string{"-l", "tracepoint:sched:*"}, "hawk: error: cannot read /sys/kernel/tracing: " + needs},
	} {
		var stdout, stderr strings.Builder
		cmd := unprivilegedHawk(t, false, tc.args...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if exitCode(err) != exitUser || stdout.String() != "" || stderr.String() != tc.stderr {
			t.Errorf("%q: exit %d, stdout %q, stderr %q, want %q", tc.args, exitCode(err), stdout.String(), stderr.String(), tc.stderr)
		}
	}
	out, err := unprivilegedHawk(t, false, "--info").Output()
	if exitCode(err) != 0 || !strings.Contains(string(out), "  privileges: unprivileged (uid 65534): "+needs) {
		t.Errorf("--info: exit %d\n%s", exitCode(err), out)
	}
	// CAP_BPF and CAP_PERFMON are enough for what needs no tracefs.
	out, err = unprivilegedHawk(t, true, "-q", "-e", `BEGIN { printf("hi\n"); exit(); }`).CombinedOutput()
	if exitCode(err) != 0 || string(out) != "hi\n\n\n" {
		t.Errorf("with CAP_BPF and CAP_PERFMON: exit %d, %q", exitCode(err), out)
	}
}

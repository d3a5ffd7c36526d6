package main

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// withCaps returns hawk's command with args, run as root with only the
// capabilities caps (setpriv's names: +bpf,+perfmon), as a container
// that adds them runs it.
func withCaps(t *testing.T, caps string, args ...string) *exec.Cmd {
	t.Helper()
	kerneltest.Require(t)
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		kerneltest.Missing(t, "setpriv (util-linux): %v", err)
	}
	return exec.Command(setpriv, append([]string{"--bounding-set=-all," + caps, "--inh-caps=-all", "--", hawkBin}, args...)...)
}

// TestCapabilitiesTracepoint: CAP_BPF and CAP_PERFMON alone run a
// tracepoint and an interval probe.
func TestCapabilitiesTracepoint(t *testing.T) {
	out, err := withCaps(t, "+bpf,+perfmon", "-q", "-e",
		`tracepoint:raw_syscalls:sys_enter { @ = count(); } interval:ms:100 { exit(); }`).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("\n@: ")) {
		t.Errorf("%v\n%s", err, out)
	}
}

// TestCapabilitiesUprobeHint: without CAP_SYS_ADMIN the kernel refuses to
// attach a uprobe, and hawk says which capability it wants.
func TestCapabilitiesUprobeHint(t *testing.T) {
	prog := uprobesProgram(t, true)
	cmd := withCaps(t, "+bpf,+perfmon,+sys_resource,+syslog,+sys_ptrace", "-q", "-e", `uprobe:`+prog+`:hawk_tick { @ = count(); } interval:ms:50 { exit(); }`)
	out, err := cmd.CombinedOutput()
	if err == nil {
		// Kernels before the fix (2025) let CAP_PERFMON open uprobes.
		t.Skipf("this kernel attaches uprobes for CAP_PERFMON: nothing to hint")
	}
	if code := exitCode(err); code != exitUser {
		t.Errorf("exit status %d, want %d", code, exitUser)
	}
	want := "hint: the kernel attaches uprobes and usdt probes only for CAP_SYS_ADMIN: CAP_BPF and CAP_PERFMON are not enough\n"
	if !strings.Contains(string(out), "permission denied") || !strings.HasSuffix(string(out), want) {
		t.Errorf("output:\n%s\nwant it to end with %q", out, want)
	}
	// With CAP_SYS_ADMIN it attaches.
	cmd = withCaps(t, "+bpf,+perfmon,+sys_admin", "-q", "-e", `uprobe:`+prog+`:hawk_tick { @ = count(); } interval:ms:50 { exit(); }`)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("with CAP_SYS_ADMIN: %v\n%s", err, out)
	}
}

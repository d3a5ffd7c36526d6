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
	return capsCommand(t, caps, append([]string{hawkBin}, args...)...)
}

// capsCommand returns the command argv, run as root with only the
// capabilities caps.
func capsCommand(t *testing.T, caps string, argv ...string) *exec.Cmd {
	t.Helper()
	kerneltest.Require(t)
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		kerneltest.Missing(t, "setpriv (util-linux): %v", err)
	}
	return exec.Command(setpriv, append([]string{"--bounding-set=-all," + caps, "--inh-caps=-all", "--"}, argv...)...)
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

// TestCapabilitiesKallsymsHidden: without CAP_SYSLOG, where /proc/kallsyms
// hides the kernel's addresses, kernel stacks print as addresses and hawk
// warns once why; --no-warnings silences it.
func TestCapabilitiesKallsymsHidden(t *testing.T) {
	line, err := capsCommand(t, "+bpf,+perfmon", "head", "-1", "/proc/kallsyms").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(line), "0000000000000000 ") {
		t.Skipf("/proc/kallsyms shows addresses without CAP_SYSLOG here (%q)", line)
	}
	script := `profile:hz:99 { @[kstack(1)] = count(); } interval:ms:200 { exit(); }`
	var stdout, stderr bytes.Buffer
	cmd := withCaps(t, "+bpf,+perfmon", "-q", "-e", script)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	want := "WARNING: kernel stacks and symbols print as addresses: /proc/kallsyms shows every kernel address as 0: naming kernel addresses needs CAP_SYSLOG\n"
	if stderr.String() != want {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
	if !strings.Contains(stdout.String(), "        0xffff") {
		t.Errorf("stdout:\n%s\nwant kernel stacks as addresses", stdout.String())
	}
	out, err := withCaps(t, "+bpf,+perfmon", "-q", "--no-warnings", "-e", script).CombinedOutput()
	if err != nil || strings.Contains(string(out), "WARNING") {
		t.Errorf("--no-warnings: %v\n%s", err, out)
	}
}

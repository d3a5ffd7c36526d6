package kernel

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/features"
	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/runtime/tracefs"
)

func TestFeatureLockdownMode(t *testing.T) {
	for in, want := range map[string]string{
		"none [integrity] confidentiality\n": "integrity",
		"[none] integrity confidentiality\n": "none",
		"none integrity [confidentiality]":   "confidentiality",
		"odd\n":                              "odd",
	} {
		if got := lockdownMode(in); got != want {
			t.Errorf("lockdownMode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFeatureCPUList(t *testing.T) {
	dir := t.TempDir()
	for in, want := range map[string]int{"0\n": 1, "0-1\n": 2, "0-3,8-11,15\n": 9} {
		path := filepath.Join(dir, "online")
		if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := cpuListCount(path); got != want {
			t.Errorf("cpuListCount(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestFeatureHelperNames(t *testing.T) {
	for fn, want := range map[asm.BuiltinFunc]string{
		asm.FnGetStack:        "bpf_get_stack",
		asm.FnProbeReadKernel: "bpf_probe_read_kernel",
		asm.FnKtimeGetTaiNs:   "bpf_ktime_get_tai_ns",
		asm.FnJiffies64:       "bpf_jiffies64",
		asm.FnGetFuncIp:       "bpf_get_func_ip",
	} {
		if got := bpfHelperName(fn); got != want {
			t.Errorf("bpfHelperName(%v) = %q, want %q", fn, got, want)
		}
	}
}

// TestFeatures checks what is true of Features on any kernel, then, on the
// kernel BPFTRACE-NOTES.md describes, what that kernel supports.
func TestFeatures(t *testing.T) {
	kerneltest.Require(t)
	start := time.Now()
	feats := Features()
	t.Logf("Features took %v", time.Since(start))

	probes := featureProbes()
	if len(feats) != len(probes) {
		t.Fatalf("%d features, want %d", len(feats), len(probes))
	}
	byName := map[string]Feature{}
	for i, f := range feats {
		if f.Name != probes[i].name {
			t.Errorf("feature %d is %q, want %q", i, f.Name, probes[i].name)
		}
		if _, dup := byName[f.Name]; dup {
			t.Errorf("feature %q twice", f.Name)
		}
		byName[f.Name] = f
		if !f.OK && f.Detail == "" {
			t.Errorf("%s: no, without a detail", f.Name)
		}
		if strings.ContainsAny(f.Detail, "\n\r") {
			t.Errorf("%s: detail %q is more than a line", f.Name, f.Detail)
		}
	}
	ok := func(name string) bool {
		t.Helper()
		f, found := byName[name]
		if !found {
			t.Fatalf("no feature %q", name)
		}
		return f.OK
	}
	expect := func(name string, want bool, why string) {
		t.Helper()
		if ok(name) != want {
			t.Errorf("%s: OK = %v (%s), want %v: %s", name, !want, byName[name].Detail, want, why)
		}
	}

	// Facts that follow from what the machine shows of itself.
	if hasPath("/sys/kernel/btf/vmlinux") {
		expect("BTF (vmlinux)", true, "/sys/kernel/btf/vmlinux exists")
		expect("raw tracepoints", true, "a kernel with BTF (5.4+) has raw tracepoints (4.17+)")
	}
	if hasPath(filepath.Join(tracefs.Path, "events/syscalls/sys_enter_getppid")) {
		expect("tracepoints", true, "tracefs lists syscalls:sys_enter_getppid")
	}
	noKprobes := !hasPath("/sys/bus/event_source/devices/kprobe") && !hasPath(filepath.Join(tracefs.Path, "kprobe_events"))
	if noKprobes {
		for _, name := range []string{"kprobes", "kretprobes"} {
			if f := byName[name]; f.OK || f.Detail != "no kprobe PMU and no kprobe_events in tracefs" {
				t.Errorf("%s: %+v, want no with the missing PMU and kprobe_events named", name, f)
			}
		}
	}
	if ok("usdt") || ok("uretprobes") {
		expect("uprobes", true, "usdt and uretprobes are uprobes")
	}
	if f := byName["fentry/fexit"]; !f.OK && strings.Contains(f.Detail, "EPERM") && !strings.Contains(f.Detail, "before the verifier") {
		t.Errorf("fentry/fexit: %q does not say where EPERM came from", f.Detail)
	}

	// The kernel BPFTRACE-NOTES.md describes: Linux 6.18 without kprobes.
	var uts unix.Utsname
	if err := unix.Uname(&uts); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(unix.ByteSliceToString(uts.Release[:]), "6.18") || !noKprobes {
		t.Logf("not the kernel BPFTRACE-NOTES.md describes; skipping its expectations")
	} else {
		for _, name := range []string{"tracepoints", "raw tracepoints", "tp_btf", "uprobes", "uretprobes", "usdt",
			"perf events (software)", "BPF iterators", "ring buffer",
			"test runs of raw tracepoints (BEGIN/END)", "stacks (bpf_get_stack, stack trace maps)"} {
			expect(name, true, "BPFTRACE-NOTES.md says it works here")
		}
		// Watchpoints attach here; whether they fire depends on the
		// hypervisor (TestFeatureWatchpointFires).
		if f := byName["watchpoints"]; !f.OK && !strings.HasPrefix(f.Detail, WatchpointNeverFires+": ") {
			t.Errorf("watchpoints: %q, want yes or that they attach but never fire", f.Detail)
		}
		for _, name := range []string{"kprobes", "fentry/fexit", "perf events (hardware)"} {
			expect(name, false, "BPFTRACE-NOTES.md says it does not work here")
		}
		if d := byName["fentry/fexit"].Detail; !strings.Contains(d, "EPERM") {
			t.Errorf("fentry/fexit: detail %q does not name EPERM", d)
		}
		if d := byName["perf events (hardware)"].Detail; !strings.HasPrefix(d, "no hardware PMU") {
			t.Errorf("perf events (hardware): detail %q does not name the missing PMU", d)
		}
	}

	assertNoProbesLeft(t)
}

// assertNoProbesLeft fails t if programs or maps named as the feature
// probes name theirs stay in the kernel. Another process probing at the
// same time may hold some for a moment, so it waits a little for them to go.
func assertNoProbesLeft(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		left := probeLeftovers()
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still in the kernel after Features: %s", strings.Join(left, ", "))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// probeLeftovers lists the programs and maps in the kernel named
// featureProgName.
func probeLeftovers() []string {
	progs := leftovers("program", ebpf.ProgramGetNextID, ebpf.NewProgramFromID, func(p *ebpf.Program) (string, string) {
		info, err := p.Info()
		if err != nil {
			return "", ""
		}
		return info.Name, info.Type.String()
	})
	maps := leftovers("map", ebpf.MapGetNextID, ebpf.NewMapFromID, func(m *ebpf.Map) (string, string) {
		info, err := m.Info()
		if err != nil {
			return "", ""
		}
		return info.Name, info.Type.String()
	})
	return append(progs, maps...)
}

// leftovers walks the kernel's objects of one kind by id and lists those
// named featureProgName: "program 12 (Kprobe)".
func leftovers[ID ~uint32, T io.Closer](kind string, next func(ID) (ID, error), open func(ID) (T, error), describe func(T) (name, typ string)) []string {
	var left []string
	for id := ID(0); ; {
		var err error
		if id, err = next(id); err != nil {
			return left
		}
		obj, err := open(id)
		if err != nil {
			continue // gone since
		}
		if name, typ := describe(obj); name == featureProgName {
			left = append(left, fmt.Sprintf("%s %d (%s)", kind, id, typ))
		}
		obj.Close()
	}
}

// infoLine is a line of WriteInfo's report after the headings.
var infoLine = regexp.MustCompile(`^  ([^:]+): (.+)$`)

func TestFeaturesWriteInfo(t *testing.T) {
	kerneltest.Require(t)
	var out bytes.Buffer
	start := time.Now()
	if err := WriteInfo(&out); err != nil {
		t.Fatal(err)
	}
	t.Logf("WriteInfo took %v:\n%s", time.Since(start), out.String())

	system, feats, found := strings.Cut(out.String(), "\n\nKernel features\n")
	if !found || !strings.HasPrefix(system, "System\n") {
		t.Fatalf("want a System section, then a Kernel features section")
	}
	var keys []string
	for line := range strings.Lines(strings.TrimPrefix(system, "System\n")) {
		m := infoLine.FindStringSubmatch(strings.TrimSuffix(line, "\n"))
		if m == nil {
			t.Fatalf("system line %q is not `  key: value`", line)
		}
		keys = append(keys, m[1])
	}
	if got, want := strings.Join(keys, ","), "kernel,BTF,tracefs,CPUs,privileges,lockdown"; got != want {
		t.Errorf("system lines %s, want %s", got, want)
	}
	if !strings.Contains(system, "  privileges: root\n") {
		t.Errorf("running as root, but the report says otherwise")
	}

	probes := featureProbes()
	lines := strings.Split(strings.TrimSuffix(feats, "\n"), "\n")
	if len(lines) != len(probes) {
		t.Fatalf("%d feature lines, want %d", len(lines), len(probes))
	}
	verdict := regexp.MustCompile(`^(yes|yes \(.+\)|no \(.+\))$`)
	for i, line := range lines {
		m := infoLine.FindStringSubmatch(line)
		if m == nil || m[1] != probes[i].name || !verdict.MatchString(m[2]) {
			t.Errorf("feature line %q, want `  %s: yes` or `  %s: no (why)`", line, probes[i].name, probes[i].name)
		}
	}
	assertNoProbesLeft(t)
}

// TestFeatureUprobeMulti: where the kernel has uprobe_multi links, --info
// proves uprobes, uretprobes and usdt through one (whose detach does not
// wait for the lock the tracepoints' detach holds), and the kernel counts
// the probe in the USDT semaphore while it is attached, and no longer.
func TestFeatureUprobeMulti(t *testing.T) {
	kerneltest.Require(t)
	if err := features.HaveBPFLinkUprobeMulti(); err != nil {
		t.Skipf("no uprobe_multi links: %v", err)
	}
	before := usdtSemaphore
	if err := tryUprobeMulti(usdtTarget); err != nil {
		t.Fatal(err)
	}
	if usdtSemaphore != before {
		t.Errorf("the USDT semaphore is %d after the probe, %d before", usdtSemaphore, before)
	}
}

package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
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

// TestVerifyDebianTools runs --verify on the 38 tools of Debian's
// bpftrace package, found by bpftraceToolsDir: where `make test` unpacks
// the package, without installing bpftrace, unless it is installed. hawk
// does not need bpftrace; these are real scripts written for it. Each must pass,
// or fail where the running kernel (or library) truly lacks what it needs,
// with an error whose first line names it. With HAWK_TEST_KERNEL=1
// missing tools are a failure.
func TestVerifyDebianTools(t *testing.T) {
	// What a tool needs that a kernel may lack: 6.18 has no avenrun in
	// kallsyms, no md_flush_request (md not loaded) or swap_readpage
	// (renamed), renamed cfs_rq's nr_running, and glibc 2.34 moved
	// pthread_create out of libpthread.
	lacks := map[string]string{"loads": "avenrun", "mdflush": "md_flush_request", "swapin": "swap_readpage",
		"runqlen": `"nr_running"`, "threadsnoop": "pthread_create"}
	dir := bpftraceToolsDir()
	tools, _ := filepath.Glob(filepath.Join(dir, "*.bt"))
	if len(tools) != 38 {
		msg := fmt.Sprintf("found %d of bpftrace's 38 tools %s", len(tools), bpftraceToolsHint(dir))
		if kerneltest.Required() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	for _, path := range tools {
		tool := strings.TrimSuffix(filepath.Base(path), ".bt")
		t.Run(tool, func(t *testing.T) {
			code, stderr := verify(t, path)
			if code == 0 {
				return
			}
			first, _, _ := strings.Cut(stderr, "\n")
			if sym, ok := lacks[tool]; !ok || code != exitUser || !strings.Contains(first, "error: ") || !strings.Contains(first, sym) {
				t.Errorf("exit %d:\n%s", code, stderr)
			}
		})
	}
}

// TestVerifyKprobes: kprobe programs load into the verifier even where the
// kernel cannot attach them (this machine's has no kprobes); attaching
// then says so in one diagnostic, at the attach point, and works where
// the kernel has kprobes.
func TestVerifyKprobes(t *testing.T) {
	prog := `kprobe:do_nanosleep { printf("%s %d %d\n", func, arg0, arg7); @[kstack] = count(); } kretprobe:do_nanosleep { @ret = hist(retval); }`
	if code, stderr := verify(t, "-e", prog); code != 0 || stderr != "Verified 2 programs\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	cmd := hawkCmd(t, "-q", "-e", prog+` interval:ms:100 { exit(); }`)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	err := cmd.Run()
	if kprobesAvailable() {
		if exitCode(err) != 0 {
			t.Errorf("kprobes attach here, but: exit %d, stderr %q", exitCode(err), stderr.String())
		}
		return
	}
	// The kretprobe is attached first (attach_order.go).
	want := "-e:1:86: error: attaching kretprobe:do_nanosleep: this kernel has no kprobes"
	if exitCode(err) != exitUser || strings.Count(stderr.String(), "\n") != 3 || !strings.HasPrefix(stderr.String(), want) || !strings.HasSuffix(stderr.String(), " ^~~~~~~~~~~~~~~~~~~~~~\n") {
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

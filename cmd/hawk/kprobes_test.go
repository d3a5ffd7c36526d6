package main

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// kallsymsAddr returns the address of a kernel text symbol, as kprobe:0x
// takes it, and whether /proc/kallsyms has it.
func kallsymsAddr(t *testing.T, name string) (string, bool) {
	t.Helper()
	f, err := os.Open("/proc/kallsyms")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 3 && fields[2] == name && strings.ContainsAny(fields[1], "tT") {
			return "0x" + fields[0], fields[0] != "0000000000000000"
		}
	}
	return "", false
}

// TestKprobeAddress: kprobe:0xADDRESS and kretprobe:0xADDRESS load (the
// verifier accepts them); attaching one works where the kernel has
// kprobes, and is a positioned error where it has none (this machine).
func TestKprobeAddress(t *testing.T) {
	addr, ok := kallsymsAddr(t, "do_nanosleep")
	if !ok {
		kerneltest.Missing(t, "/proc/kallsyms shows no addresses")
	}
	prog := "kprobe:" + addr + " { @[func] = count(); } kretprobe:" + addr + " { @r = count(); }"
	if code, stderr := verify(t, "-e", prog); code != 0 || stderr != "Verified 2 programs\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	code, _, stderr := hawkOut(t, "-q", "-e", "kprobe:"+addr+" { exit(); }", "-c", "sleep 0.1")
	switch {
	case kprobesAvailable():
		if code != 0 {
			t.Errorf("kprobes attach here, but: exit %d, stderr %q", code, stderr)
		}
	case code != exitUser || !strings.HasPrefix(stderr, "-e:1:1: error: attaching kprobe:"+addr+": this kernel has no kprobes") || !strings.Contains(stderr, "\n    ^~~~"):
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = hawkOut(t, "--verify", "-e", "kprobe:vmlinux:"+addr+" { }")
	if code != exitUser || !strings.Contains(stderr, "error: a kprobe at an address takes no module") {
		t.Errorf("a module with an address: exit %d, stderr %q", code, stderr)
	}
}

// TestMissingKernelFunction: a kprobe on a function this kernel has only
// under a compiler's or allocation profiling's name suggests that name;
// one (or a raw tracepoint) of a module that is not loaded says so.
func TestMissingKernelFunction(t *testing.T) {
	for _, tc := range []struct{ fn, has string }{
		{"finish_task_switch", "finish_task_switch.isra.0"},
		{"kmem_cache_alloc", "kmem_cache_alloc_noprof"},
	} {
		if _, ok := kallsymsAddr(t, tc.has); !ok {
			t.Logf("this kernel has no %s", tc.has)
			continue
		}
		if _, ok := kallsymsAddr(t, tc.fn); ok {
			continue
		}
		code, _, stderr := hawkOut(t, "--verify", "-e", "kprobe:"+tc.fn+" { }")
		want := "-e:1:1: error: the kernel has no function " + tc.fn + " that kprobes can probe\n"
		if code != exitUser || !strings.HasPrefix(stderr, want) || !strings.Contains(stderr, "hint: did you mean \""+tc.has+"\"?") {
			t.Errorf("kprobe:%s: exit %d, stderr %q", tc.fn, code, stderr)
		}
	}
	// A module no kernel has, so that it is never loaded.
	code, _, stderr := hawkOut(t, "--verify", "-e", "rawtracepoint:hawk_nomod:nft_trace { }")
	if want := "-e:1:1: error: no module hawk_nomod is loaded: rawtracepoint:hawk_nomod:nft_trace needs it\n"; code != exitUser || !strings.HasPrefix(stderr, want) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = hawkOut(t, "--verify", "-e", "kprobe:hawk_nomod:nft_do_chain { }")
	want := "-e:1:1: error: no module hawk_nomod is loaded: kprobe:hawk_nomod:nft_do_chain needs it\n"
	if code != exitUser || !strings.HasPrefix(stderr, want) || !strings.Contains(stderr, "hint: load it (modprobe hawk_nomod)") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// initTrace runs hawk with args under GODEBUG=inittrace=1 and returns what
// each package's initialisation cost: its allocations, by package path.
func initTrace(t *testing.T, args ...string) map[string]string {
	t.Helper()
	cmd := exec.Command(hawkBin, args...)
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("hawk %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	inits := map[string]string{}
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		// init github.com/cilium/ebpf/rlimit @20 ms, 0.49 ms clock, 16168 bytes, 212 allocs
		f := strings.Fields(sc.Text())
		if len(f) >= 10 && f[0] == "init" {
			inits[f[1]] = strings.Join(f[6:], " ")
		}
	}
	return inits
}

// TestNoMemlockProbeAtInit checks that no package hawk links probes the
// kernel as it initialises: cilium/ebpf's rlimit package creates a map to
// learn whether the kernel charges BPF memory to RLIMIT_MEMLOCK, on every
// run, even of --version (kernel.RaiseMemlock reads the release instead).
func TestNoMemlockProbeAtInit(t *testing.T) {
	inits := initTrace(t, "--version")
	if len(inits) == 0 {
		t.Fatal("GODEBUG=inittrace=1 printed no initialisation")
	}
	for _, pkg := range []string{"github.com/cilium/ebpf/rlimit"} {
		if cost, ok := inits[pkg]; ok {
			t.Errorf("%s initialises (%s) in every run", pkg, cost)
		}
	}
}

package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// initCost is what one package's initialisation cost.
type initCost struct {
	text   string // "0.49 ms clock, 16168 bytes, 212 allocs"
	allocs int
}

// initTrace runs hawk with args under GODEBUG=inittrace=1 and returns what
// each package's initialisation cost, by package path.
func initTrace(t *testing.T, args ...string) map[string]initCost {
	t.Helper()
	cmd := exec.Command(hawkBin, args...)
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("hawk %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	inits := map[string]initCost{}
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		// init github.com/cilium/ebpf/rlimit @20 ms, 0.49 ms clock, 16168 bytes, 212 allocs
		f := strings.Fields(sc.Text())
		if len(f) >= 10 && f[0] == "init" {
			allocs, _ := strconv.Atoi(f[8])
			inits[f[1]] = initCost{strings.Join(f[3:], " "), allocs}
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
			t.Errorf("%s initialises (%s) in every run", pkg, cost.text)
		}
	}
}

// maxInitAllocs bounds the allocations of each of hawk's packages as it
// initialises: tables and regular expressions that a run may not need are
// built on first use (internal/lazyre, sync.OnceValue), not in every run.
const maxInitAllocs = 40

// TestLightInit checks that hawk's own packages do little as they
// initialise. lang is left out: its participle grammars are built at
// init, which another part of issue 16 makes lazy.
func TestLightInit(t *testing.T) {
	inits := initTrace(t, "--version")
	seen := 0
	for pkg, cost := range inits {
		if pkg != "main" && !strings.HasPrefix(pkg, "github.com/hawktrace/hawk") || pkg == "github.com/hawktrace/hawk/lang" {
			continue
		}
		seen++
		if cost.allocs > maxInitAllocs {
			t.Errorf("%s initialises with %d allocations (%s), more than %d", pkg, cost.allocs, cost.text, maxInitAllocs)
		}
	}
	if seen < 5 {
		t.Errorf("inittrace showed %d of hawk's packages", seen)
	}
}

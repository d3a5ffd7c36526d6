package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// cBuilds holds the build of each C test program, by its name.
var cBuilds sync.Map // name -> func() (string, error)

// cProgram builds the C test program src with gcc and flags once per test
// binary, as name in the directory TestMain made for hawk, and returns its
// path. Without gcc the test is missing what it needs.
func cProgram(t *testing.T, name, src string, flags ...string) string {
	t.Helper()
	build, _ := cBuilds.LoadOrStore(name, sync.OnceValues(func() (string, error) {
		out := filepath.Join(filepath.Dir(hawkBin), name)
		args := append(append([]string{}, flags...), "-o", out, src)
		if b, err := exec.Command("gcc", args...).CombinedOutput(); err != nil {
			return "", fmt.Errorf("%w\n%s", err, b)
		}
		return out, nil
	}))
	path, err := build.(func() (string, error))()
	if err != nil {
		if _, look := exec.LookPath("gcc"); look != nil {
			kerneltest.Missing(t, "building the %s test program needs gcc: %v", name, look)
		}
		t.Fatalf("building the %s test program: %v", name, err)
	}
	return path
}

// Package inlineprog builds inlineprog, a small C program whose calls go
// through functions gcc always inlines, for tests of the source lines and
// inlined frames hawk prints in user stacks. It needs gcc.
//
// `inlineprog N` calls outer(i) for i from 0 to N-1, 10 ms apart (N 0 or
// none: until killed). outer calls middle, middle calls inner (both
// always inlined into outer), and inner calls hawk_target(2*i), a real
// function, then stores to a global: so the return address in outer is in
// inner's code, inlined in middle's, inlined in outer's. hawk_target calls
// hawk_leaf: a stack taken at hawk_leaf's entry has that return address
// (the kernel's frame pointer walk skips the caller of the function a
// uprobe at its entry is in, here hawk_target).
package inlineprog

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// Source is the C source of inlineprog, csrc/inlineprog.c (kept apart:
// the go tool refuses .c files in a package without cgo).
//
//go:embed csrc/inlineprog.c
var Source string

// Build compiles inlineprog into dir as name.c and name with gcc -g -O2
// -fno-omit-frame-pointer (so that the kernel can walk its stacks) and the
// extra flags given (such as -no-pie), and returns the path of the binary. If gcc is missing, the error wraps exec.ErrNotFound.
func Build(dir, name string, flags ...string) (path string, err error) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		return "", fmt.Errorf("building inlineprog: %w", err)
	}
	src := filepath.Join(dir, name+".c")
	if err := os.WriteFile(src, []byte(Source), 0o644); err != nil {
		return "", err
	}
	path = filepath.Join(dir, name)
	args := append([]string{"-g", "-O2", "-fno-omit-frame-pointer"}, flags...)
	args = append(args, "-o", path, src)
	if out, err := exec.Command(gcc, args...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("gcc %v: %w\n%s", args, err, out)
	}
	return path, nil
}

// ForTest builds inlineprog, with extra gcc flags, into a temporary
// directory of t, and returns the binary's path (its source is beside it,
// with .c added). Without gcc it skips t, unless HAWK_TEST_KERNEL=1 says
// the tests must run: then it fails t.
func ForTest(t testing.TB, flags ...string) string {
	t.Helper()
	path, err := Build(t.TempDir(), "inlineprog", flags...)
	if errors.Is(err, exec.ErrNotFound) {
		kerneltest.Missing(t, "%v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// Line returns the line of Source with the marker /* @name */.
func Line(name string) int {
	for i, l := range strings.Split(Source, "\n") {
		if strings.Contains(l, "/* @"+name+" */") {
			return i + 1
		}
	}
	panic("inlineprog: no marker " + name)
}

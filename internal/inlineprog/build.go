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
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/cprog"
)

// Source is the C source of inlineprog, csrc/inlineprog.c (kept apart:
// the go tool refuses .c files in a package without cgo).
//
//go:embed csrc/inlineprog.c
var Source string

// Build compiles inlineprog into dir as name.c and name with gcc -g -O2
// -fno-omit-frame-pointer (so that the kernel can walk its stacks) and the
// extra flags given (such as -no-pie), and returns the path of the binary.
// If gcc is missing, the error wraps exec.ErrNotFound.
func Build(dir, name string, flags ...string) (path string, err error) {
	return program.Build(dir, name, flags...)
}

// ForTest builds inlineprog, with extra gcc flags, into a temporary
// directory of t, and returns the binary's path (its source is beside it,
// with .c added). Without gcc it skips t, unless HAWK_TEST_KERNEL=1 says
// the tests must run: then it fails t.
func ForTest(t testing.TB, flags ...string) string {
	t.Helper()
	return program.ForTest(t, flags...)
}

// program is inlineprog as cprog builds it.
var program = cprog.Program{Name: "inlineprog", Source: []byte(Source), Flags: []string{"-g", "-O2", "-fno-omit-frame-pointer"}}

// Line returns the line of Source with the marker /* @name */.
func Line(name string) int {
	for i, l := range strings.Split(Source, "\n") {
		if strings.Contains(l, "/* @"+name+" */") {
			return i + 1
		}
	}
	panic("inlineprog: no marker " + name)
}

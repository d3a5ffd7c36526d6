package sdtprog

import (
	_ "embed"
	"testing"

	"github.com/hawktrace/hawk/internal/cprog"
)

// Source is the C source of sdtprog, csrc/sdtprog.c (kept apart: the go
// tool refuses .c files in a package without cgo).
//
//go:embed csrc/sdtprog.c
var Source []byte

// noteHeader is csrc/sdt_note.h, which Source includes: the assembly of a
// USDT site, shared with other test programs.
//
//go:embed csrc/sdt_note.h
var noteHeader []byte

// Build compiles sdtprog into dir with gcc -O1 -g and returns the path of
// the binary (a PIE, gcc's default on Debian). If gcc is missing, the
// error wraps exec.ErrNotFound.
//
// `sdtprog N` runs N iterations, 10 ms apart (N 0: until killed), and
// prints nothing. Iteration i, from 0, fires in this order
//
//	hawktest:tick   -4@i  -8@i*1000  8@"hello" (a const char *)
//	hawktest:gated  -4@i, only while its semaphore
//	                hawktest_gated_semaphore (in .probes) is non-zero,
//	                that is while a tracer is attached with RefCtrOffset
//	hawktest:global -4@hawktest_total(%rip) (a global that is i+1),
//	                -2@-i, 1@200+i
//
// so `sdtprog 5` fires tick and global 5 times each, last with i = 4.
func Build(dir string) (path string, err error) {
	return BuildWith(dir, "sdtprog")
}

// BuildWith is Build with the binary named name and extra gcc flags, such
// as -no-pie.
func BuildWith(dir, name string, flags ...string) (path string, err error) {
	return program.Build(dir, name, flags...)
}

// ForTest builds sdtprog, with extra gcc flags, into a temporary
// directory of t. Without gcc it skips t, unless HAWK_TEST_KERNEL=1 says
// the tests must run: then it fails t.
func ForTest(t testing.TB, flags ...string) string {
	t.Helper()
	return program.ForTest(t, flags...)
}

// program is sdtprog as cprog builds it: gcc -O1 -g.
var program = cprog.Program{Name: "sdtprog", Source: Source, Headers: map[string][]byte{"sdt_note.h": noteHeader}, Flags: []string{"-O1", "-g"}}

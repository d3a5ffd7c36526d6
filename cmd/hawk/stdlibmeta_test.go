package main

import (
	"strings"
	"testing"
)

// TestAssert: assert() of bpftrace's standard library (stdlib/base.bt)
// reports a failed condition where bpftrace's does, and where the script
// called it, and exits with 1; a condition that holds does nothing.
func TestAssert(t *testing.T) {
	script := `BEGIN { $x = 2; assert($x == 2, "fine"); assert($x > 5, "x is small"); printf("not reached\n"); }`
	stdout, stderr, code := runStreams(t, "-q", "-e", script)
	want := "stdlib/base.bt:6:5-37: ERROR: assert failed: x is small\nstdin:1:42-70: ERROR: expanded from\n"
	if code != 1 || !strings.HasPrefix(stderr, want) || strings.Contains(stdout, "not reached") {
		t.Errorf("exit %d, stdout %q, stderr %q, want it to begin %q", code, stdout, stderr, want)
	}
	runConstructs(t, []construct{{
		name:   "is_err",
		script: `BEGIN { printf("%d %d %d %d\n", is_err((int8 *)(int64)-2), is_err((int8 *)(int64)-4095), is_err((uint64)-4096), is_err((int8 *)0)); exit(); }`,
		out:    "1 1 0 0\n",
	}})
}

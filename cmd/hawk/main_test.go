package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hawkRun runs the command in-process.
func hawkRun(stdin string, args ...string) (stdout, stderr string, code int) {
	var out, errw bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errw)
	return out.String(), errw.String(), code
}

// TestUserErrors: mistakes in the script or on the command line exit 1
// with a positioned message, never a Go stack trace.
func TestUserErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-e", "BEGIN { @x = nsec; }"}, "-e:1:14: error: unknown identifier \"nsec\"\n    BEGIN { @x = nsec; }\n                 ^~~~\nhint: did you mean \"nsecs\"?\n"},
		{[]string{"-e", "BEGIN { printf(\"%d\\n\", \"s\"); }"}, "-e:1:24: error: %d expects an integer, not string[2]"},
		{[]string{"-e", "BEGIN {"}, "-e:1:8: error: unexpected end of input: missing '}'"},
		{[]string{"/no/such/file.bt"}, "hawk: open /no/such/file.bt: no such file or directory"},
		{[]string{"-z"}, "hawk: unknown option -z\nUSAGE:\n    hawk [options] FILE [args...]\n"},
		{nil, "hawk: no program given"},
	} {
		stdout, stderr, code := hawkRun("", tc.args...)
		if code != 1 || !strings.HasPrefix(stderr, tc.want) || stdout != "" {
			t.Errorf("%q: code %d\nstdout %q\nstderr %q\nwant prefix %q", tc.args, code, stdout, stderr, tc.want)
		}
		if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
			t.Errorf("%q: a Go stack trace leaked: %s", tc.args, stderr)
		}
	}
}

func TestHelpAndVersion(t *testing.T) {
	stdout, _, code := hawkRun("", "-h")
	if code != 0 || !strings.Contains(stdout, "USAGE:") {
		t.Errorf("-h: %d %q", code, stdout)
	}
	stdout, _, code = hawkRun("", "--version")
	if code != 0 || !strings.HasPrefix(stdout, "hawk v") {
		t.Errorf("--version: %d %q", code, stdout)
	}
}

// TestDebugStages prints the AST and the listing without loading anything.
func TestDebugStages(t *testing.T) {
	stdout, stderr, code := hawkRun("", "-d", "ast", "-e", `BEGIN { printf("%d\n", 1+2); }`)
	want := "Program\n BEGIN\n  call: printf\n   string: %d\\n :: string[4]\n   + :: int64\n    int: 1 :: int8\n    int: 2 :: int8\n"
	if code != 0 || stdout != want {
		t.Errorf("-d ast: %d\n%s\nstderr %s", code, stdout, stderr)
	}
	stdout, _, code = hawkRun("", "-d", "asm", "-e", `BEGIN { @c = count(); }`)
	if code != 0 || !strings.Contains(stdout, "hawk_begin0: BEGIN\n") || !strings.Contains(stdout, "; -e:1: @c = count()") ||
		!strings.Contains(stdout, "Call FnMapLookupElem") {
		t.Errorf("-d asm: %d\n%s", code, stdout)
	}
}

// TestProgramSources: a program from a file with parameters, and from stdin.
func TestProgramSources(t *testing.T) {
	file := filepath.Join(t.TempDir(), "p.bt")
	os.WriteFile(file, []byte("#!/usr/bin/env hawk\nBEGIN { printf(\"%d %s\\n\", $1, $2) }\n"), 0o644)
	stdout, stderr, code := hawkRun("", "-d", "ast", file, "5", "x")
	if code != 0 || !strings.Contains(stdout, "param: $1 :: int8") || !strings.Contains(stdout, "param: $2 :: string[2]") {
		t.Errorf("file: %d %q %q", code, stdout, stderr)
	}
	stdout, _, code = hawkRun("BEGIN { exit(); }", "-d", "ast", "-")
	if code != 0 || !strings.Contains(stdout, "call: exit") {
		t.Errorf("stdin: %d %q", code, stdout)
	}
	_, stderr, _ = hawkRun("BEGIN { nope }", "-")
	if !strings.HasPrefix(stderr, "stdin:1:9: error: unknown identifier \"nope\"") {
		t.Errorf("stdin errors are named stdin: %q", stderr)
	}
}

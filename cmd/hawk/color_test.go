package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestColor: BPFTRACE_COLOR=always colors the severity of hawk's
// messages, red errors and yellow warnings; never and auto (off a
// terminal) leave them plain; another value warns.
func TestColor(t *testing.T) {
	os.Setenv(colorEnv, "always")
	stdout, stderr, code := hawkRun("", "-e", "BEGIN { x }")
	if want := "-e:1:9: \x1b[31merror\x1b[0m: unknown identifier \"x\"\n    BEGIN { x }\n"; code != 1 || stdout != "" || !strings.HasPrefix(stderr, want) {
		t.Errorf("always: exit %d, stderr %q, want prefix %q", code, stderr, want)
	}
	for _, v := range []string{"never", "auto"} {
		os.Setenv(colorEnv, v)
		_, stderr, _ = hawkRun("", "-e", "BEGIN { x }")
		if !strings.HasPrefix(stderr, "-e:1:9: error: unknown identifier") {
			t.Errorf("%s: stderr %q", v, stderr)
		}
	}
	os.Setenv(colorEnv, "sometimes")
	_, stderr, _ = hawkRun("", "-e", "BEGIN { x }")
	if !strings.HasPrefix(stderr, "hawk: warning: BPFTRACE_COLOR must be auto, always or never, not \"sometimes\": taking auto\n-e:1:9: error:") {
		t.Errorf("sometimes: stderr %q", stderr)
	}
	os.Unsetenv(colorEnv)

	var b bytes.Buffer
	w := &colorWriter{w: &b, bol: true}
	w.Write([]byte("hawk: warning: a\n-e:1:37-41: WARNING: b\nno error: here"))
	w.Write([]byte(" error: mid-line\nfile.bt:2:1: error: c\n"))
	want := "hawk: \x1b[33mwarning\x1b[0m: a\n-e:1:37-41: \x1b[33mWARNING\x1b[0m: b\nno error: here error: mid-line\nfile.bt:2:1: \x1b[31merror\x1b[0m: c\n"
	if b.String() != want {
		t.Errorf("colorWriter: %q, want %q", b.String(), want)
	}
}

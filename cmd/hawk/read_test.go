package main

import (
	"bytes"
	"testing"
)

// endless is a stdin that never ends, counting what it gave.
type endless struct{ given int }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	e.given += len(p)
	return len(p), nil
}

// TestScriptSizeLimit: hawk reads a script through a limit. Given
// /dev/zero, or a stdin that never ends, it grew by 150 MB/s until killed;
// now it stops after 16 MiB and exits 1, saying why.
func TestScriptSizeLimit(t *testing.T) {
	stdout, stderr, code := hawkRun("", "/dev/zero")
	if code != 1 || stdout != "" || stderr != "hawk: /dev/zero is larger than 16 MiB, the most hawk reads of a script\n" {
		t.Errorf("/dev/zero: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	var out, errw bytes.Buffer
	in := &endless{}
	code = run([]string{"-"}, in, &out, &errw)
	if code != 1 || errw.String() != "hawk: the program on stdin is larger than 16 MiB, the most hawk reads of a script\n" {
		t.Errorf("endless stdin: code %d, stderr %q", code, errw.String())
	}
	if in.given > 17<<20 {
		t.Errorf("read %d bytes of stdin", in.given)
	}
}

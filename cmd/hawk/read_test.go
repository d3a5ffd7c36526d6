package main

import (
	"bytes"
	"os"
	"testing"
)

// TestScriptSizeLimit: hawk reads a script through a limit. Given
// /dev/zero as the script or as stdin, it grew by 150 MB/s until killed;
// now it stops after 16 MiB and exits 1, saying why.
func TestScriptSizeLimit(t *testing.T) {
	stdout, stderr, code := hawkRun("", "/dev/zero")
	if code != 1 || stdout != "" || stderr != "hawk: /dev/zero is larger than 16 MiB, the most hawk reads of a script\n" {
		t.Errorf("/dev/zero: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	zero, err := os.Open("/dev/zero")
	if err != nil {
		t.Fatal(err)
	}
	defer zero.Close()
	var out, errw bytes.Buffer
	code = run([]string{"-"}, zero, &out, &errw)
	if code != 1 || errw.String() != "hawk: the program on stdin is larger than 16 MiB, the most hawk reads of a script\n" {
		t.Errorf("endless stdin: code %d, stderr %q", code, errw.String())
	}
}

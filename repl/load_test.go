package repl

import (
	"bytes"
	"testing"
)

// TestLoadReadsThroughALimit: .load reads a file through the limit of a
// script; .load /dev/zero grew by 150 MB/s until killed.
func TestLoadReadsThroughALimit(t *testing.T) {
	var out bytes.Buffer
	r := New(Config{Stdout: &out, Stderr: &out})
	err := r.load([]string{"/dev/zero"})
	if err == nil || err.Error() != "/dev/zero is larger than 16 MiB, the most hawk reads of a script" {
		t.Errorf("got %v", err)
	}
	if len(r.entries) != 0 {
		t.Errorf("%d entries after a failed .load", len(r.entries))
	}
}

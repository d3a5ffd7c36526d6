package repl

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// TestSaveFollowsNoForeignLink: .save does not write through a link
// another user planted in a sticky world-writable directory, and writes
// through one's own.
func TestSaveFollowsNoForeignLink(t *testing.T) {
	kerneltest.Require(t) // chown needs root
	target, foreign, own := kerneltest.StickyLinks(t)
	var stderr bytes.Buffer
	r := New(Config{Stdout: &bytes.Buffer{}, Stderr: &stderr})
	err := r.save([]string{foreign})
	if err == nil || !strings.Contains(err.Error(), "symbolic link in a sticky world-writable directory") {
		t.Errorf(".save through a foreign link: %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "precious\n" {
		t.Errorf("the link's target was written: %q", b)
	}
	if err := r.save([]string{own}); err != nil {
		t.Fatalf(".save through one's own link: %v", err)
	}
	if b, _ := os.ReadFile(target); !strings.HasPrefix(string(b), "// Saved from a hawk REPL session.") {
		t.Errorf("the saved script: %q", b)
	}
}

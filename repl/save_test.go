package repl

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// TestSaveFollowsNoForeignLink: .save does not write through a link
// another user planted in a sticky world-writable directory, and writes
// through one's own.
func TestSaveFollowsNoForeignLink(t *testing.T) {
	kerneltest.Require(t) // chown needs root
	target := filepath.Join(t.TempDir(), "victim")
	os.WriteFile(target, []byte("precious\n"), 0o644)
	sticky := filepath.Join(t.TempDir(), "tmp")
	os.Mkdir(sticky, 0o755)
	os.Chmod(sticky, os.ModeSticky|0o777)
	foreign := filepath.Join(sticky, "saved.bt")
	os.Symlink(target, foreign)
	if err := os.Lchown(foreign, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	r := New(Config{Stdout: &bytes.Buffer{}, Stderr: &stderr})
	err := r.save([]string{foreign})
	if err == nil || !strings.Contains(err.Error(), "symbolic link in a sticky world-writable directory") {
		t.Errorf(".save through a foreign link: %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "precious\n" {
		t.Errorf("the link's target was written: %q", b)
	}
	own := filepath.Join(sticky, "mine.bt")
	os.Symlink(target, own)
	if err := r.save([]string{own}); err != nil {
		t.Fatalf(".save through one's own link: %v", err)
	}
	if b, _ := os.ReadFile(target); !strings.HasPrefix(string(b), "// Saved from a hawk REPL session.") {
		t.Errorf("the saved script: %q", b)
	}
}

package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// TestOutputNeverOverwritesTheScript: -o and --emit-elf refuse to write
// over the script hawk runs, or a file it imports, by whatever name: one
// line, exit 1, the script intact.
func TestOutputNeverOverwritesTheScript(t *testing.T) {
	dir := t.TempDir()
	const text = "import \"lib.bt\";\nBEGIN { printf(\"hi\\n\"); exit(); }\n"
	const lib = "BEGIN { printf(\"lib\\n\"); }\n"
	script, libFile := filepath.Join(dir, "s.bt"), filepath.Join(dir, "lib.bt")
	os.WriteFile(script, []byte(text), 0o644)
	os.WriteFile(libFile, []byte(lib), 0o644)
	hard, soft := filepath.Join(dir, "hard.bt"), filepath.Join(dir, "soft.bt")
	if err := os.Link(script, hard); err != nil {
		t.Fatal(err)
	}
	os.Symlink("s.bt", soft)
	for _, args := range [][]string{
		{"-o", script, script},
		{"-o", hard, script},
		{"-o", soft, script},
		{"-o", script, soft},
		{"-o", libFile, script},
		{"--emit-elf", script, script},
		{"--emit-elf", soft, script},
		{"--emit-elf", libFile, script},
	} {
		code, stdout, stderr := hawkOut(t, args...)
		if code != exitUser || stdout != "" || !regexp.MustCompile(`^hawk: error: (-o|--emit-elf): refusing to write .*: it is .*, the script being run\n$`).MatchString(stderr) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	if b, _ := os.ReadFile(script); string(b) != text {
		t.Errorf("the script was written over: %q", b)
	}
	if b, _ := os.ReadFile(libFile); string(b) != lib {
		t.Errorf("the imported file was written over: %q", b)
	}
	out := filepath.Join(dir, "out.txt")
	if code, _, stderr := hawkOut(t, "-q", "-o", out, script); code != 0 {
		t.Fatalf("-o to another file: exit %d, %q", code, stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != "lib\nhi\n\n\n" {
		t.Errorf("-o wrote %q", b)
	}
}

// TestOutputFollowsNoForeignLink: a link another user planted in a sticky
// world-writable directory (as /tmp is) is not followed by -o or
// --emit-elf, whatever protected_symlinks says; one's own link is.
func TestOutputFollowsNoForeignLink(t *testing.T) {
	kerneltest.Require(t) // chown needs root
	victim, planted, own := kerneltest.StickyLinks(t)
	const prog = `BEGIN { printf("hi\n"); exit(); }`
	for _, args := range [][]string{{"-o", planted, "-e", prog}, {"--emit-elf", planted, "-e", prog}} {
		code, _, stderr := hawkOut(t, args...)
		if code != exitUser || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "refusing to write "+planted+": "+planted+" is a symbolic link in a sticky world-writable directory") {
			t.Errorf("%q: exit %d, stderr %q", args, code, stderr)
		}
	}
	if b, _ := os.ReadFile(victim); string(b) != "precious\n" {
		t.Fatalf("the planted link's target was written: %q", b)
	}
	if code, _, stderr := hawkOut(t, "-q", "-o", own, "-e", prog); code != 0 {
		t.Fatalf("-o through one's own link: exit %d, %q", code, stderr)
	}
	if b, _ := os.ReadFile(victim); string(b) != "hi\n\n\n" {
		t.Errorf("-o through one's own link wrote %q", b)
	}
}

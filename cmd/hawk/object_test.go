package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestEmitELF: --emit-elf writes the compiled script as an object, and
// hawk runs the object as it runs the script, with no compile step.
func TestEmitELF(t *testing.T) {
	obj := filepath.Join(t.TempDir(), "opens.o")
	script := `BEGIN { printf("start\n"); } tracepoint:syscalls:sys_enter_openat /pid == cpid/ { @[str(args.filename)] = count(); }`
	code, stdout, stderr := hawkOut(t, "--emit-elf", obj, "-c", "/bin/cat /dev/null", "-e", script)
	if code != 0 || stdout != "" || stderr != "" {
		t.Fatalf("--emit-elf: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if b, err := os.ReadFile(obj); err != nil || string(b[:4]) != "\x7fELF" {
		t.Fatalf("%s is not an ELF object: %v", obj, err)
	}
	code, stdout, stderr = hawkOut(t, "-c", "/bin/cat /dev/null", obj)
	if code != 0 || !regexp.MustCompile(`^start\n\n\n(@\[.*\]: \d+\n)*@\[/dev/null\]: 1\n`).MatchString(stdout) || stderr != "Attached 2 probes\n" {
		t.Errorf("running the object: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// A file that is neither a script nor hawk's object says so.
	bad := filepath.Join(t.TempDir(), "bad.o")
	os.WriteFile(bad, []byte("\x7fELF\x02\x01\x01garbage"), 0o644)
	code, _, stderr = hawkOut(t, bad)
	if code != exitUser || !regexp.MustCompile(`^hawk: error: reading .*bad.o: .+\n$`).MatchString(stderr) {
		t.Errorf("bad object: exit %d, stderr %q", code, stderr)
	}
}

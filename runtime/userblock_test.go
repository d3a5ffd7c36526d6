package runtime_test

import (
	"context"
	"testing"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
	"github.com/hawktrace/hawk/runtime/output"
)

// TestUserBlocks: BEGIN and END blocks that run in user space, with no
// program, print what their programs print, byte for byte, in text and
// JSON, in order with the blocks and probes that keep their programs, and
// exit() in them ends the run with its code.
func TestUserBlocks(t *testing.T) {
	kerneltest.Require(t)
	for _, text := range []string{
		`BEGIN { printf("a %s %d\n", "x", 5); print("hi"); exit(3); printf("dropped\n"); } END { printf("end %d\n", 1+2); }`,
		`BEGIN { printf("one\n"); } BEGIN { @x = 1; printf("two\n"); } BEGIN { printf("three\n"); exit(); }
		 END { printf("e1\n"); print(@x); clear(@x); } END { @y = 2; printf("e2\n"); } END { printf("e3\n"); time(""); }`,
		`BEGIN { printf("start\n"); } interval:ms:10 { @c = count(); @m[1] = 5; if (@c == 3) { exit(); } }
		 END { printf("\nTop:\n"); print(@m, 1); clear(@m); zero(@c); print(@c); }`,
		`BEGIN { @a = 1; } END { print(@a); exit(4); }`,
	} {
		for _, format := range []output.Format{output.FormatText, output.FormatJSON} {
			kernel, kcode := runBlocks(t, text, format, true)
			user, ucode := runBlocks(t, text, format, false)
			if kernel != user || kcode != ucode {
				t.Errorf("%s (format %d): in user space\n%q (exit %d), in the kernel\n%q (exit %d)", text, format, user, ucode, kernel, kcode)
			}
		}
	}
}

// runBlocks runs text to its end and returns what it printed and its exit
// code, with BEGIN and END in the kernel or where codegen puts them.
func runBlocks(t *testing.T, text string, format output.Format, kernel bool) (string, int) {
	t.Helper()
	script, err := hawk.Compile(lang.NewSource("test.bt", text), hawk.Config{KernelBeginEnd: kernel})
	if err != nil {
		t.Fatal(err)
	}
	users := 0
	for _, p := range script.Out.Manifest.Programs {
		if p.User != nil {
			users++
		}
	}
	if kernel != (users == 0) {
		t.Fatalf("%s: %d blocks in user space", text, users)
	}
	var stdout, stderr kerneltest.Buffer
	s, err := runtime.Load(script.Out, runtime.Options{Stdout: &stdout, Stderr: &stderr, Format: format})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	code, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return stdout.String() + stderr.String(), code
}

package runtime_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
)

// TestVerifierErrorNamesTheLine: when the kernel refuses a program, the
// error names the probe and the script line of the failing instruction,
// with the verifier's reason, not the raw log.
func TestVerifierErrorNamesTheLine(t *testing.T) {
	kerneltest.Require(t)
	script, err := hawk.Compile(lang.NewSource("bad.bt", "BEGIN {\n  exit();\n}\n"), hawk.Config{})
	if err != nil {
		t.Fatal(err)
	}
	// Break the program: read R2 before anything set it, on line 2.
	prog := script.Out.Spec.Programs[script.Out.Manifest.Programs[0].Name]
	src := &codegen.Source{Pos: lang.Pos{Filename: "bad.bt", Line: 2, Column: 3}, Text: "exit()"}
	prog.Instructions = asm.Instructions{
		asm.Mov.Reg(asm.R0, asm.R2).WithSource(src),
		asm.Return(),
	}
	_, err = runtime.Load(script.Out, runtime.Options{Stdout: io.Discard, Stderr: io.Discard})
	var le *runtime.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("got %v, want a LoadError", err)
	}
	msg := err.Error()
	for _, want := range []string{"the kernel refused the program for BEGIN", "at bad.bt:2: exit()", "R2 !read_ok", "-v"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q is missing from:\n%s", want, msg)
		}
	}
	var ve *ebpf.VerifierError
	if !errors.As(err, &ve) {
		t.Error("the verifier's error should stay reachable with errors.As")
	}
}

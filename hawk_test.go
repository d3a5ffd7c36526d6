package hawk_test

import (
	"errors"
	"io"
	"testing"

	"github.com/cilium/ebpf/asm"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
)

// TestVerify: Verify loads every program, attaches none, and fails when
// the kernel refuses one.
func TestVerify(t *testing.T) {
	kerneltest.Require(t)
	src := lang.NewSource("v.bt", "BEGIN { printf(\"x\\n\"); }\nEND { @n = count(); }\n")
	script, err := hawk.Compile(src, hawk.Config{})
	if err != nil {
		t.Fatal(err)
	}
	opts := runtime.Options{Stdout: io.Discard, Stderr: io.Discard}
	if n, err := script.Verify(opts); err != nil || n != 2 {
		t.Fatalf("Verify: %d programs, %v", n, err)
	}
	// Break the END program: it returns a register never set.
	prog := script.Out.Spec.Programs[script.Out.Manifest.Programs[1].Name]
	prog.Instructions = asm.Instructions{asm.Mov.Reg(asm.R0, asm.R2), asm.Return()}
	_, err = script.Verify(opts)
	var le *runtime.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("got %v, want a LoadError", err)
	}
}

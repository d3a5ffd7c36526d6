package runtime_test

import (
	"io"
	"testing"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
)

// TestEmptySyscallProbe: a syscall probe that does nothing is the
// kernel's 2 instructions, as bpftrace's (it was 7: a syscall filter and
// a compat check with nothing behind them).
func TestEmptySyscallProbe(t *testing.T) {
	kerneltest.Require(t)
	script, err := hawk.Compile(lang.NewSource("-e", `tracepoint:syscalls:sys_enter_getppid { }`), hawk.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := runtime.Load(script.Out, runtime.Options{Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := s.XlatedSize(script.Out.Manifest.Programs[0].Name); err != nil || n != 2 {
		t.Errorf("xlated instructions: %d (%v), want 2", n, err)
	}
}

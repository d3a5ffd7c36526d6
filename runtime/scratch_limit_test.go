package runtime_test

import (
	"io"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/runtime"
	"github.com/hawktrace/hawk/runtime/kernel"
)

// TestScratchLimitLoads: a map key as large as codegen.MaxScratch, which
// codegen accepts, is one the kernel takes too (one byte more is a
// compile error, codegen's TestScratchLimits).
func TestScratchLimitLoads(t *testing.T) {
	kerneltest.Require(t)
	key := strings.Repeat("k", codegen.MaxScratch-1)
	out := compileFor(t, &kernel.Env{}, `BEGIN { @["`+key+`"] = 1; }`, codegen.Options{})
	if size := out.Spec.Maps[out.Manifest.Maps[0].SpecName].KeySize; size != codegen.MaxScratch {
		t.Fatalf("key of %d bytes", size)
	}
	var stdout strings.Builder
	s, err := runtime.Load(out, runtime.Options{Stdout: &stdout, Stderr: io.Discard, Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "@["+key+"]: 1") {
		t.Errorf("printed %.100q", stdout.String())
	}
}

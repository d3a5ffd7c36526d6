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
// with the verifier's reason, not the raw log. Where the statement's span
// is known, the message is positioned as the checker's are: file:line:col,
// the line, a caret under the statement.
func TestVerifierErrorNamesTheLine(t *testing.T) {
	kerneltest.Require(t)
	for _, tc := range []struct {
		end        int // the statement's end; 0 when unknown
		positioned bool
		want       []string
	}{
		{0, false, []string{"the kernel refused the program for BEGIN", "at bad.bt:2: exit()", "R2 !read_ok", "-v"}},
		{16, true, []string{"bad.bt:2:3: error: the kernel refused the program for BEGIN\n      exit();\n      ^~~~~~\n", "verifier: R2 !read_ok", "-v"}},
	} {
		script, err := hawk.Compile(lang.NewSource("bad.bt", "BEGIN {\n  exit();\n}\n"), hawk.Config{KernelBeginEnd: true})
		if err != nil {
			t.Fatal(err)
		}
		// Break the program: read R2 before anything set it, on line 2.
		prog := script.Out.Spec.Programs[script.Out.Manifest.Programs[0].Name]
		src := &codegen.Source{Pos: lang.Pos{Filename: "bad.bt", Offset: 10, Line: 2, Column: 3}, Text: "exit()", End: tc.end}
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
		for _, want := range tc.want {
			if !strings.Contains(msg, want) {
				t.Errorf("%q is missing from:\n%s", want, msg)
			}
		}
		if le.Positioned() != tc.positioned || tc.positioned && !strings.HasPrefix(msg, "bad.bt:2:3: error: ") {
			t.Errorf("positioned %v, want %v:\n%s", le.Positioned(), tc.positioned, msg)
		}
		var ve *ebpf.VerifierError
		if !errors.As(err, &ve) {
			t.Error("the verifier's error should stay reachable with errors.As")
		}
	}
}

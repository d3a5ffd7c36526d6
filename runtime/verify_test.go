package runtime_test

import (
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
)

// TestVerifierAcceptsScripts loads every test and example script, which
// runs the kernel's verifier on every program, then unloads it.
func TestVerifierAcceptsScripts(t *testing.T) {
	kerneltest.Require(t)
	var files []string
	for _, pattern := range []string{"../lang/testdata/parse/*.bt", "../codegen/testdata/*.bt", "../examples/*.bt"} {
		more, _ := filepath.Glob(pattern)
		files = append(files, more...)
	}
	if len(files) < 10 {
		t.Fatalf("only %d scripts found", len(files))
	}
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			text := readFile(t, file)
			// The test scripts read $1 and $2; the examples run as users
			// run them, without parameters.
			var params []string
			if !strings.Contains(file, "examples/") {
				params = []string{"42", "str"}
			}
			script, err := hawk.Compile(lang.NewSource(file, text), hawk.Config{Params: params})
			if err != nil {
				t.Fatal(err)
			}
			// Compiling is deterministic: the same listing every time.
			again, err := hawk.Compile(lang.NewSource(file, text), hawk.Config{Params: params})
			if err != nil {
				t.Fatal(err)
			}
			var a, b strings.Builder
			codegen.Fprint(&a, script.Out)
			codegen.Fprint(&b, again.Out)
			if a.String() != b.String() {
				t.Error("two compilations differ")
			}
			s, err := runtime.Load(script.Out, runtime.Options{Stdout: io.Discard, Stderr: io.Discard, Verbose: true})
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			// The REPL's programs also count their hits.
			counted, err := codegen.Generate(script.Prog, script.Info, codegen.Options{CountHits: true})
			if err != nil {
				t.Fatal(err)
			}
			if counted.Manifest.HitsMap == "" || int(counted.Spec.Maps[counted.Manifest.HitsMap].MaxEntries) != len(counted.Manifest.Programs) {
				t.Fatalf("no hits map with a slot per program: %q", counted.Manifest.HitsMap)
			}
			s, err = runtime.Load(counted, runtime.Options{Stdout: io.Discard, Stderr: io.Discard, Verbose: true})
			if err != nil {
				t.Fatalf("counting hits: %v", err)
			}
			s.Close()
		})
	}
}

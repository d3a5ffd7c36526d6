package lang

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/golden"
)

// errorsIn are the scripts of testdata/diag that hold more than one
// mistake, with how many errors they must give. Every other script holds
// one mistake and must give one error.
var errorsIn = map[string]int{
	// Two mistakes in two probes: the checker reports both at once.
	"two_independent_mistakes.bt": 2,
}

// TestDiagnosticsGolden checks the rendered diagnostics of every
// testdata/diag/NAME.bt, a script with a mistake, against NAME.golden:
// position, message, source line, caret span and hint, as the hawk
// command prints them. `go test ./lang -run TestDiagnosticsGolden -update`
// rewrites the golden files.
func TestDiagnosticsGolden(t *testing.T) {
	golden.ForEach(t, "testdata/diag/*.bt", func(t *testing.T, file, text string) {
		name := filepath.Base(file)
		got := compileErr(name, text)
		if got == "" {
			t.Fatalf("%s compiles without an error; every script here must hold a mistake", file)
		}
		errors := 0
		for _, line := range strings.Split(got, "\n") {
			if strings.HasPrefix(line, name+":") && strings.Contains(line, ": error: ") {
				errors++
			}
		}
		want, ok := errorsIn[name]
		if !ok {
			want = 1
		}
		if errors != want {
			t.Errorf("%s gives %d errors, want %d: one mistake, one message\n%s", file, errors, want, got)
		}
		golden.Check(t, strings.TrimSuffix(file, ".bt")+".golden", got+"\n")
	})
}

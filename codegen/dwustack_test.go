package codegen_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/golden"
	"github.com/hawktrace/hawk/internal/testenv"
	"github.com/hawktrace/hawk/lang"
)

// TestDwUstackGolden compiles testdata/dwustack/*.bt, scripts that take a
// dw_ustack and so need a target process, and compares their listings
// with the .golden files; every byte the programs store or send is
// written first (initcheck).
func TestDwUstackGolden(t *testing.T) {
	golden.ForEach(t, "testdata/dwustack/*.bt", func(t *testing.T, file, text string) {
		out, err := generate(testenv.Env{}, filepath.Base(file), text, lang.Config{UnwindTargets: true})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		codegen.Fprint(&b, out)
		golden.Check(t, strings.TrimSuffix(file, ".bt")+".golden", b.String())
		checkInit(t, file, out)
		for _, name := range []string{codegen.DwFilesMap, codegen.DwRowsMap, codegen.DwProcsMap, "hawk_dwstack8"} {
			if out.Spec.Maps[name] == nil {
				t.Errorf("no map %s", name)
			}
		}
	})
}

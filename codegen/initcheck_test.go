package codegen_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/golden"
	"github.com/hawktrace/hawk/internal/initcheck"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/internal/testenv"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/kernel"
)

// initLeaks returns what initcheck finds in a compiled script, with the
// instructions around each finding.
func initLeaks(out *codegen.Output) []string {
	var leaks []string
	for _, f := range initcheck.Check(out.Spec, initcheck.Config{Scratch: codegen.ScratchMapName}) {
		insns := out.Spec.Programs[f.Program].Instructions
		var b strings.Builder
		at := f.Offset
		for i := f.Index - 1; i >= max(f.Index-6, 0); i-- {
			at -= int(insns[i].Size() / 8)
		}
		for i := max(f.Index-6, 0); i < min(f.Index+3, len(insns)); i++ {
			mark := "  "
			if i == f.Index {
				mark = "=>"
			}
			fmt.Fprintf(&b, "\t%s %d: %v\n", mark, at, insns[i])
			at += int(insns[i].Size() / 8)
		}
		leaks = append(leaks, f.String()+"\n"+b.String())
	}
	return leaks
}

// checkInit fails t for every read of unwritten memory in out.
func checkInit(t testing.TB, name string, out *codegen.Output) {
	t.Helper()
	for _, l := range initLeaks(out) {
		t.Errorf("%s: %s", name, l)
	}
}

// TestNoUninitialisedReads runs initcheck over every program compiled
// from the test scripts of codegen and lang and the initcheck corpus,
// and from those of lang's error tests that compile (warnings only).
func TestNoUninitialisedReads(t *testing.T) {
	for _, pattern := range []string{"testdata/*.bt", "testdata/initcheck/*.bt", "../lang/testdata/parse/*.bt"} {
		golden.ForEach(t, pattern, func(t *testing.T, file, text string) {
			checkInit(t, file, compileWith(t, testenv.Env{}, file, text, []string{"42", "str"}))
		})
	}
	for _, pattern := range []string{"../lang/testdata/diag/*.bt", "../lang/testdata/errors/*.bt"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			text, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if out, err := generate(testenv.Env{}, file, string(text), lang.Config{Params: []string{"42", "str"}}); err == nil {
				checkInit(t, file, out)
			}
		}
	}
}

// TestNoUninitialisedReadsKernel runs initcheck over the examples and
// the scripts of cmd/hawk's constructs table, the widest collection of
// language constructs, compiled for this kernel (its tracefs needs root).
func TestNoUninitialisedReadsKernel(t *testing.T) {
	kerneltest.Require(t)
	env := &kernel.Env{}
	golden.ForEach(t, "../examples/*.bt", func(t *testing.T, file, text string) {
		checkInit(t, file, compileWith(t, env, file, text, nil))
	})
	for i, text := range constructScripts(t) {
		t.Run(fmt.Sprint("construct", i), func(t *testing.T) {
			out, err := generate(env, "construct", text, lang.Config{Params: []string{"1", "2", "3", "4", "5"}, Unsafe: true, Child: true})
			if err != nil {
				t.Skipf("%v", err) // a construct that shows an error
			}
			checkInit(t, text, out)
		})
	}
}

// compileWith compiles a script file, with its imports, in env.
func compileWith(t testing.TB, env lang.Env, file, text string, params []string) *codegen.Output {
	t.Helper()
	out, err := generate(env, file, text, lang.Config{Params: params})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// generate parses, checks and compiles a script file, with its imports.
func generate(env lang.Env, file, text string, cfg lang.Config) (*codegen.Output, error) {
	return generateOpts(env, file, text, cfg, codegen.Options{})
}

// generateOpts is generate with code generation's options.
func generateOpts(env lang.Env, file, text string, cfg lang.Config, opts codegen.Options) (*codegen.Output, error) {
	prog, err := lang.ParseFiles(lang.NewSource(file, text))
	if err != nil {
		return nil, err
	}
	info, err := lang.Check(prog, env, cfg)
	if err != nil {
		return nil, err
	}
	return codegen.Generate(prog, info, opts)
}

// constructScripts reads the scripts of cmd/hawk's constructs table, the
// widest collection of language constructs, as text.
func constructScripts(t *testing.T) []string {
	file := filepath.Join("..", "cmd", "hawk", "constructs_test.go")
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var scripts []string
	ast.Inspect(f, func(n ast.Node) bool {
		kv, ok := n.(*ast.KeyValueExpr)
		if !ok {
			return true
		}
		if id, ok := kv.Key.(*ast.Ident); !ok || id.Name != "script" {
			return true
		}
		if lit, ok := kv.Value.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil {
				scripts = append(scripts, s)
			}
		}
		return true
	})
	if len(scripts) < 50 {
		t.Fatalf("only %d scripts in %s", len(scripts), file)
	}
	return scripts
}

package lang_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/kernel"
)

// ctypeNames lists every name the table of cIntType (ctypes.go) answers:
// the strings of its cases.
func ctypeNames(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "ctypes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	ast.Inspect(f, func(n ast.Node) bool {
		if cc, ok := n.(*ast.CaseClause); ok {
			for _, e := range cc.List {
				if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					names = append(names, s)
				}
			}
		}
		return true
	})
	return names
}

// TestCIntTypesMatchBTF checks every entry of the table of integer C
// types against the running kernel's BTF: where the table has a type, BTF
// has the same; where it has none, BTF has no integer type of that name.
func TestCIntTypesMatchBTF(t *testing.T) {
	if _, err := os.Stat("/sys/kernel/btf/vmlinux"); err != nil {
		kerneltest.Missing(t, "no kernel BTF: %v", err)
	}
	names := ctypeNames(t)
	if len(names) < 50 {
		t.Fatalf("found %d names in ctypes.go's table", len(names))
	}
	env := &kernel.Env{}
	for _, name := range names {
		want, known := lang.CIntType(name)
		if !known {
			t.Errorf("%q is a case of the table but cIntType does not know it", name)
			continue
		}
		got, err := env.KernelType(name)
		switch {
		case want == nil && err == nil && got.Kind == lang.KindInt:
			t.Errorf("%s: the table says BTF has no such integer type; BTF has %s", name, got)
		case want != nil && err != nil:
			t.Errorf("%s: the table says %s; BTF: %v", name, want, err)
		case want != nil && !want.Equal(got):
			t.Errorf("%s: the table says %s; BTF says %s", name, want, got)
		}
	}
}

// TestCIntTypesCoverSyscalls checks that the table answers the C type of
// every integer field of every syscall tracepoint but enums, so that
// scripts reading syscall args read no BTF.
func TestCIntTypesCoverSyscalls(t *testing.T) {
	kerneltest.Require(t)
	var env kernel.Env
	names, err := env.Tracepoints("syscalls", "*")
	if err != nil || len(names) == 0 {
		t.Fatalf("listing the syscall tracepoints: %d, %v", len(names), err)
	}
	missing := map[string]string{}
	for _, full := range names {
		_, name, _ := strings.Cut(full, ":")
		tf, err := env.TracepointFormat("syscalls", name)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range tf.Fields {
			if f.Type == nil || f.Type.Kind != lang.KindInt || strings.HasPrefix(f.Name, "common_") {
				continue
			}
			ctype := strings.TrimPrefix(f.CType, "const ")
			if _, known := lang.CIntType(ctype); !known && !strings.HasPrefix(ctype, "enum ") {
				missing[ctype] = full + " " + f.Name
			}
		}
	}
	for ctype, where := range missing {
		t.Errorf("the table has no %q (%s)", ctype, where)
	}
}

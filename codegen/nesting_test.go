package codegen_test

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/testenv"
	"github.com/hawktrace/hawk/lang"
)

// nestKinds are the expression forms whose code holds a register (a
// scratch register, a callee-saved one, a ring buffer record) while an
// operand is evaluated, or that evaluate their operand between helper
// calls. Each wraps an integer expression, at X, into another.
var nestKinds = []struct{ name, form string }{
	{"map key", "@m[X]"},
	{"tuple key", "@t[(X, 1)]"},
	{"tuple key, second", "@t[(1, X)]"},
	{"two keys", "@k[1, X]"},
	{"string key", "@s[str(X)]"},
	{"strlen", "strlen(str(X))"},
	{"strncmp", `strncmp(str(X), "a", 1)`},
	{"strstr", `strstr(str(X), "a")`},
	{"strcontains", `(int64)strcontains(str(X), "a")`},
	{"has_key", "(has_key(@m, X) ? 1 : 0)"},
	{"has_key value", "(int64)has_key(@m, X)"},
	{"has_key of a histogram", "(int64)has_key(@hh, X)"},
	{"?: in a key", "@m[$a ? X : 2]"},
	{"?: condition", "(X > 0 ? 1 : 2)"},
	{"?: branch", "($a ? X : 2)"},
	{"add", "$a + (X)"},
	{"add, left", "(X) + $a"},
	{"subtract", "$a - (X)"},
	{"multiply", "$a * (X)"},
	{"shift", "$a << (X)"},
	{"divide", "(X) / 2"},
	{"helper operand", "nsecs - (X)"},
	{"map operand", "(int64)(@m[1] == X)"},
	{"map tuple operand", "(@t[(1, 1)] + X)"},
	{"equal", "(int64)($a == X)"},
	{"less", "(int64)(X < $a)"},
	{"and", "(int64)($a && X)"},
	{"or", "(int64)(X || $a)"},
	{"cast", "(uint32)(X)"},
	{"negate", "-(X)"},
	{"not", "(int64)!(X)"},
	{"bswap", "bswap(X)"},
	{"kptr", "(int64)kptr(X)"},
	{"tuple member", "(X, 1).0"},
	{"map value member", "@v.0 + (X)"},
	{"pointer field", "((struct task_struct *)(X))->pid"},
	{"pointer operand", "$p->pid + (X)"},
	{"dereference", "*(int64 *)(X)"},
	{"map increment", "@m[X]++"},
	{"map update", "{ @u[1] += X; @u[1] }"},
	{"map store", "{ @u[X] = 2; 1 }"},
	{"variable update", "{ $c = 1; $c *= X; $c }"},
	{"block", "{ $b = X; $b }"},
	{"if in a block", "{ if (X) { @y = 1; } 2 }"},
	{"printf in a block", `{ printf("%d\n", X); 1 }`},
	{"print in a block", "{ print(X); 1 }"},
	{"while in a block", "{ $j = 0; while ($j < X) { $j++; } $j }"},
}

// nestContexts are the statements a nested expression, at X, is used in.
var nestContexts = []string{
	"@r = X;",
	`printf("%d %d\n", $a, X);`,
	"@c[X] = count();",
	"@h = hist(X);",
	"@x[X, $a] = sum(X);",
	"$v = X; @r = $v;",
	"if (X) { @r = 1; }",
	"@r += X;",
}

// nestPrelude declares the maps and variables the kinds use.
const nestPrelude = `BEGIN { @m[1] = 1; @hh[1] = hist(1); @t[(1, 2)] = 1; @k[1, 2] = 1; @s["a"] = 1; @u[1] = 1; @v = (1, 2); ` +
	`$a = 1; $p = (struct task_struct *)curtask; `

// nest wraps "1" in the given forms, innermost last.
func nest(forms []string) string {
	e := "1"
	for i := len(forms) - 1; i >= 0; i-- {
		e = strings.ReplaceAll(forms[i], "X", e)
	}
	return e
}

// nestScript is a program using e in the statement context.
func nestScript(context, e string) string {
	return nestPrelude + strings.ReplaceAll(context, "X", e) + " }"
}

// limitErrors are the errors a deeply nested program may get: positioned
// limits on what a probe uses.
var limitErrors = []string{
	"bytes of stack, more than the kernel's",
	"bytes of per-CPU scratch memory, more than hawk's",
	"bytes of per-CPU scratch memory in one piece, more than the kernel's",
	"program too large (",
}

// checkNested compiles a nested program: it compiles, to a program that
// reads no memory before writing it, or it breaks a positioned limit. It
// reports whether the program compiled.
func checkNested(t *testing.T, name, text string) bool {
	t.Helper()
	prog, err := lang.Parse(lang.NewSource("-e", text))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	info, err := lang.Check(prog, testenv.Env{}, lang.Config{})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	out, err := codegen.Generate(prog, info, codegen.Options{})
	if err == nil {
		checkInit(t, name, out)
		return true
	}
	for _, limit := range limitErrors {
		if strings.HasPrefix(err.Error(), "-e:1:1: error: ") && strings.Contains(err.Error(), limit) {
			return false
		}
	}
	t.Errorf("%s: %.300v\n%.500s", name, err, text)
	return false
}

// TestNesting nests each expression kind 1 to 50 deep: registers that
// outer levels hold must spill, up to the stack's limit, never run out.
// Every kind compiles at least 10 deep.
func TestNesting(t *testing.T) {
	for _, k := range nestKinds {
		t.Run(k.name, func(t *testing.T) {
			var forms []string
			for depth := 1; depth <= 50; depth++ {
				forms = append(forms, k.form)
				ok := checkNested(t, fmt.Sprint(k.name, " ", depth, " deep"), nestScript(nestContexts[0], nest(forms)))
				if !ok && depth <= 10 {
					t.Errorf("%s, %d deep: refused", k.name, depth)
				}
				if !ok || t.Failed() {
					return
				}
			}
		})
	}
}

// TestNestingContexts uses nested expressions in each statement context,
// and nests kinds in random orders.
func TestNestingContexts(t *testing.T) {
	for _, c := range nestContexts {
		for _, k := range nestKinds {
			for _, depth := range []int{3, 12} {
				forms := make([]string, depth)
				for i := range forms {
					forms[i] = k.form
				}
				checkNested(t, fmt.Sprintf("%s in %q, %d deep", k.name, c, depth), nestScript(c, nest(forms)))
			}
		}
	}
	r := rand.New(rand.NewSource(12))
	for i := 0; i < 300; i++ {
		forms := make([]string, 1+r.Intn(40))
		var names []string
		for j := range forms {
			k := nestKinds[r.Intn(len(nestKinds))]
			forms[j], names = k.form, append(names, k.name)
		}
		c := nestContexts[r.Intn(len(nestContexts))]
		checkNested(t, fmt.Sprintf("%q in %q", names, c), nestScript(c, nest(forms)))
	}
}

// nestingSeeds are FuzzGenerate's seeds of deeply nested expressions:
// each kind 8 deep.
func nestingSeeds() []string {
	var seeds []string
	for _, k := range nestKinds {
		forms := make([]string, 8)
		for i := range forms {
			forms[i] = k.form
		}
		seeds = append(seeds, nestScript(nestContexts[0], nest(forms)))
	}
	return seeds
}

package lang

import (
	"fmt"
	"strings"
	"testing"
)

// nestable is a construct that holds an expression: X in its text is
// where the next level goes. Each level uses X once, so the script grows
// by the same amount per level.
type nestable struct{ name, text string }

// nestables are the constructs of the language that hold an expression,
// written as integer expressions: statements sit in a block expression.
var nestables = []nestable{
	// Assignments, each path through checkAssign.
	{"map op=", "{ @u[X] += 2; @u[1] }"},
	{"map op= value", "{ @u[1] += X; @u[1] }"},
	{"map =", "{ @u[X] = 2; @u[1] }"},
	{"tuple-keyed op=", "{ @t[X, 1] -= 2; @t[1, 1] }"},
	{"variable op=", "{ $v = 1; $v *= X; $v }"},
	{"variable =", "{ $w = X; $w }"},
	{"let", "{ let $q = X; $q }"},
	{"typed let", "{ let $q: int64 = X; $q }"},
	{"aggregation", "{ @s[X] = sum(1); 1 }"},
	{"aggregation value", "{ @h = hist(X); 1 }"},
	{"lhist", "{ @l = lhist(X, 0, 10, 1); 1 }"},
	// ++ and -- on maps, variables and members.
	{"map ++", "{ @u[X]++; @u[1] }"},
	{"map --", "{ --@u[X]; @u[1] }"},
	{"variable ++", "{ $i = X; $i++ }"},
	{"tuple member", "(X, 1).0"},
	{"record member", "(a = X, b = 1).a"},
	{"struct member", "((struct task_struct *)X)->pid"},
	{"address of member", "(uint64)&((struct task_struct *)X)->pid"},
	// Map reads and map functions.
	{"map key", "@u[X]"},
	{"tuple key", "@t[X, 1]"},
	{"has_key", "(has_key(@u, X) ? 1 : 0)"},
	{"has_key tuple", "(has_key(@t, (X, 1)) ? 1 : 0)"},
	{"delete key", "{ delete(@u, X); 1 }"},
	{"delete entry", "{ delete(@u[X]); 1 }"},
	{"for over map", "{ for ($kv : @u) { @f = X; } 1 }"},
	{"for over range", "{ for ($j : 0..X) { } 1 }"},
	// Conditions, some of them folded.
	{"if", "{ if (X) { @a = 1; } else { @a = 2; } 1 }"},
	{"while", "{ while (X) { break; } 1 }"},
	{"unroll", "{ unroll(sizeof(X)) { } 1 }"},
	{"?: condition", "(X ? 1 : 2)"},
	{"?: branch", "(1 ? X : 2)"},
	{"?: folded", "(0 ? 1 : X)"},
	{"&&", "(X && 1)"},
	{"comparison", "(X == 1)"},
	// Operators, casts, blocks.
	{"sum", "(X + 1)"},
	{"division", "(1 / X)"},
	{"negation", "-(X)"},
	{"not", "!X"},
	{"cast", "(uint32)X"},
	{"bool cast", "(uint8)(bool)X"},
	{"block", "{ $b = 1; (X) }"},
	{"string index", `"abcdef"[X % 6]`},
	{"sizeof", "sizeof(X)"},
	// Calls.
	{"printf", `{ printf("%d %d\n", X, 1); 1 }`},
	{"print", "{ print(X); 1 }"},
	{"print top", "{ print(@u, X); 1 }"},
	{"signal", "{ signal(X); 1 }"},
	{"system", `{ system("%d", X); 1 }`},
	{"usym", "sizeof(usym(X))"},
	{"join", "{ join(X); 1 }"},
	{"kstack", "sizeof(kstack(X))"},
	{"ustack", "sizeof(ustack(perf, X))"},
	{"exit", "{ exit(X); 1 }"},
	{"bswap", "bswap(X)"},
	{"str", "strlen(str(X))"},
	{"str length", `strlen(str("abc", X + 1))`},
	{"str of a parameter", "strlen(str($2 + X))"},
	{"str of a string parameter", "strlen(str($1 + X))"},
	{"strncmp", `strncmp(str(X), "a", 1)`},
	{"buf", "sizeof(buf(X, 4))"},
	{"kptr", "(uint64)kptr(X)"},
	{"ksym", "sizeof(ksym(X))"},
	{"ntop", "sizeof(ntop(X))"},
	{"strftime", `sizeof(strftime("%H", X))`},
	{"unknown function", "nosuchfunc(X)"},
	// Macros, expanded before checking.
	{"macro", "inc(X)"},
}

// callNestables are a call of every function with X as each of its
// arguments in turn, the others 1: most are wrong, which takes the
// checks' error paths.
func callNestables() []nestable {
	var all []nestable
	for _, f := range funcs[FuncInvalid+1:] {
		n := max(f.minArgs, f.maxArgs, 1)
		for i := range n {
			args := make([]string, n)
			for j := range args {
				args[j] = "1"
			}
			args[i] = "X"
			call := f.name + "(" + strings.Join(args, ", ") + ")"
			text := "{ " + call + "; 1 }"
			if f.aggregation {
				text = "{ @agg = " + call + "; 1 }"
			}
			all = append(all, nestable{fmt.Sprintf("%s argument %d", f.name, i), text})
		}
	}
	return all
}

// nestBases are the innermost expressions: a good value, and values that
// are wrong in different ways, which take the error paths.
var nestBases = []string{"1", "@never", `"s"`, "nosuchname"}

// nestedScript nests n levels of construct around base.
func nestedScript(construct, base string, n int) string {
	x := base
	for range n {
		x = strings.Replace(construct, "X", x, 1)
	}
	return "macro inc(x) { x + 1 }\nBEGIN { @u[1] = 1; @t[1, 1] = 1; @r = " + x + "; }"
}

// exprCount is how many expressions prog holds.
func exprCount(prog *Program) int {
	n := 0
	Inspect(prog, func(node Node) bool {
		if _, ok := node.(Expr); ok {
			n++
		}
		return true
	})
	return n
}

// countWork checks text, with $1 = "hello", $2 = "42" and --unsafe, and
// returns the work it took, and the expressions of the program: of the
// parsed one or of the checked one (macros expanded, rewrites made),
// whichever has more. The check is stopped when the calls of expr pass
// limit.
func countWork(t *testing.T, text string, limit int) (work *checkWork, exprs int, err error) {
	t.Helper()
	prog, perr := Parse(NewSource("-e", text))
	if perr != nil {
		t.Fatalf("%.300v", perr)
	}
	work = &checkWork{limit: limit}
	exprs = exprCount(prog)
	defer func() {
		if r := recover(); r != nil {
			if r != errWorkLimit {
				panic(r)
			}
			err = errWorkLimit
		}
	}()
	_, err = check(prog, testEnv{}, Config{Params: []string{"hello", "42"}, Unsafe: true}, work)
	return work, max(exprs, exprCount(prog)), err
}

// TestCheckWorkLinear nests every construct that holds an expression 30
// levels deep around good and bad values, and checks that each walk of
// the checker checks each expression once: a construct whose parts were
// checked twice (the keys of `@m[k] += v` were, once for the operator and
// once for the assignment) doubled the work at every level, and 25 levels
// took minutes. The work is counted, not timed.
func TestCheckWorkLinear(t *testing.T) {
	const depth = 30
	for _, c := range append(nestables, callNestables()...) {
		for _, base := range nestBases {
			t.Run(c.name+"/"+base, func(t *testing.T) {
				text := nestedScript(c.text, base, depth)
				work, exprs, err := countWork(t, text, 1_000_000)
				if err == errWorkLimit {
					t.Fatalf("stopped after %d calls of expr, %d of them again on an expression already checked in the same walk:\n%s",
						work.visits, work.repeats, text)
				}
				if work.repeats > 0 {
					t.Errorf("%d calls of expr checked an expression again in the same walk:\n%s", work.repeats, text)
				}
				if work.visits > work.walks*exprs {
					t.Errorf("%d calls of expr in %d walks of %d expressions:\n%s", work.visits, work.walks, exprs, text)
				}
			})
		}
	}
}

// scaling is a script of size about n, and what it makes the checker do.
type scaling struct {
	name   string
	script func(n int) string
}

// repeatN writes format n times, with %[1]d the index of each.
func repeatN(n int, sep, format string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(format, i)
	}
	return strings.Join(parts, sep)
}

// uprobes is a probe of n uprobes (or uretprobes) whose body is body n
// times.
func uprobes(kind string, n int, body string) string {
	return repeatN(n, ",", kind+":/bin/sh:f%d") + " { " + strings.Repeat(body, n) + "}"
}

var scalings = []scaling{
	{"builtins of many attach points", func(n int) string {
		return uprobes("uprobe", n, `@a = arg0; @p = probe; @f = func; @c = (uint64)(int8 *)0; @u = uaddr("counter"); `)
	}},
	{"retval of many attach points", func(n int) string { return uprobes("uretprobe", n, "@r = retval; ") }},
	{"builtins missing from many attach points", func(n int) string { return uprobes("uprobe", n, "@r = retval; @s = args.x; ") }},
	{"variables read where none is declared", func(n int) string {
		return "BEGIN { " + repeatN(n, " ", "$a%d = 1;") + " } END { " + strings.Repeat("$zz; ", n) + "}"
	}},
	{"variables read in another probe", func(n int) string {
		return "BEGIN { " + strings.Repeat("{ $a = 1; } ", n) + "} END { " + strings.Repeat("$a; ", n) + "}"
	}},
	{"unknown names among many macros", func(n int) string {
		return repeatN(n, "\n", "macro m%d(x) { x }") + "\nBEGIN { " + strings.Repeat("nosuch(1); nosuch; ", n) + "}"
	}},
	// Chains of maps, each read in its own first assignment beside the
	// one before, which a settling walk learns the type of only when it
	// looks past the part it does not know yet: a walk per map took 36.7 s
	// for 2,000 maps chained through tuples (selfReadChain).
	{"maps read in their own assignment through tuples", func(n int) string { return selfReadChain(tupleLink, n) }},
	{"maps read in their own assignment through records", func(n int) string { return selfReadChain(recordLink, n) }},
	{"maps read in their own assignment through keys", func(n int) string { return selfReadChain(keyLink, n) }},
	{"maps read in their own assignment through buf", func(n int) string { return selfReadChain(bufLink, n) }},
	// A chain longer than the settling walks: as many walks at any size.
	{"maps assigned after they are read", func(n int) string { return reverseChain(n) }},
}

// TestCheckWorkScales checks scripts of the kinds the checker once spent
// quadratic time on, at two sizes: four times the script must cost about
// four times the work (calls of expr and steps of the checker's loops),
// not sixteen. Every use of a builtin walked all the probe's attach points
// (8,000 uprobes reading probe 8,000 times took 9 s), every variable read
// where none was declared looked at every declaration of the script
// (20,000 took 12.7 s), every unknown name at every macro.
func TestCheckWorkScales(t *testing.T) {
	const n = 250
	for _, s := range scalings {
		t.Run(s.name, func(t *testing.T) {
			small, _, _ := countWork(t, s.script(n), 0)
			large, _, _ := countWork(t, s.script(4*n), 0)
			if small.walks != large.walks {
				t.Fatalf("%d walks for size %d, %d for %d", small.walks, n, large.walks, 4*n)
			}
			ws, wl := small.visits+small.steps, large.visits+large.steps
			if ratio := float64(wl) / float64(ws); ratio > 4.5 {
				t.Errorf("work %d at size %d, %d at %d: %.1f times as much", ws, n, wl, 4*n, ratio)
			}
		})
	}
}

package lang

import (
	"fmt"
	"strings"
	"testing"
)

// doublingMacros returns n macros, each calling the next twice: the last
// expansion would copy 2^n bodies.
func doublingMacros(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "macro m%d(x) { m%d(x) + m%d(x) }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "macro m%d(x) { x }\nBEGIN { @ = m0(1); }\n", n)
	return b.String()
}

// testMacroNodes is the macro budget these tests lower maxMacroNodes to:
// expansion counts and stops the same at any budget, and going past a
// low one is cheap.
const testMacroNodes = 25_000

// lowerLimit sets the limit *limit to n for the rest of the test.
func lowerLimit(t *testing.T, limit *int, n int) {
	old := *limit
	*limit = n
	t.Cleanup(func() { *limit = old })
}

// TestMacroBudget expands 41 macros that each call the next twice, which
// grew past 2.3 GB: the expansion stops at the call that goes past the
// budget (lowered to testMacroNodes), named, with the macros it is inside.
func TestMacroBudget(t *testing.T) {
	lowerLimit(t, &maxMacroNodes, testMacroNodes)
	text := doublingMacros(41)
	got := compileErr("m.bt", text)
	line, col, name := 0, 0, ""
	if _, err := fmt.Sscanf(got, "m.bt:%d:%d: error: expanding macro %s here", &line, &col, &name); err != nil {
		t.Fatalf("got\n%.500s", got)
	}
	// The call is one of the two in a macro's body: m<line-1> calls
	// m<line>.
	body := fmt.Sprintf("macro m%d(x) { m%d(x) + m%d(x) }", line-1, line, line)
	call := fmt.Sprintf("m%d(", line)
	if name != fmt.Sprintf("m%d", line) || col != strings.Index(body, call)+1 && col != strings.LastIndex(body, call)+1 {
		t.Errorf("error at %d:%d naming %s:\n%.500s", line, col, name, got)
	}
	if !strings.Contains(got, fmt.Sprintf("more than %d syntax tree nodes", testMacroNodes)) ||
		!strings.Contains(got, "(here inside m0 -> m1 -> ") {
		t.Errorf("got\n%.500s", got)
	}
	if n := strings.Count(got, "error:"); n != 1 {
		t.Errorf("%d errors, want 1:\n%.2000s", n, got)
	}
}

// TestMacroBudgetCounts expands macros whose copies stay within the
// budget (lowered to testMacroNodes), and one past it: the count is the
// nodes the expansion makes.
func TestMacroBudgetCounts(t *testing.T) {
	lowerLimit(t, &maxMacroNodes, testMacroNodes)
	// 10 levels of doubling make 2^10 copies of small bodies.
	if got := compileErr("m.bt", doublingMacros(10)); got != "" {
		t.Errorf("within the budget: %s", got)
	}
	// A macro using its argument 100 times, called with an argument of
	// 300 nodes: 30,000 nodes.
	arg := strings.Repeat("1+", 149) + "1"
	text := "macro m(x) { " + strings.Repeat("x + ", 99) + "x }\nBEGIN { @ = m(" + arg + "); }\n"
	if got := compileErr("m.bt", text); !strings.HasPrefix(got, "m.bt:2:13: error: expanding macro m here would make more than") {
		t.Errorf("past the budget: %.300s", got)
	}
	// The same with an argument of 200 nodes fits.
	arg = strings.Repeat("1+", 99) + "1"
	text = "macro m(x) { " + strings.Repeat("x + ", 99) + "x }\nBEGIN { @ = m(" + arg + "); }\n"
	if got := compileErr("m.bt", text); strings.Contains(got, "syntax tree nodes") {
		t.Errorf("within the budget: %.300s", got)
	}
}

// TestMacroNestsTooDeep: macros put their arguments into their bodies, so
// a chain of macros each nesting its argument deeper makes code deeper
// than the parser lets a script be (the limit lowered to testNesting). It
// is refused at the call that makes it so, before it is copied any
// deeper.
func TestMacroNestsTooDeep(t *testing.T) {
	lowerLimit(t, &maxNesting, testNesting)
	step := testNesting / 4
	var b strings.Builder
	b.WriteString("macro m0(x) { x }\n")
	for i := 1; i <= 8; i++ {
		fmt.Fprintf(&b, "macro m%d(x) { m%d(%sx) }\n", i, i-1, strings.Repeat("!", step))
	}
	b.WriteString("BEGIN { @ = m8(1); }\n")
	got := compileErr("m.bt", b.String())
	// m4's argument holds 4 x step levels, m3's one more block of them.
	want := fmt.Sprintf("m.bt:5:15: error: macro m3 expands into code nested too deep: more than %d levels", testNesting)
	if !strings.HasPrefix(got, want) {
		t.Errorf("got\n%.300s\nwant %q", got, want)
	}
	// Called where the code is deep already.
	deep := strings.Repeat("!", testNesting-10)
	got = compileErr("m.bt", "macro m(x) { "+strings.Repeat("~", 20)+"x }\nBEGIN { @ = "+deep+"m(1); }\n")
	want = fmt.Sprintf("m.bt:2:%d: error: macro m expands into code nested too deep", len("BEGIN { @ = ")+len(deep)+1)
	if !strings.HasPrefix(got, want) {
		t.Errorf("got\n%.300s\nwant %q", got, want)
	}
}

package lang

import (
	"fmt"
	"strings"
	"testing"
)

// deepCase is a script that repeats unit n times, each one more level of
// nesting than the last, between head and tail (written for the n).
type deepCase struct {
	name       string
	head, unit string
	tail       func(n int) string
}

var deepCases = []deepCase{
	{"parentheses", "BEGIN { @a = ", "(", func(n int) string { return "1" + strings.Repeat(")", n) + "; }" }},
	{"blocks", "BEGIN { ", "{ ", func(n int) string { return "@a = 1;" + strings.Repeat(" }", n) + " }" }},
	{"block expressions", "BEGIN { @a = ", "{ ", func(n int) string { return "1" + strings.Repeat(" }", n) + "; }" }},
	{"not", "BEGIN { @a = ", "!", func(int) string { return "1; }" }},
	{"minus", "BEGIN { @a = ", "- ", func(int) string { return "1; }" }},
	{"casts", "BEGIN { @a = ", "(int8)", func(int) string { return "1; }" }},
	{"calls", "BEGIN { @a = ", "bswap(", func(n int) string { return "1" + strings.Repeat(")", n) + "; }" }},
	{"map keys", "BEGIN { @a = ", "@m[", func(n int) string { return "1" + strings.Repeat("]", n) + "; }" }},
	{"sums", "BEGIN { @a = ", "1 + ", func(int) string { return "1; }" }},
	{"fields", "BEGIN { $x = (a = 1); @a = $x", ".a", func(int) string { return "; }" }},
	{"ternary chain", "BEGIN { $a = 3; @a = ", "$a == 1 ? 1 : ", func(int) string { return "0; }" }},
	{"else-if chain", "BEGIN { $a = 3; if ($a == 0) { @a = 0; } ", "else if ($a == 1) { @a = 1; } ", func(int) string { return "}" }},
	{"nested ifs", "BEGIN { ", "if (1) { ", func(n int) string { return "@a = 1;" + strings.Repeat(" }", n) + " }" }},
	{"nested whiles", "BEGIN { ", "while (1) { ", func(n int) string { return "break;" + strings.Repeat(" }", n) + " }" }},
	{"predicate", "BEGIN /", "(", func(n int) string { return "1" + strings.Repeat(")", n) + "/ { }" }},
	{"macro body", "macro m() { ", "{ ", func(n int) string { return "1" + strings.Repeat(" }", n) + " } BEGIN { @a = m(); }" }},
	{"pointer type", "BEGIN { $p = (int8", "*", func(int) string { return ")0; }" }},
	{"array type", "BEGIN { let $a: int8", "[1]", func(int) string { return "; }" }},
}

func (c deepCase) text(n int) string {
	return c.head + strings.Repeat(c.unit, n) + c.tail(n)
}

// TestNestingLimit parses each kind of nesting past MaxNesting: 100,000
// parentheses, blocks and unary operators, which took seconds and
// hundreds of megabytes (a chain of a million sums overflowed the stack),
// the other kinds a little past the limit, which is what counts and lexes
// faster. The parser refuses each where the level past MaxNesting opens,
// having gone no deeper.
func TestNestingLimit(t *testing.T) {
	for i, c := range deepCases {
		n := MaxNesting + 100
		if i < 5 {
			n = 100_000
		}
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(NewSource("-e", c.text(n)))
			diags, ok := err.(Diagnostics)
			if !ok || len(diags) != 1 || diags[0].Msg != tooDeep() {
				t.Fatalf("got %v, want one error %q", err, tooDeep())
			}
			// The error is in the unit that opens level MaxNesting+1: the
			// probe's block (and a first if) come before, and a unit may
			// open a level for a part (a block after an if) before its own.
			unit := (diags[0].Start - len(c.head)) / len(c.unit)
			if unit < MaxNesting-3 || unit > MaxNesting {
				t.Errorf("error in unit %d (at %s), want about %d", unit, diags[0].Pos(), MaxNesting)
			}
		})
	}
}

// TestNestingAccepted parses each kind of nesting 10,000 levels deep, and
// checks the chains of branches: a generated chain of 10,000 branches is
// a script hawk runs. Parentheses are also tried at exactly the limit.
func TestNestingAccepted(t *testing.T) {
	const n = 10_000
	for _, c := range deepCases {
		t.Run(c.name, func(t *testing.T) {
			prog, err := Parse(NewSource("-e", c.text(n)))
			if err != nil {
				t.Fatalf("%.200v", err)
			}
			if !strings.HasSuffix(c.name, "chain") {
				return
			}
			if _, err := Check(prog, testEnv{}, Config{}); err != nil {
				t.Fatalf("%.200v", err)
			}
		})
	}
	// The probe's block is one level, the parentheses the others.
	atLimit := deepCases[0].text(MaxNesting - 1)
	if _, err := Parse(NewSource("-e", atLimit)); err != nil {
		t.Errorf("%d levels: %.200v", MaxNesting, err)
	}
	past := deepCases[0].text(MaxNesting)
	want := fmt.Sprintf("-e:1:%d: error: %s", len(deepCases[0].head)+MaxNesting, tooDeep())
	if _, err := Parse(NewSource("-e", past)); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("%d levels: got %.200v, want %q", MaxNesting+1, err, want)
	}
}

// TestNestingCountsPerParse checks that the levels of one parse do not
// count in another: after a refused script, a shallow one parses.
func TestNestingCountsPerParse(t *testing.T) {
	if _, err := Parse(NewSource("-e", deepCases[0].text(MaxNesting+5))); err == nil {
		t.Fatal("no error for a script nested too deep")
	}
	if len(nesting.depth) != 0 {
		t.Errorf("%d parses still counted after they ended", len(nesting.depth))
	}
	if _, err := Parse(NewSource("-e", deepCases[0].text(MaxNesting-1))); err != nil {
		t.Errorf("%.200v", err)
	}
}

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

// testNesting is the nesting limit most of these tests lower maxNesting
// to: the parser counts and refuses the same at any limit, and going past
// a low one is cheap (parsing takes tens of microseconds a level).
const testNesting = 400

// TestNestingLimit parses each kind of nesting past the limit (lowered to
// testNesting): parentheses, blocks and unary operators twenty times past
// it (100,000 of them took seconds and hundreds of megabytes when nothing
// stopped them, and a chain of a million sums overflowed the stack), the
// other kinds a little past it. The parser refuses each where the level
// past the limit opens, having gone no deeper. TestNestingAccepted parses
// MaxNesting itself.
func TestNestingLimit(t *testing.T) {
	lowerLimit(t, &maxNesting, testNesting)
	for i, c := range deepCases {
		n := testNesting + 100
		if i < 5 {
			n = 20 * testNesting
		}
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(NewSource("-e", c.text(n)))
			diags, ok := err.(Diagnostics)
			if !ok || len(diags) != 1 || diags[0].Msg != tooDeep() {
				t.Fatalf("got %.300v, want one error %q", err, tooDeep())
			}
			// The error is in the unit that opens level testNesting+1: the
			// probe's block (and a first if) come before, and a unit may
			// open a level for a part (a block after an if) before its own.
			unit := (diags[0].Start - len(c.head)) / len(c.unit)
			if unit < testNesting-3 || unit > testNesting {
				t.Errorf("error in unit %d (at %s), want about %d", unit, diags[0].Pos(), testNesting)
			}
		})
	}
}

// TestNestingAccepted parses each kind of nesting to a little short of
// the limit (lowered to testNesting), and parentheses exactly to it and
// one level past; then, at MaxNesting itself, parentheses to the limit,
// and chains of 10,000 branches, which it checks too: such a generated
// chain is a script hawk runs.
func TestNestingAccepted(t *testing.T) {
	t.Run("lowered", func(t *testing.T) {
		lowerLimit(t, &maxNesting, testNesting)
		for _, c := range deepCases {
			if _, err := Parse(NewSource("-e", c.text(testNesting-10))); err != nil {
				t.Errorf("%s: %.200v", c.name, err)
			}
		}
		// The probe's block is one level, the parentheses the others.
		if _, err := Parse(NewSource("-e", deepCases[0].text(testNesting-1))); err != nil {
			t.Errorf("%d levels: %.200v", testNesting, err)
		}
		past := deepCases[0].text(testNesting)
		want := fmt.Sprintf("-e:1:%d: error: %s", len(deepCases[0].head)+testNesting, tooDeep())
		if _, err := Parse(NewSource("-e", past)); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%d levels: got %.200v, want %q", testNesting+1, err, want)
		}
	})
	if _, err := Parse(NewSource("-e", deepCases[0].text(MaxNesting-1))); err != nil {
		t.Errorf("%d levels: %.200v", MaxNesting, err)
	}
	for _, c := range deepCases {
		if !strings.HasSuffix(c.name, "chain") {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			prog, err := Parse(NewSource("-e", c.text(10_000)))
			if err != nil {
				t.Fatalf("%.200v", err)
			}
			if _, err := Check(prog, testEnv{}, Config{}); err != nil {
				t.Fatalf("%.200v", err)
			}
		})
	}
}

// TestNestingCountsPerParse checks that the levels of one parse do not
// count in another: after a refused script, a shallow one parses.
func TestNestingCountsPerParse(t *testing.T) {
	lowerLimit(t, &maxNesting, testNesting)
	if _, err := Parse(NewSource("-e", deepCases[0].text(testNesting+5))); err == nil {
		t.Fatal("no error for a script nested too deep")
	}
	if len(nesting.depth) != 0 {
		t.Errorf("%d parses still counted after they ended", len(nesting.depth))
	}
	if _, err := Parse(NewSource("-e", deepCases[0].text(testNesting-1))); err != nil {
		t.Errorf("%.200v", err)
	}
}

package lang

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// doubling is a probe whose variables each hold a tuple (or record) of the
// one before twice, levels deep: the type doubles at each level.
func doubling(base, format string, levels int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "BEGIN {\n$v0 = %s;\n", base)
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "$v%d = %s;\n", i, fmt.Sprintf(format, i-1))
	}
	fmt.Fprintf(&b, "print($v%d);\n}\n", levels)
	return b.String()
}

// finishes runs f, and fails t when it has not returned after d: a guard
// against work that doubles at each level of the input, not a measure of
// speed.
func finishes(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("not done after %v", d)
	}
}

// TestValueLimits checks that a tuple or record over MaxValueSize bytes
// or MaxMembers members is refused where it is built, with its size. A
// tuple of a variable twice, 30 levels deep, has 2^30 members: walks of
// its type took twice as long per level (18 levels, 1.9 s).
func TestValueLimits(t *testing.T) {
	const tupleOf = "($v%[1]d, $v%[1]d)"
	for _, c := range []struct {
		name, text string
		// want is the one error, at the tuple on line line.
		want string
		line int
	}{
		{"integers doubled", doubling("1", tupleOf, 30),
			"this is a tuple of 2046 members, counting those of the tuples and records in it, more than hawk's limit of 1024", 12},
		{"empty tuples doubled", doubling("()", tupleOf, 30),
			"this is a tuple of 2046 members", 12},
		{"records doubled", doubling("1", "(a = $v%[1]d, b = $v%[1]d)", 30),
			"this is a record of 2046 members", 12},
		{"strings doubled", doubling("str(0)", tupleOf, 30),
			"this is a tuple of 65536 bytes, more than hawk's limit of 32768 for a value\n" +
				strings.Repeat(" ", 4) + "$v6 = ($v5, $v5);\n" + strings.Repeat(" ", 10) + "^~~~~~~~~~\n" +
				"hint: its strings take 65536 of those bytes: read shorter ones with str(s, N), or set a smaller max_strlen", 8},
		{"members", "BEGIN {\n$v = 1;\n$t = (" + strings.Repeat("$v, ", MaxMembers) + "$v);\n}",
			"this is a tuple of 1025 members", 3},
		{"strings", "BEGIN {\n$s = str(0);\n$t = (" + strings.Repeat("$s, ", MaxValueSize/DefaultMaxStrlen) + "1);\n}",
			"this is a tuple of 32769 bytes", 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got checked
			finishes(t, time.Minute, func() { got = checkText(c.text) })
			diags, _ := got.err.(Diagnostics)
			if len(diags) != 1 {
				t.Fatalf("%d diagnostics, want 1: %.2000v", len(diags), got.err)
			}
			// At the tuple, after "$x = ".
			line := strings.Split(c.text, "\n")[c.line-1]
			want := fmt.Sprintf("-e:%d:%d: error: %s", c.line, strings.Index(line, "= ")+3, c.want)
			if msg := diags[0].Error(); !strings.HasPrefix(msg, want) {
				t.Errorf("got\n%s\nwant\n%s", msg, want)
			}
		})
	}
	// At the limits.
	for _, text := range []string{
		"BEGIN { $v = 1; $t = (" + strings.Repeat("$v, ", MaxMembers-1) + "$v); }",
		"BEGIN { $s = str(0); $t = (" + strings.Repeat("$s, ", MaxValueSize/DefaultMaxStrlen-1) + "$s); }",
		doubling("1", tupleOf, 9),
	} {
		if c := checkText(text); c.err != nil {
			t.Errorf("%.200s...: %.500v", text, c.err)
		}
	}
}

// TestMergedValueLimits checks the limits on the types that merging
// values makes: strings of one member grow to the size of the largest
// stored, and tuples with them.
func TestMergedValueLimits(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{`BEGIN { $t = ("a", str(0)); $t = (str(0), "a"); }`, "storing this makes $t a tuple of 40000 bytes"},
		{`BEGIN { @m = ("a", str(0)); @m = (str(0), "a"); }`, "storing this makes @m's value a tuple of 40000 bytes"},
		{`BEGIN { @m[1, ("a", str(0))] = 1; @m[1, (str(0), "a")] = 2; }`, "this makes @m's key a tuple of 40000 bytes"},
		{`BEGIN { $t = 1 ? ("a", str(0)) : (str(0), "a"); }`, "the branches of ?: make a tuple of 40000 bytes"},
	} {
		prog := mustParse(t, c.text)
		_, err := Check(prog, testEnv{}, Config{MaxStrlen: 20000})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s\ngot %v, want %q", c.text, err, c.want)
		}
	}
}

// Package bigscript writes scripts whose programs are long enough that
// their jumps need more than 16 bits, for the tests of code generation and
// of loading.
package bigscript

import (
	"fmt"
	"strings"
)

// pick stores which branch runs where the verifier cannot see it: in a
// map, read back into $a.
func pick(b *strings.Builder, n int) {
	fmt.Fprintf(b, "BEGIN {\n  @pick = %d;\n  $a = @pick;\n", n)
}

// IfChain returns a BEGIN probe with n branches, `if ($a == i) {
// printf("branch %d\n", i); } else if ...`, of which branch sel runs: it
// prints "branch sel".
func IfChain(n, sel int) string {
	var b strings.Builder
	pick(&b, sel)
	for i := range n {
		if i > 0 {
			b.WriteString("  else ")
		} else {
			b.WriteString("  ")
		}
		fmt.Fprintf(&b, "if ($a == %d) { printf(\"branch %%d\\n\", %d); }\n", i, i)
	}
	b.WriteString("  exit();\n}\n")
	return b.String()
}

// CondChain returns a BEGIN probe that prints one n-deep conditional
// expression, `$a == 0 ? 0 : $a == 1 ? 10 : ... : -1`, for $a = sel: it
// prints 10*sel.
func CondChain(n, sel int) string {
	var b strings.Builder
	pick(&b, sel)
	b.WriteString("  printf(\"%d\\n\",\n")
	for i := range n {
		fmt.Fprintf(&b, "    $a == %d ? %d :\n", i, 10*i)
	}
	b.WriteString("    -1);\n  exit();\n}\n")
	return b.String()
}

// Inlined returns a BEGIN probe with one if around n statements that each
// read a map, `$b = $b + @one;`: short enough that the if's jump over them
// fits 16 bits as written, long enough that it no longer does once the
// kernel inlines the map lookups. It prints n.
func Inlined(n int) string {
	var b strings.Builder
	b.WriteString("BEGIN {\n  @one = 1;\n  $a = @one;\n  $b = 0;\n  if ($a == 1) {\n")
	for range n {
		b.WriteString("    $b = $b + @one;\n")
	}
	b.WriteString("  }\n  printf(\"%d\\n\", $b);\n  exit();\n}\n")
	return b.String()
}

// ManyMaps is a BEGIN that stores k into map @mk for each k below n,
// prints the last one's value (n-1) and exits: a program that uses n of
// the script's maps.
func ManyMaps(n int) string {
	var b strings.Builder
	b.WriteString("BEGIN {")
	for k := range n {
		fmt.Fprintf(&b, " @m%d = %d;", k, k)
	}
	fmt.Fprintf(&b, " printf(\"%%d\\n\", @m%d); exit(); }", n-1)
	return b.String()
}

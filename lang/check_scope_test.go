package lang

import (
	"fmt"
	"strings"
	"testing"
)

// TestScopeLookupDeep checks 15,000 nested blocks that each read ten
// variables declared outside them and declare one of their own. Looking a
// name up scope by scope, outwards, made that 10^9 map lookups per walk
// of the checker (minutes); a name's visible variable is now found at
// once. Shadowing still holds: an inner $x is a string, the outer an int.
func TestScopeLookupDeep(t *testing.T) {
	const depth = 15_000
	var b strings.Builder
	b.WriteString("BEGIN { $x = 1; ")
	for i := range 10 {
		fmt.Fprintf(&b, "$v%d = %d; ", i, i)
	}
	b.WriteString(strings.Repeat("{ $s = $v0 + $v1 + $v2 + $v3 + $v4 + $v5 + $v6 + $v7 + $v8 + $v9; ", depth))
	b.WriteString(`let $x = "in"; @in = $x; `)
	b.WriteString(strings.Repeat("} ", depth))
	b.WriteString("@out = $x; }")
	c := checkText(b.String())
	if c.err != nil {
		t.Fatalf("%.300v", c.err)
	}
	if in, out := c.info.Maps["@in"].Value, c.info.Maps["@out"].Value; in.Kind != KindString || !out.IsInteger() {
		t.Errorf("@in is %s, @out %s", in, out)
	}
}

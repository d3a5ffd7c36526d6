package lang

import (
	"testing"
)

// TestScopeLookupDeep checks 100,000 nested blocks, built as a tree (the
// parser stops at MaxNesting), that each read five variables declared
// outside them and declare one of their own. Looking a name up scope by
// scope, outwards, made that 2.5 x 10^10 map lookups per walk of the
// checker (minutes); a name's visible variable is now found at once.
// Shadowing still holds: the innermost $x is a string, the outer an int.
func TestScopeLookupDeep(t *testing.T) {
	const depth = 100_000
	prog, err := Parse(NewSource("-e", `BEGIN { $x = 1; $a = 1; $b = 2; $c = 3; $d = 4; $e = 5;
		{ $s = $a + $b + $c + $d + $e; }
		{ let $x = "in"; @in = $x; }
		@out = $x; }`))
	if err != nil {
		t.Fatal(err)
	}
	body := prog.Probes[0].Body
	level, inner := body.Stmts[6].(*BlockStmt), body.Stmts[7].(*BlockStmt)
	for range depth {
		b := cloneStmt(level).(*BlockStmt)
		b.Block.Stmts = append(b.Block.Stmts, inner)
		inner = b
	}
	body.Stmts = append(body.Stmts[:6], inner, body.Stmts[8])
	info, err := Check(prog, testEnv{}, Config{})
	if err != nil {
		t.Fatalf("%.300v", err)
	}
	if in, out := info.Maps["@in"].Value, info.Maps["@out"].Value; in.Kind != KindString || !out.IsInteger() {
		t.Errorf("@in is %s, @out %s", in, out)
	}
}

package lang

import (
	"testing"
)

// deepScopes checks depth nested blocks, built as a tree (the parser
// would stop at MaxNesting), that each read five variables declared
// outside them and declare one of their own, and returns the work it
// took. Shadowing still holds: the innermost $x is a string, the outer an
// int.
func deepScopes(t *testing.T, depth int) *checkWork {
	t.Helper()
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
	work := &checkWork{}
	info, err := check(prog, testEnv{}, Config{}, work)
	if err != nil {
		t.Fatalf("%.300v", err)
	}
	if in, out := info.Maps["@in"].Value, info.Maps["@out"].Value; in.Kind != KindString || !out.IsInteger() {
		t.Errorf("@in is %s, @out %s", in, out)
	}
	return work
}

// TestScopeLookupDeep checks that the work of scopes grows with the
// blocks, not with their square: blocks nested four times as deep take
// four times the steps (scopes visited, entries moved) in the checker
// and in the simulation of 0.17's scopes. Looking a name up scope by
// scope, outwards, made 100,000 such blocks 2.5 x 10^10 map lookups per
// walk of the checker (minutes); a name's visible variable is now found
// at once.
func TestScopeLookupDeep(t *testing.T) {
	const n = 1000
	small, large := deepScopes(t, n), deepScopes(t, 4*n)
	if small.walks != large.walks {
		t.Fatalf("%d walks for %d blocks, %d for %d", small.walks, n, large.walks, 4*n)
	}
	if ratio := float64(large.steps) / float64(small.steps); ratio > 4.2 {
		t.Errorf("scopes took %d steps for %d nested blocks, %d for %d: %.1f times as many", small.steps, n, large.steps, 4*n, ratio)
	}
}

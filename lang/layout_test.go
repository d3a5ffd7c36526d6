package lang

import "testing"

// TestAggregateLayout checks the sizes of tuples and structs as bpftrace
// lays them out (as C does): members at their alignment, the whole padded
// to the most aligned member; a struct aligns to its members, not to 8.
func TestAggregateLayout(t *testing.T) {
	const structs = `struct Foo { int m; int n; }
struct T { unsigned int a; unsigned int b[2]; }
struct W { unsigned int a; struct T t; }
struct L { char c; long l; }
`
	for _, tc := range []struct {
		expr string
		size uint64
	}{
		{`sizeof(((int32)1, (int16)1, (int8)1))`, 8},
		{`sizeof(((int64)1, (int8)1))`, 16},
		{`sizeof(((int8)1, (int8)2))`, 2},
		{`sizeof(((int32)1, *(struct Foo *)0))`, 12},
		{`sizeof(((int8)1, *(struct L *)0))`, 24},
		{`sizeof(struct T)`, 12},
		{`sizeof(struct W)`, 16},
		{`sizeof(struct L)`, 16},
		{`sizeof(((int8)1, "ab"))`, 4},
		{`sizeof((a = (int16)1, b = (int8)1))`, 4},
	} {
		c := checkText(structs + "BEGIN { @ = " + tc.expr + "; }")
		if c.err != nil {
			t.Errorf("%s: %v", tc.expr, c.err)
			continue
		}
		k, ok := c.info.Consts[c.find(t, tc.expr)]
		if !ok || k.Int != tc.size {
			t.Errorf("%s = %d (constant %v), want %d", tc.expr, k.Int, ok, tc.size)
		}
	}
}

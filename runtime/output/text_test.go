package output

import (
	"strings"
	"testing"
)

// TestTextMaps pins bpftrace's text format for maps (compared with
// bpftrace 0.17's output for the same values).
func TestTextMaps(t *testing.T) {
	var b strings.Builder
	w := NewText(&b)
	w.Printf([]byte("hi\n"))
	w.End()
	w.Map("@c", UintValue(2))
	w.Map("@n", IntValue(-5))
	w.Map("@b", BoolValue(true))
	w.Map("@", Value{Kind: Map, Entries: []Entry{
		{Key: StringValue("bash"), Value: UintValue(12)},
		{Key: StringValue("cat"), Value: UintValue(1517)},
	}})
	w.Map("@t", Value{Kind: Map, Entries: []Entry{
		{Key: Value{Kind: Tuple, Elems: []Value{IntValue(1), StringValue("a")}}, Value: StringValue("s1")},
	}})
	w.Map("@v", Value{Kind: Map, Entries: []Entry{
		{Key: IntValue(-1), Value: Value{Kind: Tuple, Elems: []Value{IntValue(1), StringValue("two"), UintValue(3)}}},
	}})
	w.Map("@empty", Value{Kind: Map})
	w.Flush()
	want := "hi\n\n\n@c: 2\n@n: -5\n@b: true\n@[bash]: 12\n@[cat]: 1517\n@t[1, a]: s1\n@v[-1]: (1, two, 3)\n"
	if b.String() != want {
		t.Errorf("got:\n%q\nwant:\n%q", b.String(), want)
	}
}

func TestCompare(t *testing.T) {
	tuple := func(a int64, s string) Value {
		return Value{Kind: Tuple, Elems: []Value{IntValue(a), StringValue(s)}}
	}
	for _, tc := range []struct {
		a, b Value
		want int
	}{
		{IntValue(-1), IntValue(2), -1}, {UintValue(3), UintValue(3), 0}, {StringValue("b"), StringValue("a"), 1},
		{tuple(1, "z"), tuple(1, "a"), 1}, {tuple(0, "z"), tuple(1, "a"), -1}, {BoolValue(false), BoolValue(true), -1},
	} {
		if got := Compare(tc.a, tc.b); got != tc.want {
			t.Errorf("Compare(%v, %v) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

package usersym

import (
	"reflect"
	"testing"
)

// TestUnitLookup looks addresses up in a unit made by hand: a function
// f at [0x100, 0x200) with a call of a inlined at [0x120, 0x140), in which
// a call of b is inlined at [0x128, 0x130), and a call of c inlined at
// [0x150, 0x160); a second function g at [0x300, 0x310) with no rows.
func TestUnitLookup(t *testing.T) {
	u := &unitInfo{
		files: []string{"", "f.c", "h.h"},
		rows: []lineRow{
			{addr: 0x100, line: 1, file: 1},
			{addr: 0x128, line: 30, file: 2},
			{addr: 0x130, line: 2, file: 1},
			{addr: 0x200, end: true},
		},
		scopes: []scope{
			{ranges: [][2]uint64{{0x100, 0x200}}, name: "f", parent: -1, end: 4},
			{ranges: [][2]uint64{{0x120, 0x140}}, name: "a", parent: 0, end: 3, inlined: true, callFile: 1, callLine: 10},
			{ranges: [][2]uint64{{0x128, 0x130}}, name: "b", parent: 1, end: 3, inlined: true, callFile: 2, callLine: 20},
			{ranges: [][2]uint64{{0x150, 0x160}}, name: "c", parent: 0, end: 4, inlined: true, callFile: 1, callLine: 11},
			{ranges: [][2]uint64{{0x300, 0x310}}, name: "g", parent: -1, end: 5},
		},
	}
	for _, tc := range []struct {
		pc  uint64
		src Source
		inl []Inline
		fn  scopeFunc
		ok  bool
	}{
		{0x100, Source{"f.c", 1}, nil, scopeFunc{"f", 0x100}, true},
		{0x12a, Source{"f.c", 10}, []Inline{{"b", Source{"h.h", 30}}, {"a", Source{"h.h", 20}}}, scopeFunc{"f", 0x100}, true},
		{0x124, Source{"f.c", 10}, []Inline{{"a", Source{"f.c", 1}}}, scopeFunc{"f", 0x100}, true},
		{0x155, Source{"f.c", 11}, []Inline{{"c", Source{"f.c", 2}}}, scopeFunc{"f", 0x100}, true},
		{0x1ff, Source{"f.c", 2}, nil, scopeFunc{"f", 0x100}, true},
		{0x305, Source{}, nil, scopeFunc{"g", 0x300}, true},
		{0x200, Source{}, nil, scopeFunc{}, false},
		{0x50, Source{}, nil, scopeFunc{}, false},
	} {
		src, inl, fn, ok := u.lookup(tc.pc)
		if src != tc.src || !reflect.DeepEqual(inl, tc.inl) || fn != tc.fn || ok != tc.ok {
			t.Errorf("lookup(%#x) = %+v, %+v, %+v, %v; want %+v, %+v, %+v, %v", tc.pc, src, inl, fn, ok, tc.src, tc.inl, tc.fn, tc.ok)
		}
	}
}

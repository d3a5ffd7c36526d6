package lang

import "testing"

// TestCDeclLayout lays out struct definitions and compares sizes,
// alignments and member offsets with what GCC gave for them on x86-64
// (sizeof, _Alignof, the member's address; for a bitfield, the first and
// the number of bits set when it is set to all ones).
func TestCDeclLayout(t *testing.T) {
	for _, tc := range cdeclLayouts {
		types, err := StructTypes(tc.decl)
		if err != nil {
			t.Errorf("%s: %v", tc.decl, err)
			continue
		}
		var st *Type
		for _, name := range []string{"struct A", "union A"} {
			if types[name] != nil {
				st = types[name]
			}
		}
		if got := formatLayout(st); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.decl, got, tc.want)
		}
	}
}

// cdeclLayouts are declarations and the layouts GCC 12 gave them on
// x86-64: "size/align member@offset member@byte.bit:width".
var cdeclLayouts = []struct{ decl, want string }{
	{`struct A { char c; unsigned int lo:4, :0, hi:12; char d; } __attribute__((packed))`,
		"7/1 c@0 lo@1.0:4 hi@4.0:12 d@6"},
	{`struct A { char c; struct { char x; int y; } __attribute__((packed)) s; short t; }`,
		"8/2 c@0 s@1 t@6"},
	{`struct A { int a, *b, c[4]; }`,
		"32/8 a@0 b@8 c@16"},
	{`struct A { char c; long long l; short s; }`,
		"24/8 c@0 l@8 s@16"},
	{`struct A { const char* ignore; volatile unsigned short u; }`,
		"16/8 ignore@0 u@8"},
	{`struct A { int y[2][2]; char z; }`,
		"20/4 y@0 z@16"},
	{`struct A { char c; double d; float f; }`,
		"24/8 c@0 d@8 f@16"},
	{`struct A { char c; long double d; }`,
		"32/16 c@0 d@16"},
	{`struct A { unsigned int a:4, b:8, c:3, d:1, e:16; }`,
		"4/4 a@0.0:4 b@0.4:8 c@1.4:3 d@1.7:1 e@2.0:16"},
	{`struct A { short a:4, b:8, c:3, d:1; int e:9, f:15, g:1, h:2, i:5; }`,
		"8/4 a@0.0:4 b@0.4:8 c@1.4:3 d@1.7:1 e@2.0:9 f@4.0:15 g@5.7:1 h@6.0:2 i@6.2:5"},
	{`struct A { unsigned long long x0:1; unsigned long long x1:1; unsigned long long x2:2; }`,
		"8/8 x0@0.0:1 x1@0.1:1 x2@0.2:2"},
	{`struct A { char c; int b:30; int d:4; }`,
		"12/4 c@0 b@4.0:30 d@8.0:4"},
	{`struct A { char c; int :0; char d; }`,
		"5/1 c@0 d@4"},
	{`struct A { char a:3; int :0; char b:2; }`,
		"5/1 a@0.0:3 b@4.0:2"},
	{`struct A { unsigned char a:7, b:7; short c:9, d:9; }`,
		"6/2 a@0.0:7 b@1.0:7 c@2.0:9 d@4.0:9"},
	{`struct A { int m; struct { int x; char y; } bar; int n; }`,
		"16/4 m@0 bar@4 n@12"},
	{`struct A { char c; struct { int x; long y; }; char d; }`,
		"32/8 c@0 x@8 y@16 d@24"},
	{`struct A { char c; union { int x; char y[7]; } u; }`,
		"12/4 c@0 u@4"},
	{`union A { int x; char y[5]; short z; }`,
		"8/4 x@0 y@0 z@0"},
	{`union A { int x:3; char y:7; }`,
		"4/4 x@0.0:3 y@0.0:7"},
	{`struct A { int x; char y; int z; } __attribute__((packed))`,
		"9/1 x@0 y@4 z@5"},
	{`struct A { int x; char y; int z; } __attribute__((aligned(16)))`,
		"16/16 x@0 y@4 z@8"},
	{`struct A { int x; char y; int z; } __attribute__((packed, aligned(2)))`,
		"10/2 x@0 y@4 z@5"},
	{`struct A { char a; unsigned int b:20; unsigned int c:20; } __attribute__((packed))`,
		"6/1 a@0 b@1.0:20 c@3.4:20"},
	{`struct A { char a; int b __attribute__((aligned(8))); }`,
		"16/8 a@0 b@8"},
	{`struct A { char a; void (*fn)(int, char *); char b; }`,
		"24/8 a@0 fn@8 b@16"},
	{`struct A { char a; int (*p)[3]; char *q[2]; }`,
		"32/8 a@0 p@8 q@16"},
	{`struct A { _Bool b; unsigned long long l:33; _Bool c:1; }`,
		"8/8 b@0 l@1.0:33 c@5.1:1"},
	{`struct A { int x; char y[0]; }`,
		"4/4 x@0 y@4"},
	{`struct A { long a:40, b:30; }`,
		"16/8 a@0.0:40 b@8.0:30"},
}

package lang

import "testing"

// TestEnumTypes: an enumerator is a constant of its enum's type, 64 bits
// as in bpftrace; values count on from the one before; a cast makes an
// integer of the enum; arithmetic gives a plain integer; values of one
// enum stay of it in variables, maps, tuples and ?:.
func TestEnumTypes(t *testing.T) {
	const decl = `enum Foo { A = 1, B, C = 0x10, D, N = -2, M, S = 1 << 4 | A }; enum { ANON = 333 } `
	runTypeCases(t, []typeCase{
		{script: decl + `BEGIN { print(A); }`, expr: "A", want: "enum Foo", k: "1"},
		{script: decl + `BEGIN { print(B); }`, expr: "B", want: "enum Foo", k: "2"},
		{script: decl + `BEGIN { print(D); }`, expr: "D", want: "enum Foo", k: "17"},
		{script: decl + `BEGIN { print(N); }`, expr: "N", want: "enum Foo", k: "-2"},
		{script: decl + `BEGIN { print(M); }`, expr: "M", want: "enum Foo", k: "-1"},
		{script: decl + `BEGIN { print(S); }`, expr: "S", want: "enum Foo", k: "17"},
		{script: decl + `BEGIN { print(ANON); }`, expr: "ANON", want: "enum (anonymous)", k: "333"},
		{script: decl + `BEGIN { $n = sizeof(A); }`, expr: "sizeof(A)", want: "uint64", k: "8"},
		{script: decl + `BEGIN { $n = sizeof(enum Foo); }`, expr: "sizeof(enum Foo)", want: "uint64", k: "4"},
		{script: decl + `BEGIN { $n = sizeof(SKB_CONSUMED); }`, expr: "sizeof(SKB_CONSUMED)", want: "uint64", k: "8"},
		{script: decl + `BEGIN { print(SKB_CONSUMED); }`, expr: "SKB_CONSUMED", want: "enum skb_drop_reason", k: "1"},
		{script: decl + `BEGIN { print(A + 1); }`, expr: "A + 1", want: "uint64", k: "2"},
		{script: decl + `BEGIN { $x = 2; print((enum Foo)$x); }`, expr: "(enum Foo)$x", want: "enum Foo"},
		{script: decl + `BEGIN { print((enum Foo)16); }`, expr: "(enum Foo)16", want: "enum Foo", k: "16"},
		{script: decl + `BEGIN { $x = A; $x = B; print(($x, 1)); }`, expr: "($x, 1)", want: "(enum Foo, int8)"},
		{script: decl + `BEGIN { $x = A; $x = 5; print(($x, 1)); }`, expr: "($x, 1)", want: "(int64, int8)"},
		{script: decl + `BEGIN { @m[A] = B; print(@m[C]); }`, expr: "@m[C]", want: "enum Foo"},
		{script: decl + `BEGIN { print((A, ANON)); }`, expr: "(A, ANON)", want: "(enum Foo, enum (anonymous))"},
		{script: decl + `BEGIN { print(pid > 1 ? A : B); }`, expr: "pid > 1 ? A : B", want: "enum Foo"},
		{script: decl + `BEGIN { print(pid > 1 ? A : ANON); }`, expr: "pid > 1 ? A : ANON", want: "uint64"},
		{script: decl + `BEGIN { printf("%s %d\n", A, A); }`, expr: "A", want: "enum Foo"},
		{script: decl + `BEGIN { print((enum Foo)3); }`, err: "enum Foo has no enumerator of value 3"},
		{script: decl + `BEGIN { print((enum Bar)3); }`, err: `unknown type "enum Bar"`},
		{script: decl + `BEGIN { printf("%s", A + 1); }`, err: "%s expects a string, not uint64"},
		{script: `enum E { X = pid } BEGIN { print(X); }`, err: "pid is not a constant"},
		{script: `enum E { X, Y, X } BEGIN { print(X); }`, err: "enumerator X is declared twice"},
		{script: `#define BASE 40
enum E { X = BASE + 2 } BEGIN { print(X); }`, expr: "X", want: "enum E", k: "42"},
	})
}

// TestEnumMembers: a struct member of the script's enum type is an int
// in C, and reads as a value of the enum.
func TestEnumMembers(t *testing.T) {
	runTypeCases(t, []typeCase{
		{script: `enum E { X } struct S { enum E e; int i; } BEGIN { $n = sizeof(struct S); }`, expr: "sizeof(struct S)", want: "uint64", k: "8"},
		{script: `enum E { X, BIG = 0x100000000 } BEGIN { $n = sizeof(enum E); }`, expr: "sizeof(enum E)", want: "uint64", k: "8"},
		{script: `enum E { X } struct S { enum E e; int i; } BEGIN { $s = (struct S *)0; print($s->e); }`, expr: "$s->e", want: "enum E"},
	})
}

// TestEnumUnify: values of one enum merge as the enum; with other
// integers they merge as integers.
func TestEnumUnify(t *testing.T) {
	def := &EnumDef{Name: "E", Values: []Enumerator{{Name: "X", Value: 1}}}
	other := &EnumDef{Name: "F"}
	e8, e4 := EnumType(def, 8), EnumType(def, 4)
	for _, tc := range []struct {
		old, new *Type
		want     string
	}{
		{e8, EnumType(def, 8), "enum E"},
		{e8, e4, "enum E"},
		{e8, Uint64, "uint64"},
		{Uint64, e8, "uint64"},
		{e8, EnumType(other, 8), "uint64"},
	} {
		got, ok := unify(tc.old, tc.new)
		if !ok || got.String() != tc.want {
			t.Errorf("unify(%s, %s) = %s, %v; want %s", tc.old, tc.new, got, ok, tc.want)
		}
	}
	if e8.Equal(EnumType(other, 8)) || !e8.Equal(EnumType(def, 8)) || e8.Equal(Uint64) {
		t.Errorf("enum types are equal when of one enum and size")
	}
	// A type read back from an object has its own copy of the enum.
	copied := &EnumDef{Name: "E", Values: []Enumerator{{Name: "X", Value: 1}}}
	if !e8.Equal(EnumType(copied, 8)) {
		t.Errorf("an enum read back is not equal to itself")
	}
	if name, ok := e4.EnumName(0xffffffff00000001); !ok || name != "X" {
		t.Errorf("EnumName compares at the type's size: got %q, %v", name, ok)
	}
	if _, ok := e8.EnumName(2); ok {
		t.Errorf("EnumName(2) found an enumerator E has not")
	}
}

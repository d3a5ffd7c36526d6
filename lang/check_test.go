package lang

import (
	"strconv"
	"strings"
	"testing"
)

// checked is a script after Check, with $1 = "hello" and $2 = "42".
type checked struct {
	prog *Program
	info *Info
	err  error
}

func checkText(text string) checked {
	prog, err := Parse(NewSource("-e", text))
	if err != nil {
		return checked{err: err}
	}
	info, err := Check(prog, testEnv{}, Config{Params: []string{"hello", "42"}})
	return checked{prog, info, err}
}

// find returns the first expression, outermost first, whose source text
// is text.
func (c checked) find(t *testing.T, text string) Expr {
	t.Helper()
	var found Expr
	Inspect(c.prog, func(n Node) bool {
		if e, ok := n.(Expr); ok && found == nil && c.prog.Src.Snippet(e.Start().Offset, e.End().Offset) == text {
			found = e
		}
		return found == nil
	})
	if found == nil {
		t.Fatalf("no expression %q", text)
	}
	return found
}

// typeCase expects expr, an expression of script, to have type want
// (and the constant value k when k is set); err, when set, is a part of
// the error the script must give instead.
type typeCase struct {
	script, expr, want, k, err string
}

func runTypeCases(t *testing.T, cases []typeCase) {
	t.Helper()
	for _, tc := range cases {
		c := checkText(tc.script)
		if tc.err != "" {
			if c.err == nil || !strings.Contains(c.err.Error(), tc.err) {
				t.Errorf("%s\ngot error %v, want %q", tc.script, c.err, tc.err)
			}
			continue
		}
		if c.err != nil {
			t.Errorf("%s\n%v", tc.script, c.err)
			continue
		}
		e := c.find(t, tc.expr)
		if got := c.info.TypeOf(e).String(); got != tc.want {
			t.Errorf("%s\n%s is %s, want %s", tc.script, tc.expr, got, tc.want)
		}
		if tc.k == "" {
			continue
		}
		k, ok := c.info.Consts[e]
		got := k.Str
		if !k.IsStr {
			got = strconv.FormatInt(int64(k.Int), 10)
		}
		if !ok || got != tc.k {
			t.Errorf("%s\n%s is the constant %q (%v), want %q", tc.script, tc.expr, got, ok, tc.k)
		}
	}
}

// TestDeclaredTypes: a type written in a let never widens; integers stored
// later convert to it, strings must fit it (bpftrace's rules).
func TestDeclaredTypes(t *testing.T) {
	runTypeCases(t, []typeCase{
		{script: `BEGIN { let $x: uint8 = 255; $x += 1; $x++; $x = $x * 1000; print(($x, 1)); }`, expr: "($x, 1)", want: "(uint8, int8)"},
		{script: `BEGIN { let $x: uint8 = 255; $x += 1000; $n = sizeof($x); }`, expr: "sizeof($x)", want: "uint64", k: "1"},
		{script: `BEGIN { let $x: int16; $x = -70000 + pid; $n = sizeof($x); }`, expr: "sizeof($x)", want: "uint64", k: "2"},
		{script: `BEGIN { let $s: string[4]; $s = "abc"; $s = "xy"; $n = sizeof($s); }`, expr: "sizeof($s)", want: "uint64", k: "4"},
		{script: `BEGIN { let $s: string = "a"; $s = comm; $n = sizeof($s); }`, expr: "sizeof($s)", want: "uint64", k: "1024"},
		{script: `BEGIN { let $x: uint8 = 255; $x = 256; }`, err: "256 does not fit in uint8; cast it: (uint8)256"},
		{script: `BEGIN { let $x: uint8; $x = -1; }`, err: "-1 does not fit in uint8"},
		{script: `BEGIN { let $s: string[4]; $s = "abcdef"; }`, err: "$s is declared string[4], too small for a string[7]"},
		{script: `BEGIN { let $s: string[4] = "abcd"; }`, err: "$s is declared string[4], too small for a string[5]"},
		{script: `BEGIN { let $s: string[4]; $s = comm; }`, err: "too small for a string[16]"},
		{script: `BEGIN { let $s: string[4]; $s = 1; }`, err: "a string[4] variable cannot hold int8"},
	})
}

// TestStringIndex: a string is a char array; an index reads an int8.
func TestStringIndex(t *testing.T) {
	runTypeCases(t, []typeCase{
		{script: `BEGIN { $c = comm[0]; }`, expr: "comm[0]", want: "int8"},
		{script: `BEGIN { $c = curtask->comm[15]; }`, expr: "curtask->comm[15]", want: "int8"},
		{script: `BEGIN { $s = comm; $i = 1; $c = $s[$i]; }`, expr: "$s[$i]", want: "int8"},
		{script: `BEGIN { $c = "abc"[1]; }`, expr: `"abc"[1]`, want: "int8", k: "98"},
		{script: `BEGIN { $c = "abc"[3]; }`, expr: `"abc"[3]`, want: "int8", k: "0"},
		{script: `BEGIN { $c = "\xff"[0]; }`, expr: `"\xff"[0]`, want: "int8", k: "-1"},
		{script: `BEGIN { $c = comm[16]; }`, err: "index 16 is out of range for string[16]"},
		{script: `BEGIN { $c = "abc"[-1]; }`, err: "index -1 is out of range for string[4]"},
		{script: `BEGIN { $c = comm["a"]; }`, err: "an index must be an integer, not string[2]"},
	})
}

// TestBufOfString: buf() reads a string literal or a char array, as
// bpftrace does, given a length, and no further than the string's size.
func TestBufOfString(t *testing.T) {
	runTypeCases(t, []typeCase{
		{script: `BEGIN { printf("%r\n", buf("abc", 2)); }`, expr: `buf("abc", 2)`, want: "buffer[2]"},
		{script: `BEGIN { printf("%r\n", buf("abc", 10)); }`, expr: `buf("abc", 10)`, want: "buffer[4]"},
		{script: `BEGIN { printf("%r\n", buf(curtask->comm, 4)); }`, expr: `buf(curtask->comm, 4)`, want: "buffer[4]"},
		{script: `BEGIN { $n = 3; printf("%r\n", buf(comm, $n)); }`, expr: `buf(comm, $n)`, want: "buffer[16]"},
		{script: `BEGIN { printf("%r\n", buf(comm)); }`, err: "buf() cannot tell how many bytes to read from string[16]"},
		{script: `BEGIN { printf("%r\n", buf((1, 2), 2)); }`, err: "buf() reads from a pointer, an array or a string, not (int8, int8)"},
	})
}

// TestStrParamOffset: str($N + K) is a string parameter's text from
// offset K, as in bpftrace 0.17.
func TestStrParamOffset(t *testing.T) {
	runTypeCases(t, []typeCase{
		{script: `BEGIN { printf("%s\n", str($1 + 1)); }`, expr: "str($1 + 1)", want: "string[5]", k: "ello"},
		{script: `BEGIN { printf("%s\n", str(2 + $1)); }`, expr: "str(2 + $1)", want: "string[4]", k: "llo"},
		{script: `BEGIN { printf("%s\n", str($1 + 5)); }`, expr: "str($1 + 5)", want: "string[1]", k: ""},
		{script: `BEGIN { printf("%s\n", str($1 + 1, 3)); }`, expr: "str($1 + 1, 3)", want: "string[3]", k: "el"},
		{script: `BEGIN { printf("%s\n", str($3 + 0)); }`, expr: "str($3 + 0)", want: "string[1]", k: ""},
		// A numeric parameter adds: str() reads at the address.
		{script: `BEGIN { printf("%s\n", str($2 + 1)); }`, expr: "$2 + 1", want: "int64", k: "43"},
		{script: `BEGIN { printf("%s\n", str($1 + 6)); }`, err: "str($1 + N) reads $1 from offset N, a constant from 0 to $1's length, 5"},
		{script: `BEGIN { printf("%s\n", str($1 + -1)); }`, err: "a constant from 0 to $1's length"},
		{script: `BEGIN { $i = 1; printf("%s\n", str($1 + $i)); }`, err: "a constant from 0 to $1's length"},
		{script: `BEGIN { printf("%s\n", str($3 + 1)); }`, err: "a constant from 0 to $3's length, 0"},
		{script: `BEGIN { $x = $1 + 1; }`, err: "operator + cannot be applied to string[6] and int8"},
	})
}

// TestSelfReadMaps: a map read in its own first assignment, and typed by
// nothing else, is an int64 (bpftrace infers so); reads of maps and
// variables typed later in the script settle too. Whatever the script,
// either it gets an error or every expression has a type.
// TestUnusedMapWarning: a declared map no probe uses gets a warning, as
// bpftrace gives; one that is used, in any way, does not.
func TestUnusedMapWarning(t *testing.T) {
	c := checkText("let @unused = hash(8);\nlet @used = hash(8);\nlet @cleared = hash(8);\nBEGIN { @used[1] = 1; @cleared[1] = 2; clear(@cleared); }")
	if c.err != nil {
		t.Fatal(c.err)
	}
	if got := c.info.Warnings.Error(); got != "-e:1:1: warning: @unused is declared but never used\n    let @unused = hash(8);\n    ^~~~~~~~~~~~~~~~~~~~~~" {
		t.Errorf("warnings:\n%s", got)
	}
}

func TestTupleAsKeys(t *testing.T) {
	runTypeCases(t, []typeCase{
		{script: `BEGIN { $k = (1, "a"); @m[$k] = 1; @m[100000, "bb"] = 2; print((@m[$k], 1)); }`, expr: "(@m[$k], 1)", want: "(int64, int8)"},
		{script: `BEGIN { @m[(1, 2, 3)] = 1; @m[1, 2] = 2; }`, err: "@m is used with 2 keys here but with 3 keys elsewhere"},
		{script: `BEGIN { $k = (1, "a"); @m[$k] = 1; @m[1, 2] = 2; }`, err: "@m's key is string[2] elsewhere, not int64"},
		{script: `BEGIN { $k = (1, "a"); @m[1, 2] = 2; @m[$k] = 1; }`, err: "@m's key is int64 elsewhere, not string[2]"},
	})
}

func TestSelfReadMaps(t *testing.T) {
	runTypeCases(t, []typeCase{
		{script: `BEGIN { @ = 0 ? @ : 0; }`, expr: "0 ? @ : 0", want: "int64"},
		{script: `BEGIN { @a = @a + 1; }`, expr: "@a + 1", want: "int64"},
		{script: `BEGIN { @a = @a; print((@a, 1)); }`, expr: "(@a, 1)", want: "(int64, int8)"},
		{script: `BEGIN { @a[comm] = @a[comm] + 1; }`, expr: "@a[comm] + 1", want: "int64"},
		{script: `BEGIN { @s = sum(@o); @o = 1; $c = @s / 2; }`, expr: "@s / 2", want: "int64"},
		{script: `BEGIN { @b = @a + 1; $c = @b * 2; } END { @a = 5; }`, expr: "@b * 2", want: "int64"},
		{script: `i:s:1 { print((@c, 1)); } i:s:2 { @c = @b; } i:s:3 { @b = @b + 1; }`, expr: "(@c, 1)", want: "(int64, int8)"},
		{script: `BEGIN { @s = @s; @s = "x"; print((@s, 1)); }`, expr: "(@s, 1)", want: "(string[2], int8)"},
		{script: `BEGIN { let $x; $y = $x + 1; $x = 5; }`, expr: "$x + 1", want: "int64"},
		{script: `BEGIN { let $x; @m = $x; $x = "s"; print((@m, 1)); }`, expr: "(@m, 1)", want: "(string[2], int8)"},
		{script: `BEGIN { @t = (@t.0 + 1, 5); }`, err: `int64 has no field "0"`},
		{script: `BEGIN { @a = (@a, 1); }`, err: "@a holds (int64, int8), so it cannot store ((int64, int8), int8)"},
		// The guess yields once to what the assignment stores.
		{script: `BEGIN { @b = !@b; }`, expr: "!@b", want: "bool"},
		{script: `BEGIN { @b = !@b; print((@b, 1)); }`, expr: "(@b, 1)", want: "(bool, int8)"},
		{script: `BEGIN { @s = @s ? "y" : "n"; }`, err: "a condition must be an integer, bool or pointer, not string[2]"},
		{script: `BEGIN { @a = @b; @b = @a; }`, err: "@b is read but never assigned"},
		{script: `END { @s = @s + 1; } BEGIN { @s = "x"; }`, err: "operator + cannot be applied to string[2] and int8"},
		{script: `BEGIN { let $x; print($x); }`, err: "variable $x is read but never given a value, so it has no type"},
		{script: `BEGIN { $x = $x; }`, err: "variable $x is used before it is assigned"},
	})
}

// TestNoUnreportedInvalid checks scripts whose maps and variables settle
// late: without an error, no expression may be left with the poison type.
func TestNoUnreportedInvalid(t *testing.T) {
	for _, text := range []string{
		`BEGIN { @ = 0 ? @ : 0; }`,
		`BEGIN { @t = (@t.0 + 1, 5); }`,
		`BEGIN { @s = sum(@o); @o = 1; $c = @s / 2; }`,
		`BEGIN { @a = (@a, 1); }`,
		`BEGIN { @b = @a + 1; $c = @b * 2; } END { @a = 5; }`,
		`BEGIN { let $x; @m = $x; $x = 1; $y = @m; }`,
		`BEGIN { @a = { @b = @a; 1 }; }`,
		`BEGIN { @a = @b[@a]; @b[1] = 2; }`,
		`BEGIN { $x = @m.1; @m = (1, "a"); }`,
	} {
		c := checkText(text)
		if c.err != nil {
			continue
		}
		for e, typ := range c.info.Types {
			if typ.IsInvalid() {
				t.Errorf("%s: %s has no type and no error was reported", text, c.prog.Src.Snippet(e.Start().Offset, e.End().Offset))
			}
		}
	}
}

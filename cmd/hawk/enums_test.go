package main

import (
	"path/filepath"
	"testing"
)

// enumConstructs are runs of scripts with enums: the script's own, named
// and anonymous, and the kernel's. A value of an enum type prints as its
// enumerator's name wherever it is printed; arithmetic on it gives a
// plain integer; a value no enumerator has prints as its number.
var enumConstructs = []construct{
	{
		name:   "map key",
		script: `enum { ONE = 1, TWO = 2 }; BEGIN { @[ONE] = 11; @[TWO] = 22; @m[ONE] = 333; }`,
		maps:   "@[ONE]: 11\n@[TWO]: 22\n@m[ONE]: 333\n",
	},
	{
		name:   "tuple map key",
		script: `enum { ONE = 1, TWO = 2 }; BEGIN { @[ONE, TWO, ONE] = -1; }`,
		maps:   "@[ONE, TWO, ONE]: -1\n",
	},
	{
		name:   "map value and tuple value",
		script: `enum { ONE = 1, TWO = 2 }; BEGIN { @v = TWO; @t = (ONE, TWO); }`,
		maps:   "@t: (ONE, TWO)\n@v: TWO\n",
	},
	{
		name:   "arithmetic is an integer",
		script: `enum { ONE = 1, TWO = 2 }; BEGIN { @[ONE + 1] = TWO + 1; @[ONE] = ONE; }`,
		maps:   "@[1]: 1\n@[2]: 3\n",
	},
	{
		name:   "scratch variable and tuple",
		script: `enum { FOO = 333, BAR } BEGIN { $f = FOO; print($f); $t = (FOO, BAR); print($t); exit(); }`,
		out:    "FOO\n(FOO, BAR)\n",
	},
	{
		name: "values count on",
		script: `enum Foo { A = 1, B, C = 0x10, D, N = -2, M } ` +
			`BEGIN { print((A, B, C, D, N, M)); printf("%d %d %d %d %d %d\n", A, B, C, D, N, M); exit(); }`,
		out: "(A, B, C, D, N, M)\n1 2 16 17 -2 -1\n",
	},
	{
		name:   "cast to enum",
		script: `enum BAZ { FOO = 333, BAR }; BEGIN { print((enum BAZ)333); $x = 334; print((enum BAZ)$x); $y = 444; print((enum BAZ)$y); exit(); }`,
		out:    "FOO\nBAR\n444\n",
	},
	{
		name: "printf",
		script: `enum Foo { ONE = 1, TWO = 2, OTHER = 99999 }; ` +
			`BEGIN { @two = TWO; $o = OTHER; $x = 100; printf("%d %s %d %s %d %s %s|%-5s|%5s|\n", ONE, ONE, @two, @two, $o, $o, (enum Foo)$x, ONE, TWO); exit(); }`,
		out:  "1 ONE 2 TWO 99999 OTHER 100|ONE  |  TWO|\n",
		maps: "@two: TWO\n",
	},
	{
		name:   "values of one enum stay of it",
		script: `enum Foo { A = 1, B } BEGIN { $x = A; $x = B; $c = pid > 0 ? A : B; @m = A; @m = B; print(($x, $c)); exit(); }`,
		out:    "(B, A)\n",
		maps:   "@m: B\n",
	},
	{
		name:   "struct member",
		script: `enum E { X = 7, Y } struct S { int i; enum E e; } BEGIN { $s = (struct S *)0; @n = sizeof(struct S); @m = sizeof($s->e); exit(); }`,
		maps:   "@m: 4\n@n: 8\n",
	},
	{
		name:   "kernel enum constant",
		script: `BEGIN { $r = SKB_DROP_REASON_NOT_SPECIFIED; printf("%d %s %d\n", $r, $r, sizeof(BTF_VAR_STATIC)); print(BTF_VAR_STATIC); print((enum skb_drop_reason)2); exit(); }`,
		out:    "2 SKB_DROP_REASON_NOT_SPECIFIED 8\nBTF_VAR_STATIC\nSKB_DROP_REASON_NOT_SPECIFIED\n",
	},
	{
		name:   "kernel struct member of an enum type",
		script: `BEGIN { $i = curtask->mm->exe_file->f_inode; print($i->i_write_hint); printf("%s\n", $i->i_write_hint); exit(); }`,
		re:     `^(WRITE_LIFE_[A-Z_]+)\n(WRITE_LIFE_[A-Z_]+)\n\n\n$`,
	},
	{
		name:    "tracepoint argument of an enum type",
		script:  `tracepoint:timer:hrtimer_start /comm == "sleep"/ { printf("%d %s\n", args.mode, args.mode); exit(); }`,
		trigger: []string{"sleep", "0.001"},
		re:      `^\d+ HRTIMER_MODE_[A-Z_]+\n\n\n$`,
	},
}

// TestEnums runs enumConstructs.
func TestEnums(t *testing.T) {
	runConstructs(t, enumConstructs)
}

// TestEnumsJSON: JSON has an enum value's number, as bpftrace keeps its
// JSON output, but printf's %s its name; a map key has the name.
func TestEnumsJSON(t *testing.T) {
	code, stdout, stderr := hawkOut(t, "-q", "-f", "json", "-e",
		`enum Foo { ONE = 1, TWO = 2 } BEGIN { $f = TWO; print($f); print((ONE, TWO)); printf("%s %d\n", ONE, ONE); @[TWO] = ONE; exit(); }`)
	want := `{"type": "value", "data": 2}` + "\n" +
		`{"type": "value", "data": [1,2]}` + "\n" +
		`{"type": "printf", "data": "ONE 1\n"}` + "\n" +
		`{"type": "map", "data": {"@": {"TWO": 1}}}` + "\n"
	if code != 0 || stdout != want {
		t.Errorf("exit %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", code, stdout, want, stderr)
	}
}

// TestEnumsELF: an object written by --emit-elf keeps the enums' names
// (the manifest holds the types with their enumerators).
func TestEnumsELF(t *testing.T) {
	obj := filepath.Join(t.TempDir(), "enums.o")
	script := `enum Foo { ONE = 1, TWO = 2 } enum { X = 7 } BEGIN { @[ONE] = TWO; @t = (ONE, X); printf("%s %d\n", TWO, TWO); print(SKB_DROP_REASON_NOT_SPECIFIED); exit(); }`
	if code, stdout, stderr := hawkOut(t, "--emit-elf", obj, "-e", script); code != 0 || stdout != "" || stderr != "" {
		t.Fatalf("--emit-elf: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, stderr := hawkOut(t, "-q", obj)
	want := "TWO 2\nSKB_DROP_REASON_NOT_SPECIFIED\n\n\n@[ONE]: TWO\n@t: (ONE, X)\n"
	if code != 0 || stdout != want {
		t.Errorf("running the object: exit %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", code, stdout, want, stderr)
	}
}

package main

import (
	"regexp"
	"strings"
	"testing"
)

// aggrProgram returns the aggregates test program, built once.
func aggrProgram(t *testing.T) string {
	t.Helper()
	return cProgram(t, "aggr", "testdata/aggr/aggr.c", "-O1")
}

// aggrDecls declares the test program's types for the scripts.
const aggrDecls = `struct T { uint32_t a; uint32_t b[2]; }
struct W { uint32_t a; struct T t; }
struct C { uint32_t a; void *b; struct W w[5]; }
struct Foo { int m; int n; }
struct P { int *z[4]; }
struct A { int x[4]; uint8_t y[4]; }
`

// aggregates are the cases of structs, arrays and tuples as values and
// map keys. A script with PROBE in it runs with the test program, PROBE
// replaced by the uprobe on its aggregates(c, f, p, a) function.
func aggregates() []construct {
	return []construct{
		{
			// Regression: a struct member of a struct was aligned to 8,
			// not to its own members, so struct W took 24 bytes, not 16,
			// and w[2] read w[3].
			name: "struct_array_stride",
			script: aggrDecls + `PROBE { $c = (struct C *)arg0; printf("%d %d %d %d %d -- %d %d -- %d %d\n", $c.w[0].a, $c.w[1].a, $c.w[2].a, $c.w[3].a, $c.w[4].a,
				$c.w[1].t.a, $c.w[3].t.a, $c.w[2].t.b[1], $c.w[4].t.b[0]); exit(); }`,
			out: "100 101 102 103 104 -- 1 3 -- 96 96\n",
		},
		{
			name: "struct_array_copied",
			script: aggrDecls + `PROBE { $w = ((struct C *)arg0).w; @w[0] = $w; let $l: struct W[5]; $l = $w;
				printf("%d %d %d %d\n", $w[2].a, @w[0][3].t.a, $l[4].t.b[1], sizeof($w)); clear(@w); exit(); }`,
			out: "102 3 92 80\n",
		},
		{
			// Tuples are padded to their alignment, and a struct in one
			// aligns to its members.
			name:   "tuple_sizes",
			script: aggrDecls + `PROBE { $t = ((int32)1, *((struct Foo *)arg1)); $u = ((int32)1, (int16)1, (int8)1); printf("%d %d\n", sizeof($t), sizeof($u)); exit(); }`,
			out:    "12 8\n",
		},
		{
			// Structs and arrays are map keys, alone, with others and
			// read back from a map, printed as bpftrace prints them.
			name: "struct_array_keys",
			script: aggrDecls + `PROBE { $f = *((struct Foo *)arg1); @s[*((struct Foo *)arg1)] = 0; @m[$f, 42] = 1; @x = $f; @k[@x] = 2;
				$a = (struct A *)arg3; @arr[$a.x] = 3; @y = $a.x; @arr2[@y, "b"] = 4; @w[((struct C *)arg0).w[1].t] = 5;
				if (@s[$f] == 0 && has_key(@m, ($f, 42))) { printf("found\n"); } exit(); }`,
			out: "found\n",
			maps: "@arr[[1,2,3,4]]: 3\n@arr2[[1,2,3,4], b]: 4\n@k[{ .m = 2, .n = 3 }]: 2\n@m[{ .m = 2, .n = 3 }, 42]: 1\n" +
				"@s[{ .m = 2, .n = 3 }]: 0\n@w[{ .a = 1, .b = [99,98] }]: 5\n@x: { .m = 2, .n = 3 }\n@y: [1,2,3,4]\n",
		},
		{
			// Regression: a buffer's length was not counted in the layout
			// of a tuple or of a key of several parts, so a histogram's
			// bucket overwrote it and a second key part overlapped it.
			name:   "buffer_keys",
			script: `BEGIN { @h[buf("ok_key", 7)] = hist(1); @m[buf("ok_key", 7), 1] = hist(1); @c[(int8)1, buf("ab", 2)] = count(); $t = (buf("xy", 2), 5); print($t); exit(); }`,
			out:    "(xy, 5)\n",
			maps: "@c[1, ab]: 1\n@h[ok_key\\x00]:\n[1]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n\n" +
				"@m[ok_key\\x00, 1]:\n[1]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n\n",
		},
		{
			// Symbols and user names are map keys, printed as symbols.
			name:   "symbol_keys",
			script: `BEGIN { @s[ksym(kaddr("vfs_read"))] = 1; @m[ksym(kaddr("vfs_read")), 2] = 3; @u[username] = 4; exit(); }`,
			maps:   "@m[vfs_read, 2]: 3\n@s[vfs_read]: 1\n@u[root]: 4\n",
		},
		{
			// Regression: the pointers in a script struct were kernel
			// pointers even when the struct was read from user memory,
			// so *p read nothing in a uprobe. They point where the
			// struct was read from.
			name:   "array_of_pointers",
			script: aggrDecls + `PROBE { $s = *(struct P *)arg2; printf("%d %d %d\n", *((struct P *)arg2).z[1], *$s.z[3], *(((struct P *)arg2).z[0])); exit(); }`,
			out:    "2 4 1\n",
		},
		{
			// Integers widen to an array of up to 8 bytes; strings are
			// arrays of their bytes, the size inferred; bool arrays.
			name: "casts_to_arrays",
			script: `BEGIN { printf("%x\n", ((int8[8])12345)[0]); print((int8[])"hello"); print((bool[2])(uint16)1); print((uint8[3])(uint16)0x0201);
				print((int8[4])(int8)-2); print((uint8[7])(uint32)0x04030201); exit(); }`,
			out: "39\n[104,101,108,108,111,0]\n[true,false]\n[1,2,0]\n[-2,-1,-1,-1]\n[1,2,3,4,0,0,0]\n",
		},
		{
			// An array read from memory casts to an integer of its size;
			// uint8_t b[N] is an array, char b[N] a string.
			name:   "array_to_int",
			script: aggrDecls + `PROBE { $y = (int32)((struct A *)arg3).y; $a = ((struct A *)arg3).y; printf("%x %x %d\n", $y, (uint32)$a, $a[2]); exit(); }`,
			out:    "4030201 4030201 3\n",
		},
		{
			// Regression: a probe whose strings need more than the 32 KiB
			// of one per-CPU map value was refused; it now has several
			// regions of scratch memory, as bpftrace has several maps.
			name: "scratch_regions",
			script: `config = { max_strlen = 12000 } BEGIN { @x[str(0)] = str(1); $t = (1, "big", str(0)); $u = $t; print($u);
				for ($kv : @x) { print($kv); } exit(); }`,
			out:  "(1, big, )\n(, )\n",
			maps: "@x[]: \n",
		},
		{
			// Arrays of arrays are map keys, alone and with others.
			name:   "array_of_arrays_keys",
			script: aggrDecls + `PROBE { $p = (int32[2][2] *)arg3; @x[*$p] = 1; @y = *$p; @z[@y, 2] = 3; exit(); }`,
			maps:   "@x[[[1,2],[3,4]]]: 1\n@y: [[1,2],[3,4]]\n@z[[[1,2],[3,4]], 2]: 3\n",
		},
	}
}

// TestAggregates runs the aggregates cases; PROBE in a script stands for
// the uprobe on the test program, which the case then runs with -c.
func TestAggregates(t *testing.T) {
	cases := aggregates()
	for i, c := range cases {
		if strings.Contains(c.script, "PROBE") {
			prog := aggrProgram(t)
			cases[i].script = strings.ReplaceAll(c.script, "PROBE", "uprobe:"+prog+":aggregates")
			cases[i].args = append([]string{"-c", prog}, c.args...)
		}
	}
	runConstructs(t, cases)
}

// TestArrayIndexOutOfBounds: an array index out of bounds at run time
// reads element 0 and is warned of once, at the index, as bpftrace warns;
// indexes in bounds are not.
func TestArrayIndexOutOfBounds(t *testing.T) {
	prog := aggrProgram(t)
	c := construct{
		script: aggrDecls + `uprobe:` + prog + `:aggregates { $a = (struct A *)arg3; $i = (uint64)100; $j = 2; $k = -1;
	printf("%d %d %d\n", $a.x[$i], $a.x[$j], $a.x[$k]); exit(); }`,
		args: []string{"-c", prog},
	}
	stdout, stderr, code := runConstruct(t, c)
	if code != 0 || stdout != "1 3 1\n\n\n" {
		t.Errorf("exit status %d, stdout %q, want 0 and %q; stderr:\n%s", code, stdout, "1 3 1\n\n\n", stderr)
	}
	want := regexp.MustCompile(`stdin:8:23-31: WARNING: Array access out of bounds\. This can lead to unexpected results.*\n.*\n\t {21}~~~~~~~~\n` +
		`stdin:8:43-51: WARNING: Array access out of bounds`)
	if !want.MatchString(stderr) || strings.Count(stderr, "out of bounds") != 2 {
		t.Errorf("stderr:\n%s\nwant two warnings, at $a.x[$i] and $a.x[$k]", stderr)
	}
}

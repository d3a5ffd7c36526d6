package main

import (
	"os"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// cdeclConstructs read values through structs the script defines as C
// declarations: bitfields, arrays of arrays, nested and anonymous
// members, attributes, a struct that replaces the kernel's.
func cdeclConstructs() []construct {
	return []construct{
		{name: "bitfields_of_a_word",
			script: `struct Foo { unsigned int a:4, b:8, c:3, d:1, e:16; } BEGIN { $val = (uint32)0xfffe1234; $p = (struct Foo *)&$val; printf("%d %d %d %d %d\n", $p.a, $p.b, $p.c, $p.d, $p.e); @f = *$p; $f = @f; printf("%d %d\n", @f.e, $f.b); exit(); }`,
			out:    "4 35 1 0 65534\n65534 35\n",
			maps:   "@f: { .a = 4, .b = 35, .c = 1, .d = 0, .e = 65534 }\n"},
		{name: "bitfields_print_struct",
			script: `struct foo { unsigned long long x_0:1; unsigned long long x_1:1; unsigned long long x_2:2; } BEGIN { $val = (uint64)0x1e; $f = *(struct foo *)(&$val); print($f); exit(); }`,
			out:    "{ .x_0 = 0, .x_1 = 1, .x_2 = 3 }\n"},
		{name: "bitfields_signed_types_read_zero_extended",
			script: `struct Bar { short a:4, b:8, c:3, d:1; int e:9, f:15 } BEGIN { $v = (uint64)0xf3d9fd9; $p = (struct Bar *)&$v; printf("%d %d %d %d %d %d\n", $p.a, $p.b, $p.c, $p.d, $p.e, $p.f); exit(); }`,
			out:    "9 253 1 1 317 0\n"},
		{name: "array_of_arrays",
			script: `struct B { int y[2][2]; } BEGIN { $v = ((int32)1, (int32)2, (int32)3, (int32)4); $b = ((struct B *)&$v).y; print($b); @b[0] = $b; $x = @b[0]; printf("%d %d %d %d\n", $b[1][0], @b[0][0][1], $x[1][1], sizeof($b)); @m = $b; exit(); }`,
			out:    "[[1,2],[3,4]]\n3 2 4 16\n",
			maps:   "@b[0]: [[1,2],[3,4]]\n@m: [[1,2],[3,4]]\n"},
		{name: "array_of_arrays_json",
			script: `struct B { int y[2][2]; } BEGIN { $v = ((int32)1, (int32)2, (int32)3, (int32)4); $b = ((struct B *)&$v).y; print($b); @b[0] = $b; exit(); }`,
			args:   []string{"-f", "json"},
			re:     `^\{"type": "value", "data": \[\[1,2\],\[3,4\]\]\}\n\{"type": "map", "data": \{"@b": \{"0": \[\[1,2\],\[3,4\]\]\}\}\}\n$`},
		{name: "nested_and_anonymous_members",
			script: `struct Foo { int m; struct { int x; int y; } bar; union { int i; char c; }; int n } BEGIN { $v = ((int32)1, (int32)2, (int32)3, (int32)4, (int32)5); $f = *(struct Foo *)&$v; @bar = $f.bar; printf("%d %d %d %d %d\n", $f.m, $f.bar.y, $f.i, $f.c, $f.n); print($f); exit(); }`,
			out:    "1 3 4 4 5\n{ .m = 1, .bar = { .x = 2, .y = 3 }, .i = 4, .c = 4, .n = 5 }\n",
			maps:   "@bar: { .x = 2, .y = 3 }\n"},
		{name: "floating_point_members_print_null",
			script: `union N { int i; float f; }; struct Foo { int m; union N n; double d[2]; } BEGIN { $v = ((int32)2, (int32)5, (int64)0, (int64)0); print(*(struct Foo *)&$v); printf("%d %d\n", offsetof(struct Foo, d), sizeof(struct Foo)); exit(); }`,
			out:    "{ .m = 2, .n = { .i = 5, .f = null }, .d = [null,null] }\n8 24\n"},
		{name: "attributes_change_sizes",
			script: `struct foo { int x; char y; int z; } struct bar { int x; char y; int z; } /**/ __attribute__ /**/ ((packed)) struct big { char c; } __attribute__((aligned(16))) BEGIN { printf("%d %d %d %d\n", sizeof(struct foo), sizeof(struct bar), sizeof(struct big), offsetof(struct bar, z)); exit(); }`,
			out:    "12 9 16 5\n"},
		{name: "bitfield_structs_compared_in_tuples",
			script: `struct Foo { unsigned int a:4, b:8, c:3, d:1, e:16; } BEGIN { $v = (uint32)0xfffe1234; $w = (uint32)0xfffe1235; $x = *(struct Foo *)&$v; $y = *(struct Foo *)&$w; printf("%d %d\n", (1, $x) == (1, $x), (1, $x) == (1, $y)); exit(); }`,
			out:    "1 0\n"},
		{name: "kernel_struct_member_printed",
			script: `struct foo { int a; struct callback_head l; struct foo *next; } BEGIN { $z = ((int64)0, (int64)0, (int64)0, (int64)0); $f = *(struct foo *)&$z; print($f); exit(); }`,
			out:    "{ .a = 0, .l = { .next = 0x0, .func = 0x0 }, .next = 0x0 }\n"},
		{name: "struct_replaces_kernel_member_type",
			script: `struct list_head { int a; } BEGIN { printf("%d\n", sizeof(curtask.children)); exit(); }`,
			out:    "4\n"},
		{name: "struct_replaces_kernel_type",
			script: `struct task_struct { int x; int y; } BEGIN { printf("%d\n", sizeof(*curtask)); exit(); }`,
			out:    "8\n"},
	}
}

// TestCDecl runs cdeclConstructs.
func TestCDecl(t *testing.T) {
	runConstructs(t, cdeclConstructs())
}

// TestCDeclMatchesGCC reads, with a uprobe, a struct that gcc laid out
// from the same declarations as the script (testdata/cdecl/sample.h):
// bitfields, an array of arrays, a double skipped over, an array of
// structs, an anonymous union, a packed member, a pointer, no ';' before
// the '}'. A member hawk places elsewhere than gcc reads a wrong value.
func TestCDeclMatchesGCC(t *testing.T) {
	kerneltest.Require(t)
	prog := cProgram(t, "cdecl", "testdata/cdecl/cdecl.c", "-w", "-O1")
	header, err := os.ReadFile("testdata/cdecl/sample.h")
	if err != nil {
		t.Fatal(err)
	}
	script := string(header) + ` uprobe:` + prog + `:observe {
	$s = (struct sample *)arg0;
	printf("%c %d %d %d %d %d %d %d\n", $s.tag, $s.lo, $s.mid, $s.hi, $s.grid[1][2], $s.grid[0][0], $s.corners[1].x, $s.corners[1].y);
	printf("%x %d %c %ld %d %lx %s %d\n", $s.word, $s.bytes[3], $s.tight.c, $s.tight.big, $s.flag, $s.count, str($s.name), $s.last);
	printf("%d %d\n", sizeof(struct sample), offsetof(struct sample, last));
	@grid = $s.grid;
	@corners = $s.corners;
	exit();
}`
	code, stdout, stderr := hawkOut(t, "-q", "-c", prog, "-e", script)
	want := "T 9 200 4000 9 -3 -7 8\n" +
		"4030201 4 p 1234567890123 1 abcde12345 sample 99\n" +
		"88 80\n\n\n" +
		"@corners: [{ .x = 0, .y = 0 },{ .x = -7, .y = 8 }]\n" +
		"@grid: [[-3,-2,-1],[7,8,9]]\n"
	if code != 0 || stdout != want {
		t.Errorf("exit %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", code, stdout, want, stderr)
	}
}

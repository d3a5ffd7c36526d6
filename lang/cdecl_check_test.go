package lang

import "testing"

// TestCDeclTypes: what expressions over script structs are.
func TestCDeclTypes(t *testing.T) {
	runTypeCases(t, []typeCase{
		{script: `struct B { int y[2][3]; } BEGIN { $b = (struct B *)0; $x = $b.y[1][2]; }`, expr: "$b.y[1][2]", want: "int32"},
		{script: `struct B { int y[2][3]; } BEGIN { $b = (struct B *)0; $x = $b.y[1]; }`, expr: "$b.y[1]", want: "int32[3]"},
		{script: `struct B { int y[2][3]; } BEGIN { $b = (struct B *)0; $x = $b.y; $n = sizeof($x); }`, expr: "sizeof($x)", want: "uint64", k: "24"},
		{script: `struct B { char names[2][8]; } BEGIN { $b = (struct B *)0; $x = $b.names[1]; }`, expr: "$b.names[1]", want: "string[8]"},
		{script: `struct F { short a:4, b:12; } BEGIN { $f = (struct F *)0; $x = $f.b; }`, expr: "$f.b", want: "uint16"},
		{script: `struct F { int m; struct { int x; int y; }; } BEGIN { $f = (struct F *)0; $x = $f.y; $o = offsetof(struct F, y); }`, expr: "offsetof(struct F, y)", want: "uint64", k: "8"},
		{script: `struct F { int m; struct G { char c; long l; } g; } BEGIN { $o = offsetof(struct F, g.l); $s = sizeof(struct G); }`, expr: "offsetof(struct F, g.l)", want: "uint64", k: "16"},
		{script: `struct F { int m; struct G { char c; long l; } g; } BEGIN { $o = offsetof(struct F, g.l); $s = sizeof(struct G); }`, expr: "sizeof(struct G)", want: "uint64", k: "16"},
		{script: `struct task_struct { int x; int y; } BEGIN { $x = curtask.y; $n = sizeof(*curtask); }`, expr: "sizeof(*curtask)", want: "uint64", k: "8"},
		{script: `struct task_struct { int x; int y; } BEGIN { $x = curtask.real_parent; }`, err: `struct task_struct has no field "real_parent"`},
		{script: `struct F { double d; } BEGIN { $x = ((struct F *)0).d; }`, err: `member d of struct F is a double, which hawk cannot read`},
		{script: `struct F { char c; double d[2]; struct { float f; }; } BEGIN { $x = offsetof(struct F, d); $y = offsetof(struct F, f); }`, expr: "offsetof(struct F, f)", want: "uint64", k: "24"},
	})
}

// TestCDeclUserPointers: a pointer member read through a user pointer
// points into user memory, one read through a kernel pointer into kernel
// memory.
func TestCDeclUserPointers(t *testing.T) {
	for _, tc := range []struct {
		script string
		want   AddrSpace
	}{
		{`struct S { int n; char *name; struct S *next; } uprobe:/bin/sh:main { $s = (struct S *)arg0; $p = $s.next.name; }`, SpaceUser},
		{`struct S { int n; char *names[2]; } uprobe:/bin/sh:main { $s = (struct S *)arg0; $p = $s.names[1]; }`, SpaceUser},
		{`struct S { int n; char *name; struct S *next; } BEGIN { $s = (struct S *)0; $p = $s.next.name; }`, SpaceKernel},
	} {
		c := checkText(tc.script)
		if c.err != nil {
			t.Errorf("%s\n%v", tc.script, c.err)
			continue
		}
		var e Expr
		for _, probe := range c.prog.Probes {
			e = probe.Body.Stmts[1].(*ExprStmt).Value
		}
		if got := c.info.TypeOf(e); got.Kind != KindPointer || got.Space != tc.want {
			t.Errorf("%s\n$p is %s in %s memory, want %s memory", tc.script, got, got.Space, tc.want)
		}
	}
}

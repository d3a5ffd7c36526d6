package repl

import "testing"

func TestNewEntry(t *testing.T) {
	tests := []struct {
		text       string
		incomplete bool
		err        bool
		stmts      bool
		printValue bool
		mapEntry   bool
	}{
		{text: "1 << 20", stmts: true, printValue: true},
		{text: "@counts", stmts: true, printValue: true},
		{text: `@m["bash"]`, stmts: true, mapEntry: true},
		{text: `@m["bash", 1 + 1]`, stmts: true, mapEntry: true},
		{text: `@m["bash"] + 1`, stmts: true, printValue: true},
		{text: "@x = 1; @y = 2", stmts: true},
		{text: "@x++", stmts: true},
		{text: `delete(@m, "bash")`, stmts: true},
		{text: "print(@h)", stmts: true},
		{text: "pid", stmts: true, printValue: true},
		{text: "1?2:3", stmts: true, printValue: true},
		{text: "pid > 1 ? 1 : 2", stmts: true, printValue: true},
		{text: "t:sched:sched_switch { @s = count(); }"},
		{text: "let $x = 1; print($x)", stmts: true},
		{text: "tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }"},
		{text: "BEGIN { printf(\"hi\\n\"); }"},
		{text: "struct foo { int x; }"},
		{text: "let @m = lru_hash(10);"},
		{text: "config = { max_map_keys = 100 }"},
		// Waiting for more lines.
		{text: "kprobe:vfs_read", incomplete: true},
		{text: "tracepoint:syscalls:sys_enter_openat /comm == \"bash\"/", incomplete: true},
		{text: "tracepoint:syscalls:sys_enter_openat {", incomplete: true},
		{text: "BEGIN {\n  if (1) {\n", incomplete: true},
		{text: "1 +", incomplete: true},
		{text: "printf(\"%d\\n\",", incomplete: true},
		{text: "/* open", incomplete: true},
		// Wrong, whatever follows.
		{text: "1 }", err: true},
		{text: "BEGIN { 1 } }", err: true},
		{text: "printf(\"%d\\n\", 1 <<)", err: true},
		{text: "1 2", err: true},
		{text: "\"}\"", stmts: true, printValue: true},
		// Issue 17: what more lines cannot mend is an error at once, at
		// the parser's position, whatever brackets are open.
		{text: "BEGIN { @a = (1 ; }", err: true},
		{text: "BEGIN { @a = (1 ;", err: true},
		{text: "BEGIN {\n  @a = (1 ;\n", err: true},
		{text: "@a = (1 ;", err: true},
		{text: "BEGIN { @a = [1 }", err: true},
		{text: "BEGIN { printf(\"abc\n", err: true},
		{text: "BEGIN { @x = 1 } )", err: true},
		{text: "BEGIN { for ($kv : @m) {", incomplete: true},
		{text: "struct foo { int x;", incomplete: true},
		{text: "BEGIN { /* a ( ; } */", incomplete: true},
	}
	for _, tt := range tests {
		e, incomplete, err := newEntry("in[1]", tt.text)
		if incomplete && err == nil {
			t.Errorf("%q: incomplete without the error that ends it", tt.text)
		}
		if incomplete != tt.incomplete || !incomplete && (err != nil) != tt.err {
			t.Errorf("%q: incomplete %v, error %v; want incomplete %v, error %v", tt.text, incomplete, err, tt.incomplete, tt.err)
			continue
		}
		if e == nil {
			continue
		}
		if e.stmts != tt.stmts || e.printValue != tt.printValue || e.mapEntry != tt.mapEntry {
			t.Errorf("%q: statements %v, printed %v, map entry %v; want %v, %v, %v", tt.text, e.stmts, e.printValue, e.mapEntry, tt.stmts, tt.printValue, tt.mapEntry)
		}
	}
}

func TestBrackets(t *testing.T) {
	tests := []struct {
		text     string
		depth    int
		unopened int
	}{
		{"{ ( [", 3, -1},
		{"{ \"}\" }", 0, -1},
		{"{ // }\n", 1, -1},
		{"{ /* } */", 1, -1},
		{"x } {", -1, 2},
		{`"\"" (`, 1, -1},
	}
	for _, tt := range tests {
		depth, unopened := brackets(tt.text)
		if depth != tt.depth || unopened != tt.unopened {
			t.Errorf("brackets(%q) = %d, %d; want %d, %d", tt.text, depth, unopened, tt.depth, tt.unopened)
		}
	}
}

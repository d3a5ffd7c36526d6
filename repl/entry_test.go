package repl

import "testing"

func TestNewEntry(t *testing.T) {
	tests := []struct {
		text       string
		incomplete bool
		err        bool
		stmts      bool
		printValue bool
	}{
		{text: "1 << 20", stmts: true, printValue: true},
		{text: "@counts", stmts: true, printValue: true},
		{text: `@m["bash"]`, stmts: true, printValue: true},
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
	}
	for _, tt := range tests {
		e, incomplete, err := newEntry("in[1]", tt.text)
		if incomplete != tt.incomplete || (err != nil) != tt.err {
			t.Errorf("%q: incomplete %v, error %v; want incomplete %v, error %v", tt.text, incomplete, err, tt.incomplete, tt.err)
			continue
		}
		if e == nil {
			continue
		}
		if e.stmts != tt.stmts || e.printValue != tt.printValue {
			t.Errorf("%q: statements %v, printed %v; want %v, %v", tt.text, e.stmts, e.printValue, tt.stmts, tt.printValue)
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

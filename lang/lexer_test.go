package lang

import (
	"strings"
	"testing"

	"github.com/alecthomas/participle/v2/lexer"
)

// TestLexUnclosedOnce lexes many strings and comments that are never
// closed. The lexer read to the end of the line (of the text) at each,
// again: 50,000 of them on a line of 100 KB (250 KB) took 3.5 (6.5)
// minutes; now each is one token, read once, and the first is reported.
func TestLexUnclosedOnce(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"BEGIN { " + strings.Repeat(`"\`, 500_000) + "\n}\n",
			"-e:1:9: error: the string is never closed\n    BEGIN { \"\\\"\\\"\\\"\\"},
		{"BEGIN { " + strings.Repeat("/* x ", 200_000) + "\n}\n",
			"-e:1:9: error: unexpected '/*': the comment is never closed\n    BEGIN { /* x /* x"},
	} {
		got := compileErr("-e", tc.text)
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("got\n%.300s\nwant\n%s", got, tc.want)
		}
	}
	// The caret marks the opening only.
	got := compileErr("-e", "BEGIN { /* x")
	if want := "-e:1:9: error: unexpected '/*': the comment is never closed\n    BEGIN { /* x\n            ^~"; got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	got = compileErr("-e", "tracepoint:syscalls:sys_enter_openat /str(args.filename) == \"/etc/passwd/ {\n printf(\"x\");\n}")
	if want := "-e:1:61: error: the string is never closed\n"; !strings.HasPrefix(got, want) {
		t.Errorf("a string never closed in a predicate, which ran past its '/' and '{':\n%s", got)
	}
}

// TestNULByte: a NUL byte anywhere in a script is an error at it, before
// lexing; in a string literal it reached the kernel as BTF line info, which
// refused it with an unpositioned "string contains null".
func TestNULByte(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"BEGIN { printf(\"a\x00b\\n\"); }", "-e:1:18: error: a script cannot hold a NUL byte (is this a binary file?)\n" +
			"    BEGIN { printf(\"a\u2400b\\n\"); }\n" +
			"                     ^\n" +
			"hint: in a string, write a zero byte as \"\\0\" or \"\\x00\""},
		{"BEGIN { exit(); } // a\x00b", "-e:1:23: error: a script cannot hold a NUL byte"},
		{"\x00", "-e:1:1: error: a script cannot hold a NUL byte"},
		{"BEGIN {\n}\n\x7fELF\x02\x01\x01\x00\x00", "-e:3:8: error: a script cannot hold a NUL byte (is this a binary file?)\n    \u2421ELF\u2402\u2401\u2401\u2400\u2400\n           ^"},
	} {
		if got := compileErr("-e", tc.text); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%q: got\n%s\nwant\n%s", tc.text, got, tc.want)
		}
	}
	// The escapes the hint names are a zero byte.
	c := checkText(`BEGIN { $a = "a\0b"; $b = "a\x00b"; }`)
	if c.err != nil {
		t.Fatal(c.err)
	}
	// The literal holds the byte; as a C string, the value ends there.
	for _, lit := range []string{`"a\0b"`, `"a\x00b"`} {
		e := c.find(t, lit)
		if v := e.(*StrLit).Value; v != "a\x00b" {
			t.Errorf("%s holds %q", lit, v)
		}
		if k, ty := c.info.Consts[e], c.info.TypeOf(e); k.Str != "a" || ty.Size != 4 {
			t.Errorf("%s is %q of %s, want \"a\" of string[4]", lit, k.Str, ty)
		}
	}
}

// TestBadUTF8 puts bytes that are not UTF-8 in every part of a script:
// no panic, a positioned error where they are a mistake (the caret under
// them, shown as U+FFFD), and the bytes themselves in a string literal.
func TestBadUTF8(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"BEGIN { @a\xff = 1; }", "-e:1:11: error: unexpected character \"\\xff\"\n    BEGIN { @a\ufffd = 1; }\n              ^"},
		{"BEGIN { $x\xc3 = 1; }", "-e:1:11: error: unexpected character \"\\xc3\""},
		{"BEGIN\xe6\x97 { }", `-e:1:1: error: unknown probe type "BEGIN\xe6\x97"`},
		{"tracepoint:sys\xff:x { }", `tracepoint sys` + "\xff" + `:x not found`},
		{"BEGIN { printf(\"%d\xff\\n\", \"x\"); }", "-e:1:25: error: %d expects an integer"},
		{"BEGIN { printf(\"\xff\xfe\\n\"); exit(); } // \xc0\xc1", ""},
		{"BEGIN { @\xe6\x97\xa5 = 1; }", "-e:1:10: error: unexpected character \"日\""},
	} {
		got := compileErr("-e", tc.text)
		if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
			t.Errorf("%q: got\n%s\nwant\n%s", tc.text, got, tc.want)
		}
	}
	c := checkText("BEGIN { $s = \"\xff\xfe\"; }")
	if k := c.info.Consts[c.find(t, "\"\xff\xfe\"")]; c.err != nil || k.Str != "\xff\xfe" {
		t.Errorf("%v: %q", c.err, k.Str)
	}
}

// TestParsersUseGeneratedLexer: every parser lexes with the generated
// lexer, the REPL's statements too.
func TestParsersUseGeneratedLexer(t *testing.T) {
	for _, def := range []lexer.Definition{parser().Lexer(), keywordParser().Lexer()} {
		if g, ok := def.(*generatedDef); !ok || g != lexDef {
			t.Errorf("a script parser lexes with %T", def)
		}
	}
	l, err := stmtParser().Lexer().Lex("-e", strings.NewReader("@a = 1"))
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := l.(*shiftLexer); !ok {
		t.Errorf("the statement parser lexes with %T", l)
	} else if _, ok := s.l.(*elidingLexer); !ok {
		t.Errorf("the statement parser lexes with %T", s.l)
	}
}

// TestLexAllocs: lexing allocates nothing at each token (participle's
// stateful lexer allocated at every one: 33,000 times here).
func TestLexAllocs(t *testing.T) {
	text := "BEGIN { " + strings.Repeat("@a[$x, \"s\"] = 1; /* c */ if (1) { $x++; } // x\n", 1000) + "}"
	if n := testing.AllocsPerRun(3, func() { _ = drain(lexDef, text) }); n > 10 {
		t.Errorf("lexing 1,000 statements allocated %v times", n)
	}
}

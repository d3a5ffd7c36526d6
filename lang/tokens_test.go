package lang

import (
	"reflect"
	"strings"
	"testing"

	"github.com/alecthomas/participle/v2/lexer"
)

// TestPeekingLexerLayout: peekingLexer has the fields of participle's
// lexer.PeekingLexer, at the same offsets, so that peekingLexerOf sets
// its tokens. A participle that changes them fails here, not in a parse.
func TestPeekingLexerLayout(t *testing.T) {
	theirs, ours := reflect.TypeFor[lexer.PeekingLexer](), reflect.TypeFor[peekingLexer]()
	if theirs.Size() != ours.Size() || theirs.NumField() != ours.NumField() {
		t.Fatalf("lexer.PeekingLexer is %d bytes in %d fields, peekingLexer %d in %d", theirs.Size(), theirs.NumField(), ours.Size(), ours.NumField())
	}
	for i := 0; i < theirs.NumField(); i++ {
		a, b := theirs.Field(i), ours.Field(i)
		if a.Name != b.Name || a.Type != b.Type || a.Offset != b.Offset {
			t.Errorf("field %d: lexer.PeekingLexer has %s %s at %d, peekingLexer %s %s at %d", i, a.Name, a.Type, a.Offset, b.Name, b.Type, b.Offset)
		}
	}
}

// TestLexTokens: the PeekingLexer made of lexTokens' tokens gives what
// lexer.Upgrade gives for the same text, across chunks, and lexing errors
// are the same.
func TestLexTokens(t *testing.T) {
	var b strings.Builder
	for b.Len() < 3*tokenChunk*4 {
		b.WriteString("kprobe:f /pid == 1/ { @x[comm] = count(); /* c */ printf(\"%d\\n\", 1); }\n")
	}
	errs := 0
	for _, text := range []string{"", "BEGIN {}", b.String(), "BEGIN { \x01 }", "} x"} {
		toks, err := lexTokens(lexDef, "t.bt", text)
		lex, lerr := lexDef.LexString("t.bt", text)
		if lerr != nil {
			t.Fatal(lerr)
		}
		want, uerr := lexer.Upgrade(lex)
		if (err == nil) != (uerr == nil) || err != nil && err.Error() != uerr.Error() {
			t.Fatalf("%.20q: error %v, Upgrade's %v", text, err, uerr)
		}
		if err != nil {
			errs++
			continue
		}
		got := peekingLexerOf(toks)
		for i := 0; ; i++ {
			g, w := got.Next(), want.Next()
			if *g != *w {
				t.Fatalf("%.20q: token %d is %v, Upgrade's %v", text, i, g, w)
			}
			if g.EOF() {
				break
			}
		}
	}
	if errs != 1 {
		t.Errorf("%d texts did not lex, want 1", errs)
	}
}

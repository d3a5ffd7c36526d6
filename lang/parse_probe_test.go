package lang

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// probeGrammarDiffers parses text with probeParser and with parser, where
// needsFullGrammar lets probeParser take it, and says how they differ: a
// program probeParser accepts must be the one parser makes of it.
// (Where probeParser fails, Parse reports parser's error.)
func probeGrammarDiffers(text string) string {
	toks, err := lexTokens(lexDef, "t", text)
	if err != nil || needsFullGrammar(toks) {
		return ""
	}
	lean, lerr := probeParser().ParseFromLexer(peekingLexerOf(toks))
	full, ferr := parser().ParseFromLexer(peekingLexerOf(toks))
	switch {
	case lerr == nil && ferr != nil:
		return fmt.Sprintf("probeParser accepts what parser refuses (%v):\n%s", ferr, text)
	case lerr == nil && !reflect.DeepEqual(lean, full):
		return fmt.Sprintf("probeParser and parser parse differently:\n%s", text)
	}
	return ""
}

// TestProbeGrammar holds probeParser to parser on every script of the
// tests and examples, and on scripts that need parser's grammar or fail.
func TestProbeGrammar(t *testing.T) {
	files, _ := filepath.Glob("testdata/*/*.bt")
	examples, _ := filepath.Glob("../examples/*.bt")
	files = append(files, examples...)
	lean := 0
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if d := probeGrammarDiffers(string(text)); d != "" {
			t.Errorf("%s: %s", f, d)
		}
		if toks, err := lexTokens(lexDef, f, string(text)); err == nil && !needsFullGrammar(toks) {
			lean++
		}
	}
	if lean < len(files)/2 {
		t.Errorf("probeParser takes %d of %d scripts: want most", lean, len(files))
	}
	for _, tc := range []struct {
		text string
		full bool   // needsFullGrammar
		err  string // Parse's error, the same through either grammar
	}{
		{text: `BEGIN { exit(); }`},
		{text: "#define N 1\nk:f /pid == N/ { @[comm] = count(); }"},
		{text: `config = { max_map_keys = 4 } BEGIN { exit(); }`, full: true},
		{text: `BEGIN { $x = (struct task_struct *)curtask; }`, full: true},
		{text: `BEGIN { @a = (1 ; }`, err: `t:1:17: error: expected ")", found ";"`},
		{text: `BEGIN /1/ 2 { }`, err: `t:1:11: error: unexpected "2"`},
		{text: `BEGIN { exit(); } 123`, err: `t:1:22: error: unexpected end of input: missing '}'`},
		{text: `macro f(x) { x } BEGIN { f(1) }`, full: true},
	} {
		toks, err := lexTokens(lexDef, "t", tc.text)
		if err != nil {
			t.Fatal(err)
		}
		if got := needsFullGrammar(toks); got != tc.full {
			t.Errorf("needsFullGrammar(%q) = %v, want %v", tc.text, got, tc.full)
		}
		if d := probeGrammarDiffers(tc.text); d != "" {
			t.Error(d)
		}
		_, perr := Parse(NewSource("t", tc.text))
		if tc.err == "" {
			if perr != nil {
				t.Errorf("Parse(%q): %v", tc.text, perr)
			}
		} else if perr == nil || !strings.Contains(perr.Error(), tc.err) {
			t.Errorf("Parse(%q) = %v, want %q", tc.text, perr, tc.err)
		}
	}
}

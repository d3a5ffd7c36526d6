package lang

import (
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alecthomas/participle/v2/lexer"
)

// statefulDef is participle's own lexer for lexRules, which tries their
// regexps at run time: the generated lexer (lexDef) must lex as it does.
var statefulDef = lexer.MustStateful(lexRules)

// lexAll lexes text with def to its end or its first error. Every token
// but the EOF token takes at least a byte, so a lexer that returns more
// tokens than text has bytes is stuck, which is an error too.
func lexAll(def lexer.Definition, text string) ([]lexer.Token, error) {
	l, err := def.(lexer.StringDefinition).LexString("t.bt", text)
	if err != nil {
		return nil, err
	}
	var toks []lexer.Token
	for len(toks) <= len(text)+1 {
		t, err := l.Next()
		if err != nil {
			return toks, err
		}
		toks = append(toks, t)
		if t.EOF() {
			return toks, nil
		}
	}
	return toks, fmt.Errorf("no EOF after %d tokens", len(toks))
}

// compareLexers lexes text with both lexers and reports where their
// tokens (type, value, position) or their errors differ.
func compareLexers(t *testing.T, name, text string) {
	t.Helper()
	if d := lexDiff(lexDef, statefulDef, text); d != "" {
		t.Errorf("%s: generated %s", name, d)
	}
}

// lexDiff says where lexing text with got differs from lexing it with
// want, or "".
func lexDiff(got, want lexer.Definition, text string) string {
	wtoks, werr := lexAll(want, text)
	gtoks, gerr := lexAll(got, text)
	for i := 0; i < len(wtoks) || i < len(gtoks); i++ {
		if i >= len(wtoks) || i >= len(gtoks) || gtoks[i] != wtoks[i] {
			return fmt.Sprintf("token %d: %s, not %s", i, tokenAt(gtoks, i), tokenAt(wtoks, i))
		}
	}
	if werr == nil && gerr == nil {
		return ""
	}
	var w, g *lexer.Error
	if !errors.As(werr, &w) || !errors.As(gerr, &g) || *w != *g {
		return fmt.Sprintf("after %d tokens: error %#v, not %#v", len(gtoks), gerr, werr)
	}
	return ""
}

// drain lexes text with def, keeping nothing.
func drain(def lexer.Definition, text string) error {
	l, err := def.(lexer.StringDefinition).LexString("t.bt", text)
	if err != nil {
		return err
	}
	for {
		t, err := l.Next()
		if err != nil || t.EOF() {
			return err
		}
	}
}

func tokenAt(toks []lexer.Token, i int) string {
	if i >= len(toks) {
		return "nothing"
	}
	t := toks[i]
	return fmt.Sprintf("%d %.40q at %d:%d (offset %d)", t.Type, t.Value, t.Pos.Line, t.Pos.Column, t.Pos.Offset)
}

// conformanceScripts are the scripts of the repository: lang's and
// codegen's test scripts and the examples.
func conformanceScripts(t testing.TB) map[string]string {
	scripts := map[string]string{}
	for _, dir := range []string{"testdata", "../codegen/testdata", "../examples"} {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".bt") {
				return err
			}
			text, err := os.ReadFile(path)
			scripts[path] = string(text)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(scripts) < 150 {
		t.Fatalf("only %d scripts found", len(scripts))
	}
	return scripts
}

// lexEdgeCases are texts at the edges of the lexer's rules: things never
// closed, in every state, at the end of the text or not; what is not
// UTF-8; control characters; nesting; keywords and numbers at their
// boundaries.
var lexEdgeCases = []string{
	"", " ", "\n", "/", "{", "}", ";", ",", ":", "\"", "#", "@", "$",
	// Strings and comments never closed, in every state.
	`"abc`, `"abc\`, `"a\"`, "\"a\nb\"", `uprobe:"/bin/x`, `uprobe:/bin/x:"f`, `a"b`,
	`BEGIN { "abc`, `BEGIN { "abc\`, `BEGIN { "a\"`, "BEGIN { \"a\n\" }", `BEGIN { printf("%s\n", "x`,
	`k:f /"abc/ { }`, `k:f /("abc)/ { }`, `k:f /(("a\"/ {`, `let $x = "abc`, `struct S { "x`,
	"/*", "/* x", "/**", "/* *", "/*/", "/**/", "/* **/", "/* * / */ x", "/* a */ /* b", "/*\n*\n/",
	"BEGIN { /*", "BEGIN { /* x *", "BEGIN { /**/ }", "k:f /* p */ /1/ { }", "k:f / /* x */ 1 /*/ { }",
	"k:f /(1 /* ) */ + 2)/ {}", "let /* x", "let /* x */ $a = 1;",
	"//", "// x", "BEGIN { } // x", "BEGIN { // x", "k:f /1 // x\n/ { }", "#", "#include <x.h>", "#if X\n#endif",
	// Predicates, parentheses and braces.
	"k:f /1/ { }", "k:f /(a / (b / c)) / 2 > 1/ { }", "k:f /((((1))))/ { }", "k:f /(/ { }", "k:f /)/ { }",
	"k:f /{/ { }", "k:f /(})/ { }", "k:f /a/b/ { }", "k:f / / {", "k:f /", "k:f /(", "k:f /((",
	"BEGIN { { { } } }", "BEGIN { } }", "} BEGIN", "BEGIN { @x = (1 + (2 * 3)); }",
	// Attach points with quotes, colons, slashes and stray characters.
	`uprobe:"/bin/my prog":"func name" { }`, `usdt:/bin/x:"a:b" { }`, `u:/bin/x:"a\"b",u:/y:z { }`,
	`u:/bin/x:a"b"c { }`, `:x { }`, `::`, `a:b:c:d`, `a:"":"" {}`, "a,b,,c;;d", `tracepoint:syscalls:sys_enter_* { }`,
	"k:f\v{ }", "k:f\u00a0{ }", "k:f\u2028{ }", "i:s:1,i:ms:100 { }",
	// Declarations: code up to ';' or '{'.
	"let @a: int = 1;", "let", "let ", "letx { }", "let\xff", "let日", "let{", "let;", "config = { a = 1; }",
	"import \"lib.bt\";", "macro m(x) { x + 1 }", "macro m($x, @y) { $x }", "struct S { int a; }",
	"union U { int a; char b; };", "struct", "macro", "config}", "let } x",
	// Numbers, variables, maps and punctuation.
	"BEGIN { 0x; 0X1F; 0xg; 0x_; 1_000; 10ul; 0XffUL; 0; 00; 9z; 0x1fz; 0b101; 1e5; }",
	"BEGIN { $; $#; $1; $12x; $_a; @; @_x; @1; @a1; $$; @@; }",
	"BEGIN { a<<=1; a>>=2; a+=1; a-=1; a*=1; a/=1; a%=1; a&=1; a|=1; a^=1; a==b; a!=b; }",
	"BEGIN { a<=b; a>=b; a&&b; a||b; a<<b; a>>b; a++; a--; a->b; a..b; -; ?; ~; !; [; ]; . }",
	"BEGIN { <<<<=>>>>= === !== ->-> ... +++ --- }", "BEGIN { -", "BEGIN { <<", "BEGIN { a-",
	// Characters no rule expects, bytes that are not UTF-8, control characters.
	"BEGIN { ` ' \\ 日本 é }", "`", "\\", "'", "日", "é { }",
	"\xff", "\xff\xfe", "\xe6\x97", "\xe6\x97\xa5", "BEGIN { @a\xff = 1; }", "BEGIN { \"\xff\xfe\" }",
	"BEGIN { /* \xff */ }", "BEGIN { // \xc0", "k:f\xff { }", "u:/bin/\xe6\x97:f { }", "k:f /\xff/ { }",
	"BEGIN { \xe6\x97", "BEGIN { \"\xe6\x97", "/*\xe6\x97", "#\xe6\x97",
	"\x00", "BEGIN { \x00 }", "\"\x00\"", "BEGIN { \x01\x02\x1f\x7f }", "\x01", "\t\r\n\f\v",
	"BEGIN {\r\n\t@a = 1;\r\n}\r\n", "BEGIN { \v }", "\ufeffBEGIN { }", "BEGIN { \ufeff }", "\ufeff",
}

// lexGenerated are larger texts: deep nesting and very long lines.
func lexGenerated() map[string]string {
	const n = 20_000
	return map[string]string{
		"nested braces":      "BEGIN " + strings.Repeat("{ ", n) + strings.Repeat("} ", n),
		"unclosed braces":    "BEGIN " + strings.Repeat("{ ", n),
		"nested parentheses": "BEGIN { @x = " + strings.Repeat("(", n) + "1" + strings.Repeat(")", n) + "; }",
		"predicate parens":   "k:f /" + strings.Repeat("(1 / ", n) + "2" + strings.Repeat(")", n) + "/ { }",
		"unclosed parens":    "k:f /" + strings.Repeat("(", n),
		"long line":          "BEGIN { " + strings.Repeat("@a = 1; ", n) + "}",
		"long string":        "BEGIN { printf(\"" + strings.Repeat("x\\\"", n) + "\"); }",
		"long bad string":    "BEGIN { " + strings.Repeat(`"\`, n) + "\n}\n",
		"long comment":       "BEGIN { /*" + strings.Repeat("* / ", n) + "*/ }",
		"many comments":      "BEGIN { " + strings.Repeat("/* x ", n) + "\n}\n",
		"long attach point":  strings.Repeat("u:/bin/x:\"f\",", n) + " { }",
		"long line comment":  "BEGIN { } //" + strings.Repeat("日", n),
	}
}

// lexFragments are pieces of scripts that randomLexTexts puts together.
var lexFragments = []string{
	"BEGIN", "END", "k:f", "uprobe:/bin/x:f", "tracepoint:a:b", `u:"/a b":"c"`, "i:s:1", ",", " ", "\n", "\t",
	"{", "}", "(", ")", "/", "*", "/*", "*/", "//", "\"", `\`, `\"`, "#", ";", ":", "::", "@", "@a", "$",
	"$1", "$#", "$x", "0x", "0X1f", "12ul", "1_0", "a", "let", "config", "macro", "struct", "union", "import",
	"==", "<<=", ">>", "->", "..", "-", "=", "+", "!", "?", "[", "]", "'", "`", "日", "\xff", "\xe6\x97",
	"\x00", "\x01", "\r", "\v", "\ufeff", "printf(\"%d\\n\", 1)", "if (1) { exit(); } else { }",
}

// randomLexTexts are n texts of random fragments, the same at every run.
func randomLexTexts(n int) []string {
	r := rand.New(rand.NewSource(12))
	texts := make([]string, n)
	for i := range texts {
		var b strings.Builder
		for j := r.Intn(40); j >= 0; j-- {
			b.WriteString(lexFragments[r.Intn(len(lexFragments))])
		}
		texts[i] = b.String()
	}
	return texts
}

// TestLexersAgree lexes the repository's scripts, edge cases, large texts
// and random texts with the generated lexer and with participle's stateful
// lexer of the same rules: their tokens (types, values, positions) and
// their errors must be the same.
func TestLexersAgree(t *testing.T) {
	for name, text := range conformanceScripts(t) {
		compareLexers(t, name, text)
	}
	for _, text := range lexEdgeCases {
		compareLexers(t, fmt.Sprintf("%q", text), text)
		// The same text in every state the lexer has.
		for _, in := range []string{"BEGIN { %s }", "k:f /%s/ { }", "k:f /(%s)/ { }", "let %s;", "%s\n}"} {
			compareLexers(t, fmt.Sprintf("%q in %q", text, in), strings.Replace(in, "%s", text, 1))
		}
	}
	for name, text := range lexGenerated() {
		compareLexers(t, name, text)
	}
	for _, text := range randomLexTexts(5000) {
		compareLexers(t, fmt.Sprintf("%q", text), text)
	}
}

// TestLexersDiffer checks lexDiff: lexers that lex a thing otherwise, or
// fail otherwise, differ.
func TestLexersDiffer(t *testing.T) {
	other := func(state string, rule lexer.Rule) lexer.Definition {
		rules := lexer.Rules{}
		for s, rs := range lexRules {
			rules[s] = rs
		}
		rules[state] = append([]lexer.Rule{rule}, rules[state]...)
		return lexer.MustStateful(rules)
	}
	for _, tc := range []struct {
		def  lexer.Definition
		text string
	}{
		{other("Block", lexer.Rule{Name: "Tab", Pattern: `\t`}), "BEGIN {\t}"},
		{other("Block", lexer.Rule{Name: "Tab", Pattern: `\t`}), "BEGIN {\t\xff"},
		{other("Root", lexer.Rule{Name: "Close", Pattern: `\}`}), "}"},
		{other("Root", lexer.Rule{Name: "Semi", Pattern: `;`}), "a;"},
	} {
		if lexDiff(lexDef, tc.def, tc.text) == "" {
			t.Errorf("%q: no difference found", tc.text)
		}
		if d := lexDiff(lexDef, statefulDef, tc.text); d != "" {
			t.Errorf("%q: %s", tc.text, d)
		}
	}
}

// FuzzLexers lexes arbitrary text with the generated lexer and with
// participle's stateful lexer of the same rules: their tokens and errors
// must be the same.
func FuzzLexers(f *testing.F) {
	for _, text := range conformanceScripts(f) {
		f.Add(text)
	}
	for _, text := range lexEdgeCases {
		f.Add(text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		compareLexers(t, "input", text)
	})
}

// BenchmarkLex lexes a script of 20,000 statements on one line and the
// examples with the generated lexer and with participle's stateful one.
func BenchmarkLex(b *testing.B) {
	texts := []string{"BEGIN { " + strings.Repeat("@a = 1; ", 20_000) + "}"}
	examples, _ := filepath.Glob("../examples/*.bt")
	var all strings.Builder
	for _, e := range examples {
		text, err := os.ReadFile(e)
		if err != nil {
			b.Fatal(err)
		}
		all.Write(text)
	}
	texts = append(texts, all.String())
	for _, def := range []struct {
		name string
		def  lexer.Definition
	}{{"generated", lexDef}, {"stateful", statefulDef}} {
		for i, text := range texts {
			b.Run(fmt.Sprintf("%s/%s", def.name, []string{"oneline", "examples"}[i]), func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				b.ReportAllocs()
				for b.Loop() {
					if err := drain(def.def, text); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

package lang

import (
	"errors"
	"io"
	"strings"
	"unicode"

	"github.com/alecthomas/participle/v2/lexer"
)

// The lexer is stateful because bpftrace's attach points are lexed
// differently from code: outside braces a run such as
// `uprobe:/bin/bash:readline` is one token, inside braces it would be many.
// A `/` after the attach points opens a predicate, where the next bare `/`
// closes it and `/` inside parentheses divides.
const (
	quoted = `"(?:\\[^\n]|[^"\\\n])*"`
	// A string never closed runs to the end of its line, and a comment
	// never closed to the end of the text: lexed as one token each, which
	// the parser rejects, they are read once. Matching only their opening
	// would make the lexer read to the end of the line (the text) again at
	// every later quote (comment opening): a line of 100 KB took minutes.
	unclosedString  = `"(?:\\[^\n]|[^"\\\n])*`
	unclosedComment = `/\*[\s\S]*`
	// A comment: `//` to the end of the line, or `/*` to the first `*/`.
	comment = `//[^\n]*|/\*[^*]*\*+(?:[^*/][^*]*\*+)*/`
	// An attach point runs to whitespace, a brace or a comma; its first
	// segment also stops at '/' (a predicate) and ':' (the provider).
	attachPointRE = `(?:[^\s{},/:";]|` + quoted + `)+(?::(?:[^\s{},";]|` + quoted + `)*)?`
)

// lexRules are the lexer's rules, in participle's form, and the source of
// lexer_gen.go, which participle's generator makes of them: change them,
// then generate that file again (TestLexerGenerated fails until then, and
// says how). The generated code matches a regexp without backtracking: a
// repetition keeps all it took, and of alternatives the first that matches
// wins. The rules are written so that this matches what Go's regexp
// package does (TestLexersAgree and FuzzLexers check it): no match needs
// a repetition to give back what it took, or a later alternative after an
// earlier one matched (an escape inside a string is `\\` and one
// character, any other character is not a backslash); a comment's end is
// found without a lazy `(?s:.*?)`, which the generator refuses; and there
// is no `.` (any character but a newline), nor a class that Go reads as
// one or as any character, such as `[^\n]` alone: the generated code
// never matches them on the last character of the text and reads past its
// end for them. `\\[^\n]` and `[\s\S]*` stay classes.
var lexRules = lexer.Rules{
	"Root": {
		{Name: "whitespace", Pattern: `\s+`},
		{Name: "comment", Pattern: comment},
		{Name: "Unterminated", Pattern: unclosedComment},
		{Name: "Directive", Pattern: `#[^\n]*`},
		// A declaration lexes like code up to its ';' or its '{'.
		{Name: "Keyword", Pattern: `(?:config|enum|import|let|macro|struct|union)\b`, Action: lexer.Push("Decl")},
		{Name: "LBrace", Pattern: `\{`, Action: lexer.Push("Block")},
		{Name: "PredStart", Pattern: `/`, Action: lexer.Push("Pred")},
		{Name: "Comma", Pattern: `,`},
		{Name: "RootSemi", Pattern: `;`},
		{Name: "AttachPoint", Pattern: attachPointRE},
	},
	"Decl": {
		{Name: "whitespace", Pattern: `\s+`},
		{Name: "comment", Pattern: comment},
		{Name: "Unterminated", Pattern: unclosedComment},
		{Name: "DeclEnd", Pattern: `;`, Action: lexer.Pop()},
		lexer.Include("Code"),
		lexer.Return(), // a '{' ends the declaration's head
	},
	"Block": {
		{Name: "whitespace", Pattern: `\s+`},
		{Name: "comment", Pattern: comment},
		{Name: "Unterminated", Pattern: unclosedComment},
		{Name: "CodeLBrace", Pattern: `\{`, Action: lexer.Push("Block")},
		{Name: "RBrace", Pattern: `\}`, Action: lexer.Pop()},
		lexer.Include("Code"),
	},
	"Pred": {
		{Name: "whitespace", Pattern: `\s+`},
		{Name: "comment", Pattern: comment},
		{Name: "Unterminated", Pattern: unclosedComment},
		{Name: "PredEnd", Pattern: `/`, Action: lexer.Pop()},
		{Name: "LParen", Pattern: `\(`, Action: lexer.Push("Paren")},
		lexer.Include("Code"),
		{Name: "StrayBrace", Pattern: `[{}]`},
	},
	"Paren": {
		{Name: "whitespace", Pattern: `\s+`},
		{Name: "comment", Pattern: comment},
		{Name: "Unterminated", Pattern: unclosedComment},
		{Name: "LParen", Pattern: `\(`, Action: lexer.Push("Paren")},
		{Name: "RParen", Pattern: `\)`, Action: lexer.Pop()},
		lexer.Include("Code"),
		// Braces are no part of a predicate: the parser rejects them, after
		// any earlier mistake, such as a string never closed that ran to
		// the end of the line and took the predicate's closing '/'.
		{Name: "StrayBrace", Pattern: `[{}]`},
	},
	"Code": {
		// Digits and whatever letters follow them: the parser reads the
		// number and rejects a suffix it does not know.
		{Name: "Int", Pattern: `0[xX][0-9a-fA-F_]+[uUlL]*|[0-9][0-9_]*[A-Za-z0-9_]*`},
		{Name: "String", Pattern: quoted},
		{Name: "BadString", Pattern: unclosedString},
		{Name: "Var", Pattern: `\$(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|#)`},
		{Name: "Map", Pattern: `@(?:[A-Za-z_][A-Za-z0-9_]*)?`},
		{Name: "Ident", Pattern: `[A-Za-z_][A-Za-z0-9_]*`},
		{Name: "AssignOp", Pattern: `<<=|>>=|[-+*/%&|^]=`},
		{Name: "Punct", Pattern: `==|!=|<=|>=|&&|\|\||<<|>>|\+\+|--|->|\.\.|[-+*/%&|^!~<>=?:;,.\[\]()]`},
		// Anything else is a token the parser rejects, so that an earlier
		// mistake (a string never closed) is the one reported.
		{Name: "Stray", Pattern: `[^{}]`},
	},
}

// lexDef lexes scripts with lexRules, through the lexer participle's
// generator made of them (lexer_gen.go): participle's stateful lexer tries
// one regexp after another at every token, which took most of the time of
// parsing a large script and allocated at every token.
var lexDef = newGeneratedDef(hawkLexer)

// Token types the expression parser looks at.
var (
	tokInt       = lexDef.Symbols()["Int"]
	tokString    = lexDef.Symbols()["String"]
	tokBadString = lexDef.Symbols()["BadString"]
	tokStray     = lexDef.Symbols()["Stray"]
	tokStrayB    = lexDef.Symbols()["StrayBrace"]
	tokVar       = lexDef.Symbols()["Var"]
	tokMap       = lexDef.Symbols()["Map"]
	tokIdent     = lexDef.Symbols()["Ident"]
	tokPunct     = lexDef.Symbols()["Punct"]
	tokAssign    = lexDef.Symbols()["AssignOp"]
	tokLParen    = lexDef.Symbols()["LParen"]
	tokRParen    = lexDef.Symbols()["RParen"]
	tokUnterm    = lexDef.Symbols()["Unterminated"]
	tokLBrace    = lexDef.Symbols()["CodeLBrace"]
	tokRBrace    = lexDef.Symbols()["RBrace"]
)

// checkBytes finds what no part of a script may hold, before the text is
// lexed: a NUL byte, which would end the script's lines where the kernel
// reads them (the BTF line info of every statement) and is most likely a
// binary file given as a script. It returns the error, or nil.
func checkBytes(src *Source) *Diagnostic {
	if i := strings.IndexByte(src.Text, 0); i >= 0 {
		return &Diagnostic{Src: src, Start: i, End: i + 1,
			Msg:  "a script cannot hold a NUL byte (is this a binary file?)",
			Hint: `in a string, write a zero byte as "\0" or "\x00"`}
	}
	return nil
}

// generatedDef is a lexer generated from lexRules, made to lex as
// participle's stateful lexer (lexer.MustStateful(lexRules)) does, which
// the generated code does not quite: the tokens of rules named in lower
// case (whitespace, comments) are left out, and text no rule matches is a
// *lexer.Error with the stateful lexer's message.
type generatedDef struct {
	gen     lexer.StringDefinition
	symbols map[string]lexer.TokenType
	// elide[-t] is whether tokens of type t are left out (types are
	// negative, from EOF's -1 down).
	elide []bool
}

func newGeneratedDef(gen lexer.Definition) *generatedDef {
	d := &generatedDef{gen: gen.(lexer.StringDefinition), symbols: gen.Symbols()}
	for name, t := range d.symbols {
		if unicode.IsLower(rune(name[0])) {
			for int(-t) >= len(d.elide) {
				d.elide = append(d.elide, false)
			}
			d.elide[-t] = true
		}
	}
	return d
}

// Symbols returns the token types by rule name. The generated lexer makes
// a new map at each call, which participle makes at every parse.
func (d *generatedDef) Symbols() map[string]lexer.TokenType { return d.symbols }

// LexString lexes s, a file named filename.
func (d *generatedDef) LexString(filename, s string) (lexer.Lexer, error) {
	l, err := d.gen.LexString(filename, s)
	if err != nil {
		return nil, err
	}
	return &elidingLexer{l: l, elide: d.elide}, nil
}

// Lex lexes what r holds, a file named filename.
func (d *generatedDef) Lex(filename string, r io.Reader) (lexer.Lexer, error) {
	var b strings.Builder
	if _, err := io.Copy(&b, r); err != nil {
		return nil, err
	}
	return d.LexString(filename, b.String())
}

// elidingLexer passes on the tokens of l but the elided ones.
type elidingLexer struct {
	l     lexer.Lexer
	elide []bool
}

// Next returns the next token that is not elided, or the lexing error.
func (e *elidingLexer) Next() (lexer.Token, error) {
	for {
		t, err := e.l.Next()
		if err != nil {
			var perr interface {
				Message() string
				Position() lexer.Position
			}
			if errors.As(err, &perr) {
				// The stateful lexer's error, which a caller may look for.
				return t, &lexer.Error{Msg: "lexer: " + perr.Message(), Pos: perr.Position()}
			}
			return t, err
		}
		if i := int(-t.Type); i < 0 || i >= len(e.elide) || !e.elide[i] {
			return t, nil
		}
	}
}

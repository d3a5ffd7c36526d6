package lang

import (
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

// The lexer is stateful because bpftrace's attach points are lexed
// differently from code: outside braces a run such as
// `uprobe:/bin/bash:readline` is one token, inside braces it would be many.
// A `/` after the attach points opens a predicate, where the next bare `/`
// closes it and `/` inside parentheses divides.
const (
	quoted = `"(?:\\.|[^"\\\n])*"`
	// A string never closed runs to the end of its line, and a comment
	// never closed to the end of the text: lexed as one token each, which
	// the parser rejects, they are read once. Matching only their opening
	// would make the lexer read to the end of the line (the text) again at
	// every later quote (comment opening): a line of 100 KB took minutes.
	unclosedString  = `"(?:\\.|[^"\\\n])*`
	unclosedComment = `/\*(?s:.*)`
	// An attach point runs to whitespace, a brace or a comma; its first
	// segment also stops at '/' (a predicate) and ':' (the provider).
	attachPointRE = `(?:[^\s{},/:";]|` + quoted + `)+(?::(?:[^\s{},";]|` + quoted + `)*)?`
)

var lexRules = lexer.Rules{
	"Root": {
		{Name: "whitespace", Pattern: `\s+`},
		{Name: "comment", Pattern: `//[^\n]*|/\*(?s:.*?)\*/`},
		{Name: "Unterminated", Pattern: unclosedComment},
		{Name: "Directive", Pattern: `#[^\n]*`},
		// A declaration lexes like code up to its ';' or its '{'.
		{Name: "Keyword", Pattern: `(?:config|import|let|macro|struct|union)\b`, Action: lexer.Push("Decl")},
		{Name: "LBrace", Pattern: `\{`, Action: lexer.Push("Block")},
		{Name: "PredStart", Pattern: `/`, Action: lexer.Push("Pred")},
		{Name: "Comma", Pattern: `,`},
		{Name: "RootSemi", Pattern: `;`},
		{Name: "AttachPoint", Pattern: attachPointRE},
	},
	"Decl": {
		{Name: "whitespace", Pattern: `\s+`},
		{Name: "comment", Pattern: `//[^\n]*|/\*(?s:.*?)\*/`},
		{Name: "Unterminated", Pattern: unclosedComment},
		{Name: "DeclEnd", Pattern: `;`, Action: lexer.Pop()},
		lexer.Include("Code"),
		lexer.Return(), // a '{' ends the declaration's head
	},
	"Block": {
		{Name: "whitespace", Pattern: `\s+`},
		{Name: "comment", Pattern: `//[^\n]*|/\*(?s:.*?)\*/`},
		{Name: "Unterminated", Pattern: unclosedComment},
		{Name: "CodeLBrace", Pattern: `\{`, Action: lexer.Push("Block")},
		{Name: "RBrace", Pattern: `\}`, Action: lexer.Pop()},
		lexer.Include("Code"),
	},
	"Pred": {
		{Name: "whitespace", Pattern: `\s+`},
		{Name: "comment", Pattern: `//[^\n]*|/\*(?s:.*?)\*/`},
		{Name: "Unterminated", Pattern: unclosedComment},
		{Name: "PredEnd", Pattern: `/`, Action: lexer.Pop()},
		{Name: "LParen", Pattern: `\(`, Action: lexer.Push("Paren")},
		lexer.Include("Code"),
		{Name: "StrayBrace", Pattern: `[{}]`},
	},
	"Paren": {
		{Name: "whitespace", Pattern: `\s+`},
		{Name: "comment", Pattern: `//[^\n]*|/\*(?s:.*?)\*/`},
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

var lexDef = lexer.MustStateful(lexRules)

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

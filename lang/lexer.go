package lang

import "github.com/alecthomas/participle/v2/lexer"

// The lexer is stateful because bpftrace's attach points are lexed
// differently from code: outside braces a run such as
// `uprobe:/bin/bash:readline` is one token, inside braces it would be many.
// A `/` after the attach points opens a predicate, where the next bare `/`
// closes it and `/` inside parentheses divides.
const (
	quoted = `"(?:\\.|[^"\\\n])*"`
	// An attach point runs to whitespace, a brace or a comma; its first
	// segment also stops at '/' (a predicate) and ':' (the provider).
	attachPointRE = `(?:[^\s{},/:";]|` + quoted + `)+(?::(?:[^\s{},";]|` + quoted + `)*)?`
)

var lexRules = lexer.Rules{
	"Root": {
		{Name: "whitespace", Pattern: `\s+`},
		{Name: "comment", Pattern: `//[^\n]*|/\*(?s:.*?)\*/`},
		{Name: "Unterminated", Pattern: `/\*`},
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
		{Name: "Unterminated", Pattern: `/\*`},
		{Name: "DeclEnd", Pattern: `;`, Action: lexer.Pop()},
		lexer.Include("Code"),
		lexer.Return(), // a '{' ends the declaration's head
	},
	"Block": {
		{Name: "whitespace", Pattern: `\s+`},
		{Name: "comment", Pattern: `//[^\n]*|/\*(?s:.*?)\*/`},
		{Name: "Unterminated", Pattern: `/\*`},
		{Name: "CodeLBrace", Pattern: `\{`, Action: lexer.Push("Block")},
		{Name: "RBrace", Pattern: `\}`, Action: lexer.Pop()},
		lexer.Include("Code"),
	},
	"Pred": {
		{Name: "whitespace", Pattern: `\s+`},
		{Name: "comment", Pattern: `//[^\n]*|/\*(?s:.*?)\*/`},
		{Name: "Unterminated", Pattern: `/\*`},
		{Name: "PredEnd", Pattern: `/`, Action: lexer.Pop()},
		{Name: "LParen", Pattern: `\(`, Action: lexer.Push("Paren")},
		lexer.Include("Code"),
	},
	"Paren": {
		{Name: "whitespace", Pattern: `\s+`},
		{Name: "comment", Pattern: `//[^\n]*|/\*(?s:.*?)\*/`},
		{Name: "Unterminated", Pattern: `/\*`},
		{Name: "LParen", Pattern: `\(`, Action: lexer.Push("Paren")},
		{Name: "RParen", Pattern: `\)`, Action: lexer.Pop()},
		lexer.Include("Code"),
	},
	"Code": {
		// Digits and whatever letters follow them: the parser reads the
		// number and rejects a suffix it does not know.
		{Name: "Int", Pattern: `0[xX][0-9a-fA-F_]+[uUlL]*|[0-9][0-9_]*[A-Za-z0-9_]*`},
		{Name: "String", Pattern: quoted},
		{Name: "BadString", Pattern: `"`},
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

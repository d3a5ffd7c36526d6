package lang

import (
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The members of the structs and unions a script defines are C
// declarations, read by a small C declaration parser (cdecl_parse.go) into
// the nodes below; the checker lays them out as GCC and clang do on
// x86-64 (cdecl_layout.go).

// CBody is the braced member list of a struct or union.
type CBody struct {
	Span
	Members []*CMember
}

// CMember is one member declaration: a type, then the declarators that
// share it (`int a, *b, c[4];`). An anonymous struct or union member has
// no declarator.
type CMember struct {
	Span
	Spec  *CTypeSpec
	Decls []*CDeclarator
}

// CTypeSpec is the type a member declaration starts with: base type
// words (`unsigned long long`, a typedef name such as `u32`), or a tagged
// type, defined in place when it has a body.
type CTypeSpec struct {
	Span
	Words []string // "unsigned", "int"; or one typedef name
	Tag   string   // "struct", "union" or "enum"; "" for words
	Name  string   // the tag's name; "" for an anonymous one
	Body  *CBody   // the members of a struct or union defined here
	Attrs []CAttr  // attributes after the body
}

// String writes the type as C does ("unsigned int", "struct foo").
func (s *CTypeSpec) String() string {
	if s.Tag != "" {
		if s.Name == "" {
			return s.Tag + " (anonymous)"
		}
		return s.Tag + " " + s.Name
	}
	return strings.Join(s.Words, " ")
}

// CDeclarator names a member and what it is made of its type: pointers,
// array dimensions, a bitfield width. A function pointer
// (`void (*fn)(int)`) has its name inside Inner.
type CDeclarator struct {
	Span
	Ptrs  int
	Name  string
	Inner *CDeclarator // `( declarator )`
	Func  bool         // a parameter list follows
	Dims  []*CSize     // array dimensions, outermost first
	Width *CSize       // a bitfield's width
	Attrs []CAttr
}

// Ident returns the name the declarator declares, looking inside
// parentheses.
func (d *CDeclarator) Ident() string {
	if d.Inner != nil {
		return d.Inner.Ident()
	}
	return d.Name
}

// CSize is an array size or a bitfield width as written: a number or a
// #define name; "" for `[]`.
type CSize struct {
	Span
	Text string
}

// CAttr is one GCC attribute: `packed`, `aligned(8)`.
type CAttr struct {
	Span
	Name string // without the __ around it
	Arg  *CSize // nil when it has none
}

// CAttrs is an `__attribute__((...))` written after a struct's closing
// brace.
type CAttrs struct {
	Span
	List []CAttr
}

// Parse reads a struct's braced member list; participle calls it where
// the grammar holds a CBody. The tokens up to the matching '}' are read
// by the C declaration parser.
func (b *CBody) Parse(lex *lexer.PeekingLexer) error {
	open := lex.Peek()
	if open.Value != "{" {
		return participle.NextMatch
	}
	lex.Next()
	var toks []ctok
	depth := 0
	for {
		t := lex.Peek()
		if t.EOF() {
			return &participle.UnexpectedTokenError{Unexpected: *t, Expect: "RBrace"}
		}
		lex.Next()
		switch t.Value {
		case "{":
			depth++
		case "}":
			depth--
		}
		if depth < 0 {
			toks = append(toks, ctok{v: "}", pos: tokPos(t), kind: ctPunct})
			break
		}
		toks = append(toks, ctokOf(t))
	}
	p := &cparser{toks: toks}
	body, err := p.body(tokPos(open))
	if err != nil {
		return err
	}
	*b = *body
	return nil
}

// Parse reads `__attribute__((...))` after a struct's closing brace, where
// the lexer reads attach points: `__attribute__((aligned(8)))` is one
// token, `__attribute__ ((packed))` two. The tokens are joined until the
// parentheses balance, and the text read as C.
func (a *CAttrs) Parse(lex *lexer.PeekingLexer) error {
	first := lex.Peek()
	if first.Type != tokAttachPoint || !strings.HasPrefix(first.Value, "__attribute__") {
		return participle.NextMatch
	}
	text, depth, opened := "", 0, false
	last := first
	for {
		t := lex.Peek()
		inside := opened && depth > 0
		if t.EOF() || (t.Type != tokAttachPoint && !(inside && t.Type == tokComma)) || (opened && depth == 0) {
			break
		}
		lex.Next()
		last = t
		text += t.Value
		for _, r := range t.Value {
			switch r {
			case '(':
				depth, opened = depth+1, true
			case ')':
				depth--
			}
		}
	}
	pos := tokPos(first)
	if !opened || depth != 0 {
		return participle.Errorf(first.Pos, "expected __attribute__((...)) with balanced parentheses")
	}
	toks := lexCText(text, pos)
	p := &cparser{toks: toks}
	attrs, err := p.attribute()
	if err != nil {
		return err
	}
	if !p.at(ctEOF, "") {
		return p.errorf("unexpected %q after the attribute", p.peek().v)
	}
	a.Pos, a.EndPos, a.List = pos, tokEnd(last), attrs
	return nil
}

// tokAttachPoint is the token type of attach points, which is what the
// lexer makes of text between top-level items, and tokComma is a ',' there.
var (
	tokAttachPoint = lexDef.Symbols()["AttachPoint"]
	tokComma       = lexDef.Symbols()["Comma"]
)

package lang

import (
	"fmt"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// ctokKind classifies the tokens the C declaration parser reads.
type ctokKind int

const (
	ctEOF ctokKind = iota
	ctIdent
	ctInt
	ctPunct
	ctOther
)

// ctok is one token of a C declaration.
type ctok struct {
	v    string
	pos  Pos
	kind ctokKind
}

func (t ctok) end() Pos { return endOf(t.pos, t.v) }

// ctokOf converts a token of the script's lexer.
func ctokOf(t *lexer.Token) ctok {
	k := ctOther
	switch t.Type {
	case tokIdent:
		k = ctIdent
	case tokInt:
		k = ctInt
	case tokPunct, tokLBrace, tokRBrace, tokLParen, tokRParen:
		k = ctPunct
	}
	return ctok{v: t.Value, pos: tokPos(t), kind: k}
}

// lexCText splits text, which starts at pos and holds no space, into C
// tokens.
func lexCText(text string, pos Pos) []ctok {
	var toks []ctok
	for i := 0; i < len(text); {
		j, k := i+1, ctPunct
		switch c := text[i]; {
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			for j < len(text) && isIdentByte(text[j]) {
				j++
			}
			k = ctIdent
		case c >= '0' && c <= '9':
			for j < len(text) && isIdentByte(text[j]) {
				j++
			}
			k = ctInt
		}
		p := pos
		p.Offset += i
		p.Column += i
		toks = append(toks, ctok{v: text[i:j], pos: p, kind: k})
		i = j
	}
	return toks
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// cparser reads C member declarations from a slice of tokens.
type cparser struct {
	toks  []ctok
	i     int
	depth int
}

// cTypeWords are the words of C's base types; cQualifiers the words that
// change nothing hawk reads.
var (
	cTypeWords = map[string]bool{
		"void": true, "char": true, "short": true, "int": true, "long": true, "float": true,
		"double": true, "signed": true, "unsigned": true, "_Bool": true, "bool": true,
		"__signed__": true, "__int128": true,
	}
	cQualifiers = map[string]bool{
		"const": true, "volatile": true, "restrict": true, "__restrict": true, "__restrict__": true,
		"__const": true, "__const__": true, "__volatile__": true, "register": true,
	}
)

// maxCNesting is how deep struct definitions may nest in a member.
const maxCNesting = 64

func (p *cparser) peek() ctok {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	end := Pos{}
	if len(p.toks) > 0 {
		end = p.toks[len(p.toks)-1].end()
	}
	return ctok{pos: end}
}

func (p *cparser) next() ctok {
	t := p.peek()
	if p.i < len(p.toks) {
		p.i++
	}
	return t
}

// at reports whether the next token is of kind k and, when v is not "",
// is v.
func (p *cparser) at(k ctokKind, v string) bool {
	t := p.peek()
	return t.kind == k && (v == "" || t.v == v)
}

func (p *cparser) punct(v string) bool { return p.at(ctPunct, v) }

func (p *cparser) errorf(format string, args ...any) error {
	return participle.Errorf(lexer.Position(p.peek().pos), format, args...)
}

func (p *cparser) expect(v string) (ctok, error) {
	if !p.punct(v) {
		return ctok{}, p.errorf("expected %q in the struct's members, found %s", v, p.describe())
	}
	return p.next(), nil
}

// describe names the next token for an error.
func (p *cparser) describe() string {
	t := p.peek()
	if t.kind == ctEOF {
		return "the end"
	}
	return fmt.Sprintf("%q", t.v)
}

// body reads members up to a '}' that the tokens end with.
func (p *cparser) body(open Pos) (*CBody, error) {
	b := &CBody{Span: Span{Pos: open}}
	for {
		switch {
		case p.punct("}"):
			b.EndPos = p.next().end()
			return b, nil
		case p.punct(";"):
			p.next() // an empty declaration
		case p.at(ctEOF, ""):
			return nil, p.errorf("expected '}' to close the struct")
		default:
			m, err := p.member()
			if err != nil {
				return nil, err
			}
			b.Members = append(b.Members, m)
		}
	}
}

// member reads `spec declarator, ...;`; the ';' may be left out before
// the closing '}'.
func (p *cparser) member() (*CMember, error) {
	m := &CMember{Span: Span{Pos: p.peek().pos}}
	spec, err := p.spec()
	if err != nil {
		return nil, err
	}
	m.Spec = spec
	for !p.punct(";") && !p.punct("}") {
		if len(m.Decls) > 0 {
			if !p.punct(",") {
				return nil, p.errorf("expected ';' after member %s, found %s", m.Decls[len(m.Decls)-1].Ident(), p.describe())
			}
			p.next()
		}
		d, err := p.declarator(true)
		if err != nil {
			return nil, err
		}
		m.Decls = append(m.Decls, d)
	}
	m.EndPos = p.toks[p.i-1].end()
	if p.punct(";") {
		p.next()
	}
	return m, nil
}

// spec reads the type a member declaration starts with.
func (p *cparser) spec() (*CTypeSpec, error) {
	s := &CTypeSpec{Span: Span{Pos: p.peek().pos}}
	for {
		t := p.peek()
		switch {
		case t.kind == ctIdent && cQualifiers[t.v]:
			p.next()
		case t.kind == ctIdent && isAttribute(t.v):
			attrs, err := p.attribute()
			if err != nil {
				return nil, err
			}
			s.Attrs = append(s.Attrs, attrs...)
		case t.kind == ctIdent && (t.v == "struct" || t.v == "union" || t.v == "enum") && s.Tag == "" && len(s.Words) == 0:
			if err := p.tagged(s); err != nil {
				return nil, err
			}
		case t.kind == ctIdent && cTypeWords[t.v] && s.Tag == "":
			s.Words = append(s.Words, p.next().v)
		case t.kind == ctIdent && len(s.Words) == 0 && s.Tag == "":
			s.Words = append(s.Words, p.next().v) // a typedef name
		default:
			if len(s.Words) == 0 && s.Tag == "" {
				return nil, p.errorf("expected a member's type, found %s", p.describe())
			}
			s.EndPos = p.toks[p.i-1].end()
			return s, nil
		}
	}
}

// tagged reads `struct NAME`, `struct NAME { ... }` or `struct { ... }`.
func (p *cparser) tagged(s *CTypeSpec) error {
	s.Tag = p.next().v
	for p.at(ctIdent, "") && isAttribute(p.peek().v) {
		if _, err := p.attribute(); err != nil {
			return err
		}
	}
	if p.at(ctIdent, "") {
		s.Name = p.next().v
	}
	if !p.punct("{") {
		if s.Name == "" {
			return p.errorf("expected a name or '{' after %s, found %s", s.Tag, p.describe())
		}
		return nil
	}
	open := p.next()
	if s.Tag == "enum" {
		// An enum's constants mean nothing to the layout: its values are
		// ints.
		for !p.punct("}") {
			if p.at(ctEOF, "") {
				return p.errorf("expected '}' to close the enum")
			}
			p.next()
		}
		p.next()
		return nil
	}
	if p.depth++; p.depth > maxCNesting {
		return participle.Errorf(lexer.Position(open.pos), "struct definitions nest more than %d deep", maxCNesting)
	}
	body, err := p.body(open.pos)
	p.depth--
	if err != nil {
		return err
	}
	s.Body = body
	for p.at(ctIdent, "") && isAttribute(p.peek().v) {
		attrs, err := p.attribute()
		if err != nil {
			return err
		}
		s.Attrs = append(s.Attrs, attrs...)
	}
	return nil
}

// declarator reads `* const name [N][M] : W` or `(*name)(params)`; a
// member's may have no name (a bitfield's padding `int :3`).
func (p *cparser) declarator(member bool) (*CDeclarator, error) {
	d := &CDeclarator{Span: Span{Pos: p.peek().pos}}
	for {
		switch t := p.peek(); {
		case t.kind == ctPunct && t.v == "*":
			p.next()
			d.Ptrs++
		case t.kind == ctIdent && cQualifiers[t.v]:
			p.next()
		default:
			goto name
		}
	}
name:
	switch t := p.peek(); {
	case t.kind == ctIdent && !cTypeWords[t.v] && !isAttribute(t.v):
		d.Name = p.next().v
	case t.kind == ctPunct && t.v == "(":
		p.next()
		if p.depth++; p.depth > maxCNesting {
			return nil, p.errorf("a declarator nests more than %d deep", maxCNesting)
		}
		inner, err := p.declarator(false)
		p.depth--
		if err != nil {
			return nil, err
		}
		d.Inner = inner
		if _, err := p.expect(")"); err != nil {
			return nil, err
		}
	case member && t.kind == ctPunct && t.v == ":":
	default:
		return nil, p.errorf("expected a member's name, found %s", p.describe())
	}
	for {
		switch {
		case p.punct("["):
			open := p.next()
			size := &CSize{Span: Span{Pos: open.pos}}
			if p.at(ctInt, "") || p.at(ctIdent, "") {
				n := p.next()
				size.Text, size.Pos, size.EndPos = n.v, n.pos, n.end()
			}
			c, err := p.expect("]")
			if err != nil {
				return nil, err
			}
			if size.Text == "" {
				size.EndPos = c.end()
			}
			d.Dims = append(d.Dims, size)
		case p.punct("("):
			// A parameter list: what a function takes does not matter.
			p.next()
			for n := 1; n > 0; {
				switch t := p.next(); {
				case t.kind == ctEOF:
					return nil, p.errorf("expected ')' to close the parameter list")
				case t.v == "(":
					n++
				case t.v == ")":
					n--
				}
			}
			d.Func = true
		default:
			goto rest
		}
	}
rest:
	if member && p.punct(":") {
		p.next()
		if !p.at(ctInt, "") && !p.at(ctIdent, "") {
			return nil, p.errorf("expected a bitfield's width, found %s", p.describe())
		}
		w := p.next()
		d.Width = &CSize{Span: Span{Pos: w.pos, EndPos: w.end()}, Text: w.v}
	}
	for p.at(ctIdent, "") && isAttribute(p.peek().v) {
		attrs, err := p.attribute()
		if err != nil {
			return nil, err
		}
		d.Attrs = append(d.Attrs, attrs...)
	}
	if p.i > 0 {
		d.EndPos = p.toks[p.i-1].end()
	}
	return d, nil
}

func isAttribute(word string) bool { return word == "__attribute__" || word == "__attribute" }

// attribute reads `__attribute__((name, name(arg), ...))`.
func (p *cparser) attribute() ([]CAttr, error) {
	p.next()
	for range 2 {
		if _, err := p.expect("("); err != nil {
			return nil, err
		}
	}
	var list []CAttr
	for !p.punct(")") {
		if len(list) > 0 {
			if _, err := p.expect(","); err != nil {
				return nil, err
			}
		}
		if !p.at(ctIdent, "") {
			return nil, p.errorf("expected an attribute's name, found %s", p.describe())
		}
		t := p.next()
		a := CAttr{Span: Span{Pos: t.pos, EndPos: t.end()}, Name: strings.TrimSuffix(strings.TrimPrefix(t.v, "__"), "__")}
		if p.punct("(") {
			p.next()
			if !p.at(ctInt, "") && !p.at(ctIdent, "") {
				return nil, p.errorf("expected the argument of %s, found %s", a.Name, p.describe())
			}
			arg := p.next()
			a.Arg = &CSize{Span: Span{Pos: arg.pos, EndPos: arg.end()}, Text: arg.v}
			c, err := p.expect(")")
			if err != nil {
				return nil, err
			}
			a.EndPos = c.end()
		}
		list = append(list, a)
	}
	for range 2 {
		if _, err := p.expect(")"); err != nil {
			return nil, err
		}
	}
	return list, nil
}

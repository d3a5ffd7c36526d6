package lang

import (
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// builtinTypeNames are names that always mean a type in a cast.
var builtinTypeNames = map[string]bool{
	"int8": true, "int16": true, "int32": true, "int64": true,
	"uint8": true, "uint16": true, "uint32": true, "uint64": true,
	"bool": true, "string": true, "buffer": true, "void": true,
	"u8": true, "u16": true, "u32": true, "u64": true, "s8": true, "s16": true, "s32": true, "s64": true,
	"__u8": true, "__u16": true, "__u32": true, "__u64": true, "__s8": true, "__s16": true, "__s32": true, "__s64": true,
	"int8_t": true, "int16_t": true, "int32_t": true, "int64_t": true,
	"uint8_t": true, "uint16_t": true, "uint32_t": true, "uint64_t": true,
	"size_t": true, "ssize_t": true, "pid_t": true, "uid_t": true, "gid_t": true,
}

// cWords are the words of multi-word C integer types: `unsigned long long`.
var cWords = map[string]bool{"unsigned": true, "signed": true, "long": true, "short": true, "int": true, "char": true}

var aggregateWords = map[string]bool{"struct": true, "union": true, "enum": true}

// startsType reports whether t begins a type for sure.
func startsType(t *lexer.Token) bool {
	return t.Type == tokIdent && (builtinTypeNames[t.Value] || cWords[t.Value] || aggregateWords[t.Value] || t.Value == "typeof")
}

// Parse parses a type; participle calls it where the grammar holds one.
func (te *TypeExpr) Parse(lex *lexer.PeekingLexer) error {
	if lex.Peek().Type != tokIdent {
		return participle.NextMatch
	}
	p := exprParser{lex: lex}
	t, err := p.typeExpr()
	if err != nil {
		return err
	}
	*te = *t
	return nil
}

// typeExpr parses a base type name and its `*` and `[N]` suffixes.
func (p *exprParser) typeExpr() (*TypeExpr, error) {
	t := p.lex.Peek()
	if t.Type != tokIdent {
		return nil, p.errorf(t, "expected a type, found %q", t.Value)
	}
	te := &TypeExpr{Span: Span{tokPos(t), tokEnd(t)}}
	switch {
	case t.Value == "typeof":
		p.lex.Next()
		if err := p.typeofOperand(te); err != nil {
			return nil, err
		}
	case aggregateWords[t.Value]:
		p.lex.Next()
		name := p.lex.Peek()
		if name.Type != tokIdent {
			return nil, p.errorf(name, "expected a name after %q", t.Value)
		}
		p.lex.Next()
		te.Name, te.EndPos = t.Value+" "+name.Value, tokEnd(name)
	case cWords[t.Value]:
		var words []string
		for w := p.lex.Peek(); w.Type == tokIdent && cWords[w.Value]; w = p.lex.Peek() {
			words = append(words, w.Value)
			te.EndPos = tokEnd(p.lex.Next())
		}
		te.Name = strings.Join(words, " ")
	default:
		p.lex.Next()
		te.Name = t.Value
	}
	// Each suffix makes the type one level deeper (MaxNesting).
	levels := 0
	defer func() { p.leave(levels) }()
	for {
		t := p.lex.Peek()
		if isPunct(t, "*") || isPunct(t, "[") {
			if err := p.enter(t); err != nil {
				return nil, err
			}
			levels++
		}
		switch {
		case isPunct(t, "*"):
			te.Suffixes = append(te.Suffixes, "*")
			te.EndPos = tokEnd(p.lex.Next())
		case isPunct(t, "["):
			p.lex.Next()
			n := ""
			if num := p.lex.Peek(); num.Type == tokInt {
				n = num.Value
				p.lex.Next()
			}
			end, err := p.expect("]")
			if err != nil {
				return nil, err
			}
			te.Suffixes = append(te.Suffixes, "["+n+"]")
			te.EndPos = tokEnd(end)
		default:
			return te, nil
		}
	}
}

// typeofOperand parses `(type)` or `(expr)` after typeof into te's Of or
// OfX, and moves te's end past the ')'.
func (p *exprParser) typeofOperand(te *TypeExpr) error {
	open, err := p.expect("(")
	if err != nil {
		return err
	}
	if err := p.enter(open); err != nil {
		return err
	}
	defer p.leave(1)
	if te.Of, te.OfX, err = p.typeOrExpr(); err != nil {
		return err
	}
	end, err := p.expect(")")
	if err != nil {
		return err
	}
	te.EndPos = tokEnd(end)
	return nil
}

// typeOrExpr parses the operand of sizeof, offsetof and typeof: a type
// when it starts with struct, union, enum or typeof, or is a name that is
// not called and is a type name or no builtin (macro parameters stand for
// types there); else an expression. A call is an expression even of a
// type's name: sizeof(uint64_t()) calls the macro uint64_t.
func (p *exprParser) typeOrExpr() (*TypeExpr, Expr, error) {
	t := p.lex.Peek()
	isType := t.Type == tokIdent && (aggregateWords[t.Value] || t.Value == "typeof" ||
		!p.callFollows() && (startsType(t) || lookupBuiltin(t.Value) == BuiltinInvalid))
	if isType {
		te, err := p.typeExpr()
		return te, nil, err
	}
	x, err := p.expr()
	return nil, x, err
}

// typeofExpr parses `typeof(type|expr)` where a value goes.
func (p *exprParser) typeofExpr(name *lexer.Token) (Expr, error) {
	te := &TypeExpr{Span: Span{tokPos(name), tokEnd(name)}}
	if err := p.typeofOperand(te); err != nil {
		return nil, err
	}
	return &TypeofExpr{Span: te.Span, Type: te}, nil
}

// String spells the type as written.
func (te *TypeExpr) String() string {
	base := te.Name
	switch {
	case te.Of != nil:
		base = "typeof(" + te.Of.String() + ")"
	case te.OfX != nil:
		base = "typeof(expr)"
	}
	return base + strings.Join(te.Suffixes, "")
}

// pointerLast reports whether the outermost step of the written type is a
// pointer suffix, '*', through typeof(type) bases too.
func (te *TypeExpr) pointerLast() bool {
	for ; te != nil; te = te.Of {
		if n := len(te.Suffixes); n > 0 {
			return te.Suffixes[n-1] == "*"
		}
	}
	return false
}

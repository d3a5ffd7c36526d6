package lang

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// parseExpr parses an expression by precedence climbing over C's operator
// table; participle calls it wherever the grammar holds an Expr.
func parseExpr(lex *lexer.PeekingLexer) (Expr, error) {
	if !startsExpr(lex.Peek()) {
		return nil, participle.NextMatch
	}
	p := exprParser{lex: lex}
	return p.ternary()
}

// Parse parses an expression statement or assignment; Block.Parse calls it.
func (s *ExprStmt) Parse(lex *lexer.PeekingLexer) error {
	if !startsExpr(lex.Peek()) {
		return participle.NextMatch
	}
	p := exprParser{lex: lex}
	x, err := p.ternary()
	if err != nil {
		return err
	}
	s.X, s.Span = x, Span{x.Start(), x.End()}
	if t := lex.Peek(); t.Type == tokAssign || isPunct(t, "=") {
		lex.Next()
		s.Op = t.Value
		if s.Value, err = p.expr(); err != nil {
			return err
		}
		s.EndPos = s.Value.End()
	}
	if t := lex.Peek(); isPunct(t, ";") {
		lex.Next()
		s.Semi = true
	}
	return nil
}

type exprParser struct {
	lex *lexer.PeekingLexer
}

// enter counts a level of nesting opened by t (MaxNesting).
func (p *exprParser) enter(t *lexer.Token) error { return enterNesting(p.lex, t) }

// leave undoes n levels counted by enter.
func (p *exprParser) leave(n int) { leaveNesting(p.lex, n) }

func startsExpr(t *lexer.Token) bool {
	switch t.Type {
	case tokInt, tokString, tokBadString, tokVar, tokMap, tokIdent, tokLParen:
		return true
	case tokLBrace:
		return true
	case tokPunct:
		switch t.Value {
		case "(", "-", "!", "~", "++", "--", "*", "&":
			return true
		}
	}
	return false
}

func tokPos(t *lexer.Token) Pos { return Pos(t.Pos) }
func tokEnd(t *lexer.Token) Pos { return endOf(Pos(t.Pos), t.Value) }

// isPunct reports whether t is the punctuation s. Parentheses have token
// types of their own inside predicates, so they compare by value.
func isPunct(t *lexer.Token, s string) bool {
	if t.Type == tokLParen || t.Type == tokRParen {
		return t.Value == s
	}
	return t.Type == tokPunct && t.Value == s
}

func (p *exprParser) errorf(t *lexer.Token, format string, args ...any) error {
	return participle.Errorf(t.Pos, format, args...)
}

func (p *exprParser) expect(s string) (*lexer.Token, error) {
	t := p.lex.Peek()
	if !isPunct(t, s) {
		if t.EOF() {
			return nil, p.errorf(t, "unexpected end of input: expected %q", s)
		}
		return nil, p.errorf(t, "expected %q, found %q", s, t.Value)
	}
	return p.lex.Next(), nil
}

func (p *exprParser) ternary() (Expr, error) {
	cond, err := p.binary(1)
	if err != nil || !isPunct(p.lex.Peek(), "?") {
		return cond, err
	}
	if err := p.enter(p.lex.Next()); err != nil {
		return nil, err
	}
	defer p.leave(1)
	var then Expr // nil in `x ?: y`, whose value is x's when x is true
	if !isPunct(p.lex.Peek(), ":") {
		if then, err = p.ternary(); err != nil {
			return nil, err
		}
	}
	if _, err := p.expect(":"); err != nil {
		return nil, err
	}
	els, err := p.ternary()
	if err != nil {
		return nil, err
	}
	return &CondExpr{Span: Span{cond.Start(), els.End()}, Cond: cond, Then: then, Else: els}, nil
}

// binary parses operands joined by operators of precedence minPrec or
// higher. Each operator is a level of nesting: the tree of a + b + c is
// as deep as the chain is long.
func (p *exprParser) binary(minPrec int) (Expr, error) {
	x, err := p.unary()
	if err != nil {
		return nil, err
	}
	levels := 0
	defer func() { p.leave(levels) }()
	for {
		t := p.lex.Peek()
		if t.Type != tokPunct {
			return x, nil
		}
		info, ok := binaryOps[t.Value]
		if !ok || info.prec < minPrec {
			return x, nil
		}
		if err := p.enter(p.lex.Next()); err != nil {
			return nil, err
		}
		levels++
		y, err := p.binary(info.prec + 1)
		if err != nil {
			return nil, err
		}
		x = &BinaryExpr{Span: Span{x.Start(), y.End()}, Op: info.op, OpPos: tokPos(t), X: x, Y: y}
	}
}

var prefixOps = map[string]Op{"-": OpNeg, "!": OpNot, "~": OpCompl, "++": OpPreInc, "--": OpPreDec, "*": OpDeref, "&": OpAddr}

func (p *exprParser) unary() (Expr, error) {
	t := p.lex.Peek()
	if op, ok := prefixOps[t.Value]; ok && t.Type == tokPunct {
		if err := p.enter(p.lex.Next()); err != nil {
			return nil, err
		}
		defer p.leave(1)
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &UnaryExpr{Span: Span{tokPos(t), x.End()}, Op: op, X: x}, nil
	}
	return p.postfix()
}

// postfix parses an operand and the field accesses, indexes and ++/--
// after it, each a level of nesting.
func (p *exprParser) postfix() (Expr, error) {
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	levels := 0
	defer func() { p.leave(levels) }()
	for {
		t := p.lex.Peek()
		if isPunct(t, ".") || isPunct(t, "->") || isPunct(t, "++") || isPunct(t, "--") || isPunct(t, "[") {
			if err := p.enter(t); err != nil {
				return nil, err
			}
			levels++
		}
		switch {
		case isPunct(t, ".") || isPunct(t, "->"):
			p.lex.Next()
			name := p.lex.Peek()
			if name.Type != tokIdent && name.Type != tokInt {
				return nil, p.errorf(name, "expected a field name after %q", t.Value)
			}
			p.lex.Next()
			x = &FieldExpr{Span: Span{x.Start(), tokEnd(name)}, X: x, Field: name.Value, FieldPos: tokPos(name), Arrow: t.Value == "->"}
		case isPunct(t, "++") || isPunct(t, "--"):
			p.lex.Next()
			op := OpPostInc
			if t.Value == "--" {
				op = OpPostDec
			}
			x = &UnaryExpr{Span: Span{x.Start(), tokEnd(t)}, Op: op, X: x}
		case isPunct(t, "["):
			p.lex.Next()
			keys, end, err := p.list("]")
			if err != nil {
				return nil, err
			}
			if len(keys) == 0 {
				return nil, p.errorf(end, "an index is missing between [ and ]")
			}
			if m, ok := x.(*MapExpr); ok && m.Keys == nil {
				// @m[(a, b)] is @m[a, b].
				if tup, ok := keys[0].(*TupleExpr); ok && len(keys) == 1 {
					keys = tup.Elems
				}
				m.Keys, m.EndPos = keys, tokEnd(end)
				continue
			}
			if len(keys) != 1 {
				return nil, p.errorf(t, "only maps take several keys; an index is one expression")
			}
			x = &IndexExpr{Span: Span{x.Start(), tokEnd(end)}, X: x, Index: keys[0]}
		default:
			return x, nil
		}
	}
}

// list parses comma-separated expressions up to the closing token.
func (p *exprParser) list(closing string) ([]Expr, *lexer.Token, error) {
	var xs []Expr
	for !isPunct(p.lex.Peek(), closing) {
		if len(xs) > 0 {
			if _, err := p.expect(","); err != nil {
				return nil, nil, err
			}
		}
		x, err := p.expr()
		if err != nil {
			return nil, nil, err
		}
		xs = append(xs, x)
	}
	return xs, p.lex.Next(), nil
}

func (p *exprParser) expr() (Expr, error) {
	t := p.lex.Peek()
	if !startsExpr(t) {
		if t.EOF() {
			return nil, p.errorf(t, "unexpected end of input: expected an expression")
		}
		return nil, p.errorf(t, "expected an expression, found %q", t.Value)
	}
	return p.ternary()
}

func (p *exprParser) primary() (Expr, error) {
	t := p.lex.Peek()
	span := Span{tokPos(t), tokEnd(t)}
	switch {
	case t.Type == tokInt:
		p.lex.Next()
		v, err := parseInt(t.Value)
		if err != nil {
			return nil, p.errorf(t, "%v", err)
		}
		return &IntLit{Span: span, Value: v, Text: t.Value}, nil
	case t.Type == tokString:
		p.lex.Next()
		s, err := unquote(t.Value)
		if err != nil {
			return nil, p.errorf(t, "%v", err)
		}
		return &StrLit{Span: span, Value: s}, nil
	case t.Type == tokBadString:
		return nil, p.errorf(t, "the string is never closed")
	case t.Type == tokVar:
		p.lex.Next()
		name := t.Value[1:]
		if name == "#" {
			return &Param{Span: span, N: 0}, nil
		}
		if n, ok := atoi(name); ok {
			if n == 0 {
				return nil, p.errorf(t, "positional parameters start at $1")
			}
			return &Param{Span: span, N: n}, nil
		}
		return &Var{Span: span, Name: t.Value}, nil
	case t.Type == tokMap:
		p.lex.Next()
		return &MapExpr{Span: span, Name: t.Value}, nil
	case t.Type == tokIdent && t.Value == "if":
		return p.ifExpr(p.lex.Next())
	case t.Type == tokIdent:
		return p.ident(span)
	case isPunct(t, "("):
		return p.parenthesized()
	case t.Type == tokLBrace:
		return p.blockExpr()
	case t.EOF():
		return nil, p.errorf(t, "unexpected end of input: expected an expression")
	}
	return nil, p.errorf(t, "expected an expression, found %q", t.Value)
}

// ident parses what starts with a name: the name, or a call of a function
// or macro. Kept apart from primary, whose stack frame every level of
// nested parentheses holds.
func (p *exprParser) ident(span Span) (Expr, error) {
	t := p.lex.Next()
	bang := false
	if next := p.lex.Peek(); isPunct(next, "!") {
		// name!(...) calls a macro.
		cp := p.lex.MakeCheckpoint()
		p.lex.Next()
		if !isPunct(p.lex.Peek(), "(") {
			p.lex.LoadCheckpoint(cp)
		} else {
			bang = true
		}
	}
	if !isPunct(p.lex.Peek(), "(") {
		return &Ident{Span: span, Name: t.Value}, nil
	}
	if err := p.enter(p.lex.Peek()); err != nil {
		return nil, err
	}
	defer p.leave(1)
	switch t.Value {
	case "sizeof", "offsetof":
		return p.typeFunc(t)
	case "typeof":
		return p.typeofExpr(t)
	}
	p.lex.Next()
	args, end, err := p.list(")")
	if err != nil {
		return nil, err
	}
	return &Call{Span: Span{span.Pos, tokEnd(end)}, Name: t.Value, NameEnd: span.EndPos, Args: args, Bang: bang}, nil
}

// parenthesized parses what starts with '(': a cast, a tuple, a record, or
// an expression in parentheses.
func (p *exprParser) parenthesized() (Expr, error) {
	open := p.lex.Next()
	if err := p.enter(open); err != nil {
		return nil, err
	}
	defer p.leave(1)
	start := tokPos(open)
	if t := p.lex.Peek(); isPunct(t, ")") {
		p.lex.Next()
		return &TupleExpr{Span: Span{start, tokEnd(t)}}, nil
	}
	if cast, err := p.tryCast(start); cast != nil || err != nil {
		return cast, err
	}
	// (name = value, ...) is a record.
	if t := p.lex.Peek(); t.Type == tokIdent {
		cp := p.lex.MakeCheckpoint()
		p.lex.Next()
		isRecord := isPunct(p.lex.Peek(), "=")
		p.lex.LoadCheckpoint(cp)
		if isRecord {
			return p.record(start)
		}
	}
	x, err := p.expr()
	if err != nil {
		return nil, err
	}
	if !isPunct(p.lex.Peek(), ",") {
		if _, err := p.expect(")"); err != nil {
			return nil, err
		}
		return x, nil
	}
	// A tuple: (a, b), or (a,) for one element.
	elems := []Expr{x}
	for isPunct(p.lex.Peek(), ",") {
		p.lex.Next()
		if isPunct(p.lex.Peek(), ")") {
			break
		}
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		elems = append(elems, e)
	}
	end, err := p.expect(")")
	if err != nil {
		return nil, err
	}
	return &TupleExpr{Span: Span{start, tokEnd(end)}, Elems: elems}, nil
}

// tryCast parses `(type) expr` when what follows '(' reads as a cast: a
// type that can only be a type, or a name with '*' or '[...]' or followed
// by something that starts an operand. Otherwise it consumes nothing.
func (p *exprParser) tryCast(start Pos) (Expr, error) {
	t := p.lex.Peek()
	if t.Type != tokIdent || lookupBuiltin(t.Value) != BuiltinInvalid || lookupFunc(t.Value) != FuncInvalid {
		return nil, nil
	}
	cp := p.lex.MakeCheckpoint()
	te, err := p.typeExpr()
	if err != nil || !isPunct(p.lex.Peek(), ")") {
		p.lex.LoadCheckpoint(cp)
		return nil, nil
	}
	p.lex.Next()
	next := p.lex.Peek()
	sure := startsType(t) || len(te.Suffixes) > 0
	operand := next.Type == tokInt || next.Type == tokString || next.Type == tokVar || next.Type == tokMap ||
		next.Type == tokIdent || isPunct(next, "(") || isPunct(next, "*") || isPunct(next, "&")
	if !(sure && startsExpr(next)) && !operand {
		p.lex.LoadCheckpoint(cp)
		return nil, nil
	}
	x, err := p.unary()
	if err != nil {
		return nil, err
	}
	return &CastExpr{Span: Span{start, x.End()}, Type: te, X: x}, nil
}

// record parses `name = value, ...)` after the '('.
func (p *exprParser) record(start Pos) (Expr, error) {
	r := &RecordExpr{}
	for {
		name := p.lex.Next()
		if name.Type != tokIdent {
			return nil, p.errorf(name, "expected a field name, found %q", name.Value)
		}
		if _, err := p.expect("="); err != nil {
			return nil, err
		}
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		r.Names, r.Elems = append(r.Names, name.Value), append(r.Elems, e)
		if !isPunct(p.lex.Peek(), ",") {
			break
		}
		p.lex.Next()
	}
	end, err := p.expect(")")
	if err != nil {
		return nil, err
	}
	r.Span = Span{start, tokEnd(end)}
	return r, nil
}

// typeFunc parses sizeof(type|expr) and offsetof(type|expr, a.b).
func (p *exprParser) typeFunc(name *lexer.Token) (Expr, error) {
	p.lex.Next() // (
	te, x, err := p.typeOrExpr()
	if err != nil {
		return nil, err
	}
	var path []string
	if name.Value == "offsetof" {
		if _, err := p.expect(","); err != nil {
			return nil, err
		}
		for {
			f := p.lex.Next()
			if f.Type != tokIdent {
				return nil, p.errorf(f, "expected a field name, found %q", f.Value)
			}
			path = append(path, f.Value)
			if !isPunct(p.lex.Peek(), ".") {
				break
			}
			p.lex.Next()
		}
	}
	end, err := p.expect(")")
	if err != nil {
		return nil, err
	}
	span := Span{tokPos(name), tokEnd(end)}
	if name.Value == "sizeof" {
		return &SizeofExpr{Span: span, Type: te, X: x}, nil
	}
	return &OffsetofExpr{Span: span, Type: te, X: x, Path: path}, nil
}

// callFollows reports whether the identifier ahead is called: name(...).
func (p *exprParser) callFollows() bool {
	cp := p.lex.MakeCheckpoint()
	defer p.lex.LoadCheckpoint(cp)
	p.lex.Next()
	return isPunct(p.lex.Peek(), "(")
}

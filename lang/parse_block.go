package lang

import "github.com/alecthomas/participle/v2/lexer"

// ifExpr parses the rest of `if (c) { ... } else { ... }` used as an
// expression, after `if`: a ?: whose branches are block expressions. An
// `else if` is another such expression; the else is required, for the
// value must have one on both paths.
func (p *exprParser) ifExpr(kw *lexer.Token) (Expr, error) {
	if err := p.enter(kw); err != nil {
		return nil, err
	}
	defer p.leave(1)
	// The condition needs no parentheses, as an if statement's.
	cond, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.lex.Peek(); t.Type != tokLBrace {
		return nil, p.errorf(t, "expected '{' after the condition of an if expression")
	}
	then, err := p.blockExpr()
	if err != nil {
		return nil, err
	}
	if t := p.lex.Peek(); t.Type != tokIdent || t.Value != "else" {
		return nil, p.errorf(t, "an if used as a value needs an else")
	}
	p.lex.Next()
	var els Expr
	switch t := p.lex.Peek(); {
	case t.Type == tokIdent && t.Value == "if":
		els, err = p.ifExpr(p.lex.Next())
	case t.Type == tokLBrace:
		els, err = p.blockExpr()
	default:
		return nil, p.errorf(t, "expected '{' or if after else")
	}
	if err != nil {
		return nil, err
	}
	return &CondExpr{Span: Span{tokPos(kw), els.End()}, Cond: cond, Then: then, Else: els}, nil
}

// blockExpr parses `{ stmts; value }` as a block.
func (p *exprParser) blockExpr() (Expr, error) {
	b := &Block{}
	if err := b.Parse(p.lex); err != nil {
		return nil, err
	}
	return blockToExpr(b), nil
}

// blockToExpr makes a block expression: a final expression statement
// without ';' is the block's value.
func blockToExpr(b *Block) *BlockExpr {
	be := &BlockExpr{Span: b.Span, Stmts: b.Stmts}
	if n := len(b.Stmts); n > 0 {
		switch s := b.Stmts[n-1].(type) {
		case *ExprStmt:
			if s.Op == "" && !s.Semi {
				be.Stmts, be.Value = b.Stmts[:n-1], s.X
			}
		case *IfStmt:
			// A final if-else whose every branch has a value is the
			// block's value: `{ if (c) { 1 } else { 2 } }`.
			if v := ifValue(s); v != nil {
				be.Stmts, be.Value = b.Stmts[:n-1], v
			}
		}
	}
	return be
}

// ifValue is the if statement s as a ?: of block expressions, when it has
// an else and each branch ends in a value; nil otherwise.
func ifValue(s *IfStmt) Expr {
	if s.Else == nil {
		return nil
	}
	then := blockToExpr(s.Then)
	var els Expr
	switch {
	case s.Else.If != nil:
		els = ifValue(s.Else.If)
	case s.Else.Block != nil:
		if be := blockToExpr(s.Else.Block); be.Value != nil {
			els = be
		}
	}
	if then.Value == nil || els == nil {
		return nil
	}
	return &CondExpr{Span: s.Span, Cond: s.Cond, Then: then, Else: els}
}

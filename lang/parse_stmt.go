package lang

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// keywordStmt wraps the statements that begin with a keyword, parsed by
// the participle grammar of their node types.
type keywordStmt struct {
	Stmt Stmt `parser:"@@"`
}

// stmtKeywords are the words that begin a keywordStmt.
var stmtKeywords = map[string]bool{
	"if": true, "let": true, "while": true, "unroll": true, "for": true,
	"break": true, "continue": true, "return": true,
}

// Parse parses a braced statement list; participle calls it wherever the
// grammar holds a Block. Each statement is chosen by its first token and,
// once chosen, never retried as another kind: a '{' always opens a block
// statement, a keyword its statement, anything else an expression
// statement. So a mistake inside nested blocks is reported once, from
// where it is, and parsing takes time linear in the input: a grammar that
// tried a block as a statement and then as an expression would try every
// one of 2^depth combinations before giving up.
func (b *Block) Parse(lex *lexer.PeekingLexer) error {
	open := lex.Peek()
	if open.Value != "{" {
		return participle.NextMatch
	}
	if err := enterNesting(lex, open); err != nil {
		return err
	}
	defer leaveNesting(lex, 1)
	lex.Next()
	b.Pos = tokPos(open)
	for {
		t := lex.Peek()
		switch {
		case t.EOF():
			return &participle.UnexpectedTokenError{Unexpected: *t, Expect: "RBrace"}
		case t.Type == tokRBrace:
			lex.Next()
			b.EndPos = tokEnd(t)
			return nil
		case isPunct(t, ";"):
			lex.Next()
		default:
			s, err := parseStmt(lex)
			if err != nil {
				return err
			}
			b.Stmts = append(b.Stmts, s)
		}
	}
}

// parseStmt parses one statement, choosing its kind by its first token.
func parseStmt(lex *lexer.PeekingLexer) (Stmt, error) {
	t := lex.Peek()
	switch {
	case t.Type == tokLBrace:
		s := &BlockStmt{Block: &Block{}}
		if err := s.Block.Parse(lex); err != nil {
			return nil, err
		}
		s.Span = s.Block.Span
		if t := lex.Peek(); isPunct(t, ";") {
			s.EndPos = tokEnd(lex.Next())
		}
		return s, nil
	case t.Type == tokIdent && t.Value == "if":
		s := &IfStmt{}
		if err := s.Parse(lex); err != nil {
			return nil, err
		}
		return s, nil
	case t.Type == tokIdent && stmtKeywords[t.Value]:
		k, err := keywordParser().ParseFromLexer(lex, participle.AllowTrailing(true))
		if err != nil {
			return nil, err
		}
		return k.Stmt, nil
	}
	s := &ExprStmt{}
	if err := s.Parse(lex); err == participle.NextMatch {
		return nil, &participle.UnexpectedTokenError{Unexpected: *t}
	} else if err != nil {
		return nil, err
	}
	return s, nil
}

// Parse parses an if statement. It is written by hand, as blocks are: a
// chain of else-ifs or of nested ifs goes through no participle grammar
// at each link, and each link is a level of nesting (MaxNesting).
func (s *IfStmt) Parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	if t.Type != tokIdent || t.Value != "if" {
		return participle.NextMatch
	}
	lex.Next()
	s.Pos = tokPos(t)
	if t := lex.Peek(); t.Type == tokIdent && t.Value == "comptime" {
		lex.Next()
		s.Comptime = true
	}
	cond, err := parseExpr(lex)
	if err != nil {
		return unexpectedIfNoMatch(lex, err)
	}
	s.Cond, s.Then = cond, &Block{}
	if err := s.Then.Parse(lex); err != nil {
		return unexpectedIfNoMatch(lex, err)
	}
	s.EndPos = s.Then.EndPos
	if t := lex.Peek(); t.Type != tokIdent || t.Value != "else" {
		return nil
	}
	// An `else` before neither a block nor an if is not this statement's:
	// it is read as what comes next.
	cp := lex.MakeCheckpoint()
	lex.Next()
	e := &Else{}
	switch err := e.Parse(lex); err {
	case nil:
		s.Else, s.EndPos = e, e.EndPos
	case participle.NextMatch:
		lex.LoadCheckpoint(cp)
	default:
		return err
	}
	return nil
}

// unexpectedIfNoMatch turns a part's "not here" into an error about the
// token where it was expected.
func unexpectedIfNoMatch(lex *lexer.PeekingLexer, err error) error {
	if err == participle.NextMatch {
		return &participle.UnexpectedTokenError{Unexpected: *lex.Peek()}
	}
	return err
}

// Parse parses what follows `else`: a block, or another if statement,
// which is one more level of nesting (MaxNesting): a chain of else-ifs is
// a tree as deep as the chain is long.
func (e *Else) Parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	if t.Type != tokIdent || t.Value != "if" {
		e.Block = &Block{}
		if err := e.Block.Parse(lex); err != nil {
			return err
		}
		e.Span = e.Block.Span
		return nil
	}
	if err := enterNesting(lex, t); err != nil {
		return err
	}
	defer leaveNesting(lex, 1)
	e.If = &IfStmt{}
	if err := e.If.Parse(lex); err != nil {
		return err
	}
	e.Span = e.If.Span
	return nil
}

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
	case t.Type == tokIdent && stmtKeywords[t.Value]:
		k, err := keywordParser.ParseFromLexer(lex, participle.AllowTrailing(true))
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

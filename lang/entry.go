package lang

import (
	"bytes"
	"io"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

// This file holds what the REPL needs from the parser: entries typed one
// after another are parsed on their own and checked together.

// stmtPrefix and stmtSuffix wrap bare statements into a BEGIN probe for
// the parser; the lexer shifts every position back so that nodes and
// errors point into the text as typed.
const (
	stmtPrefix = "BEGIN{"
	stmtSuffix = "\n}"
)

// ParseStatements parses statements typed on their own (`@x = 1;
// print(@x)`) as the body of a BEGIN probe, which runs them once. Positions
// are those of the text: an error's caret falls under what was typed.
func ParseStatements(src *Source) (*Program, error) {
	prog, err := parseWith(stmtParser(), src)
	if diags, ok := err.(Diagnostics); ok {
		// What the parser found past the text is the wrapper's brace:
		// the text ended there.
		end := len(strings.TrimRight(src.Text, " \t\r\n"))
		for _, d := range diags {
			if what, ok := strings.CutSuffix(d.Msg, `, found "}"`); ok && d.Start >= end {
				d.Msg = "unexpected end of input: " + what
			}
		}
	}
	return prog, err
}

// stmtLexer lexes a text wrapped in stmtPrefix and stmtSuffix with the
// script lexer, positions shifted back into the text.
type stmtLexer struct{}

func (stmtLexer) Symbols() map[string]lexer.TokenType { return lexDef.Symbols() }

func (stmtLexer) Lex(filename string, r io.Reader) (lexer.Lexer, error) {
	text, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	wrapped := io.MultiReader(strings.NewReader(stmtPrefix), bytes.NewReader(text), strings.NewReader(stmtSuffix))
	l, err := lexDef.Lex(filename, wrapped)
	if err != nil {
		return nil, err
	}
	return &shiftLexer{l: l, size: len(text)}, nil
}

// shiftLexer moves the tokens of a wrapped text back to the text's
// positions; the wrapper's own tokens sit at its start or end.
type shiftLexer struct {
	l    lexer.Lexer
	size int
}

func (s *shiftLexer) Next() (lexer.Token, error) {
	t, err := s.l.Next()
	t.Pos = s.shift(t.Pos)
	if lerr, ok := err.(*lexer.Error); ok {
		lerr.Pos = s.shift(lerr.Pos)
	}
	return t, err
}

func (s *shiftLexer) shift(p lexer.Position) lexer.Position {
	n := len(stmtPrefix)
	switch {
	case p.Offset < n:
		p.Offset, p.Line, p.Column = 0, 1, 1
	case p.Offset-n > s.size:
		// The closing brace and the end of input: just past the text.
		p.Offset = s.size
	default:
		p.Offset -= n
		if p.Line == 1 {
			p.Column -= n
		}
	}
	return p
}

// Incomplete reports whether err, from parsing src, says only that the
// text stopped too early (an open brace, a predicate or an operator
// waiting for more), so that more lines may complete it.
func Incomplete(err error, src *Source) bool {
	diags, ok := err.(Diagnostics)
	if !ok || len(diags) == 0 {
		return false
	}
	end := len(strings.TrimRight(src.Text, " \t\r\n"))
	for _, d := range diags {
		if d.Severity == Error && d.Start < end {
			return false
		}
	}
	return true
}

// Combine joins programs parsed from separate sources, as the REPL's
// entries are, into one that checks as a whole: maps and their types are
// shared, and every node still points into its own source. The last
// program's source is the result's.
func Combine(progs ...*Program) *Program {
	files := map[string]*Source{}
	all := &Program{}
	for _, p := range progs {
		for name, f := range p.Src.files {
			files[name] = f
		}
		files[p.Src.Name] = p.Src
		all.Items = append(all.Items, p.Items...)
	}
	all.Items = dropRepeatedStdlib(all.Items)
	for _, f := range files {
		f.files = files
	}
	if len(progs) > 0 {
		all.Src = progs[len(progs)-1].Src
	}
	all.sortItems()
	if all.Src != nil {
		useStdlib(all)
	}
	return all
}

// Subset returns p with the probes keep accepts and every other item: the
// part of a combined program to compile.
func (p *Program) Subset(keep func(*Probe) bool) *Program {
	sub := &Program{Span: p.Span, Src: p.Src}
	for _, it := range p.Items {
		if pr, ok := it.(*Probe); ok && !keep(pr) {
			continue
		}
		sub.Items = append(sub.Items, it)
	}
	sub.sortItems()
	return sub
}

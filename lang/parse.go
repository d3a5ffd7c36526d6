package lang

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The parsers are built on first use, each once, and only those a run
// needs: building one reads the grammar's struct tags by reflection, which
// took 5-10 ms and 900 KB at every start (`hawk --version` included) when
// it was done in init. Blocks parse keyword statements with keywordParser,
// whose nodes hold blocks. stmtParser parses bare statements as the body
// of a BEGIN probe (ParseStatements), for the REPL. init only sets the
// functions that build them, which the grammar's own parse functions
// reach.
//
// Most scripts are probes alone: probeParser, whose grammar has only
// probes and directives, parses them. Building it cold costs a fifth of
// the whole grammar's 1.1-1.5 ms (the first run of participle's code,
// the first touch of the memory it allocates); a script with a token that
// may begin another item (needsFullGrammar) takes parser.
var (
	parser        func() *participle.Parser[Program]
	probeParser   func() *participle.Parser[Program]
	keywordParser func() *participle.Parser[keywordStmt]
	stmtParser    func() *participle.Parser[Program]
)

func init() {
	parser = sync.OnceValue(func() *participle.Parser[Program] {
		return participle.MustBuild[Program](itemOptions(lexDef)...)
	})
	probeParser = sync.OnceValue(func() *participle.Parser[Program] {
		return participle.MustBuild[Program](itemOptions(lexDef, &Directive{}, &Probe{})...)
	})
	keywordParser = sync.OnceValue(buildKeywordParser)
	stmtParser = sync.OnceValue(func() *participle.Parser[Program] {
		return participle.MustBuild[Program](itemOptions(stmtLexer{})...)
	})
}

// buildKeywordParser builds the parser of keyword statements.
func buildKeywordParser() *participle.Parser[keywordStmt] {
	return participle.MustBuild[keywordStmt](
		participle.Lexer(lexDef),
		// Block.Parse parses block and expression statements itself.
		participle.Union[Stmt](&IfStmt{}, &LetStmt{}, &WhileStmt{}, &UnrollStmt{}, &ForStmt{}, &JumpStmt{}),
		participle.ParseTypeWith(parseExpr))
}

// itemOptions are the options of a parser of top-level items, which lexes
// with lex: items, or every kind of item when none is given. Statements
// are no part of its grammar (blocks parse them, and the keyword
// statements through keywordParser): participle builds every union it is
// given, and building both grammars in each parser took twice the time.
func itemOptions(lex lexer.Definition, items ...Item) []participle.Option {
	if len(items) == 0 {
		items = []Item{&Directive{}, &ConfigBlock{}, &Import{}, &MapDecl{}, &Macro{}, &StructDecl{}, &EnumDecl{}, &Probe{}}
	}
	return []participle.Option{
		participle.Lexer(lex),
		participle.Union[Item](items...),
		participle.ParseTypeWith(parseExpr),
	}
}

// Parse parses a whole script. The error, when not nil, is Diagnostics.
// When the script's structure parsed but parts of it are wrong (an unknown
// probe type, a missing ';'), the program comes back with the error, so
// that checking it can report the other mistakes too.
func Parse(src *Source) (*Program, error) {
	return parseWith(nil, src)
}

// parseWith parses src with p and files and checks what the grammar
// leaves to later: preprocessing, attach points, semicolons, imports.
// A nil p is the script's grammar: probeParser where it is enough (an
// error is reported as parser reports it), parser where it is not.
func parseWith(p *participle.Parser[Program], src *Source) (*Program, error) {
	if d := checkBytes(src); d != nil {
		return nil, Diagnostics{d}
	}
	var def lexer.Definition = lexDef
	if p != nil {
		def = p.Lexer()
	}
	toks, err := lexTokens(def, src.Name, src.Text)
	if err != nil {
		return nil, Diagnostics{syntaxError(src, err)}
	}
	var prog *Program
	if p == nil && !needsFullGrammar(toks) {
		prog, err = probeParser().ParseFromLexer(peekingLexerOf(toks))
		if err != nil {
			prog = nil // parser says what is wrong, in its words
		}
	}
	if prog == nil {
		if p == nil {
			p = parser()
		}
		prog, err = p.ParseFromLexer(peekingLexerOf(toks))
	}
	if err != nil {
		return nil, Diagnostics{syntaxError(src, err)}
	}
	prog.Src = src
	var diags Diagnostics
	prog.Items = preprocess(src, prog.Items, &diags)
	prog.sortItems()
	for _, p := range prog.Probes {
		for _, ap := range p.Points {
			ap.EndPos = endOf(Pos(ap.Pos), ap.Raw)
			parseAttachPoint(src, ap, &diags)
		}
	}
	checkSemicolons(src, prog, &diags)
	checkForParens(src, prog, &diags)
	discardAssignments(src, prog, &diags)
	checkImportOrder(prog, &diags)
	return prog, diags.Err()
}

// fullGrammarWords are the words that begin a top-level item other than a
// probe or a directive (itemOptions).
var fullGrammarWords = map[string]bool{
	"config": true, "import": true, "let": true, "macro": true,
	"struct": true, "union": true, "enum": true,
}

// needsFullGrammar reports whether toks may hold an item that only
// parser's grammar has: any token spelled as a word that begins one,
// wherever it is (a cast's "struct" too), which is more than needed and
// never less. Without one, the items of parser's grammar other than
// probes and directives cannot match, and probeParser parses the tokens
// as parser would.
func needsFullGrammar(toks []lexer.Token) bool {
	for _, t := range toks {
		if fullGrammarWords[t.Value] {
			return true
		}
	}
	return false
}

// sortItems files the top-level items by kind.
func (p *Program) sortItems() {
	for _, it := range p.Items {
		switch it := it.(type) {
		case *Directive:
			p.Directives = append(p.Directives, it)
		case *Probe:
			p.Probes = append(p.Probes, it)
		case *ConfigBlock:
			p.Config = append(p.Config, it)
		case *Import:
			p.Imports = append(p.Imports, it)
		case *MapDecl:
			p.MapDecl = append(p.MapDecl, it)
		case *Macro:
			p.Macros = append(p.Macros, it)
		case *StructDecl:
			p.Structs = append(p.Structs, it)
		}
	}
}

// checkSemicolons requires a ';' after every simple statement but a
// block's last, as bpftrace does.
func checkSemicolons(src *Source, n Node, diags *Diagnostics) {
	Inspect(n, func(n Node) bool {
		b, ok := n.(*Block)
		if !ok {
			return true
		}
		for i, s := range b.Stmts {
			if s, ok := s.(*ExprStmt); ok && !s.Semi && i < len(b.Stmts)-1 {
				end := s.End()
				diags.AddSpan(src, end.Offset, end.Offset, "expected ';' after this statement")
			}
		}
		return true
	})
}

// discardAssignments turns `_ = expr` into the statement `expr`: the
// value is computed for what computing it does, and dropped, as in
// bpftrace's discard expression. `_` takes = only.
func discardAssignments(src *Source, n Node, diags *Diagnostics) {
	Inspect(n, func(n Node) bool {
		s, ok := n.(*ExprStmt)
		if !ok || s.Op == "" {
			return true
		}
		if id, ok := s.X.(*Ident); ok && id.Name == "_" {
			if s.Op != "=" {
				diags.AddSpan(src.For(s), id.Pos.Offset, id.Pos.Offset+1, "_ discards a value: it takes =, not %s", s.Op)
			}
			s.X, s.Op, s.Value = s.Value, "", nil
		}
		return true
	})
}

// checkForParens reports a for whose head has a '(' without its ')', or
// a ')' without its '(': both, or neither (`for $kv : @m { }`).
func checkForParens(src *Source, n Node, diags *Diagnostics) {
	Inspect(n, func(n Node) bool {
		if s, ok := n.(*ForStmt); ok && s.Open != s.Close {
			at := s.Body.Pos.Offset
			if s.Open {
				diags.AddSpan(src, at, at+1, "expected ')' before '{': this for's '(' is not closed")
			} else {
				diags.AddSpan(src, at, at+1, "this for's ')' has no '(' (the parentheses around its head go together, or not at all)")
			}
		}
		return true
	})
}

// syntaxError turns a participle error into a positioned diagnostic.
func syntaxError(src *Source, err error) *Diagnostic {
	var perr participle.Error
	if !errors.As(err, &perr) {
		return &Diagnostic{Src: src, Msg: err.Error()}
	}
	off := perr.Position().Offset
	end := off + 1
	msg := perr.Message()
	var unexpected *participle.UnexpectedTokenError
	var lexErr *lexer.Error
	switch {
	case errors.As(err, &unexpected):
		tok := unexpected.Unexpected
		if tok.EOF() {
			msg = "unexpected end of input"
			if strings.Contains(unexpected.Expect, "RBrace") || unexpected.Expect == "" {
				msg += ": missing '}'"
			}
		} else {
			msg = fmt.Sprintf("unexpected %s", describeToken(tok))
			end = off + len(tok.Value)
			switch tok.Type {
			case tokUnterm, tokBadString:
				end = off + len(opening(tok)) // the token runs to the end
			}
		}
	case errors.As(err, &lexErr):
		if off < len(src.Text) {
			msg = fmt.Sprintf("unexpected character %q", src.Text[off:off+1])
		}
	}
	if off >= len(src.Text) {
		end = off
	}
	return &Diagnostic{Src: src, Start: off, End: end, Msg: msg}
}

// opening is how a token that is never closed opens.
func opening(t lexer.Token) string {
	if t.Type == tokUnterm {
		return "/*"
	}
	return `"`
}

func describeToken(t lexer.Token) string {
	switch t.Type {
	case tokUnterm:
		return "'/*': the comment is never closed"
	case tokBadString:
		return "'\"': the string is never closed"
	case tokStray, tokStrayB:
		return fmt.Sprintf("character %q", t.Value)
	}
	return fmt.Sprintf("%q", t.Value)
}

// endOf returns the position just past text that starts at p on one line.
func endOf(p Pos, text string) Pos {
	p.Offset += len(text)
	p.Column += len([]rune(text))
	return p
}

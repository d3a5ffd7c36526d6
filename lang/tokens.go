package lang

import (
	"strings"
	"unsafe"

	"github.com/alecthomas/participle/v2/lexer"
)

// tokenChunk is how many tokens lexTokens collects before it starts another
// chunk.
const tokenChunk = 4096

// lexTokens lexes text, a file named name, with def, into one slice of
// exactly its tokens, the EOF token last. participle's lexer.Upgrade,
// through which Parser.ParseString reads a script's tokens, appends them
// one at a time: the slice grew and was copied some thirty times for a
// large script, each time into fresh memory, which took more time than
// lexing (a 10,000-line script: 150,000 tokens, 100 MB allocated).
// lexTokens collects them in chunks and copies them once. On a lexing
// error it returns the tokens before it and the error.
func lexTokens(def lexer.Definition, name, text string) ([]lexer.Token, error) {
	var lex lexer.Lexer
	var err error
	if sd, ok := def.(lexer.StringDefinition); ok {
		lex, err = sd.LexString(name, text)
	} else {
		lex, err = def.Lex(name, strings.NewReader(text))
	}
	if err != nil {
		return nil, err
	}
	var chunks [][]lexer.Token
	// A token takes two bytes of text or more, nearly always: a small
	// script's tokens fit its first chunk, and come back without a copy.
	cur := make([]lexer.Token, 0, min(tokenChunk, len(text)/2+2))
	n := 0
	for {
		t, err := lex.Next()
		if err != nil {
			return nil, err
		}
		if len(cur) == cap(cur) {
			chunks = append(chunks, cur)
			cur = make([]lexer.Token, 0, tokenChunk)
		}
		cur = append(cur, t)
		n++
		if t.EOF() {
			break
		}
	}
	if len(chunks) == 0 {
		return cur, nil
	}
	all := make([]lexer.Token, 0, n)
	for _, c := range chunks {
		all = append(all, c...)
	}
	return append(all, cur...), nil
}

// peekingLexer is the layout of participle's lexer.PeekingLexer (v2.1.4),
// whose tokens are unexported: TestPeekingLexerLayout checks that the two
// agree, field by field.
type peekingLexer struct {
	lexer.Checkpoint
	tokens []lexer.Token
	elide  map[lexer.TokenType]bool
}

// peekingLexerOf returns a PeekingLexer over tokens, which end with EOF
// and hold no token to elide (elidingLexer has left them out), as
// lexer.Upgrade returns it for a lexer of those tokens, without copying
// them.
func peekingLexerOf(tokens []lexer.Token) *lexer.PeekingLexer {
	p := &lexer.PeekingLexer{}
	(*peekingLexer)(unsafe.Pointer(p)).tokens = tokens
	return p
}

package lang

import (
	"fmt"
	"sync"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// MaxNesting is how deep a script's constructs may nest: blocks,
// parentheses, calls, operators and their operands, else-if chains. Each
// level is one more level of the syntax tree, which the parser, the
// checker and the code generator walk recursively; a script nested deeper
// is refused where it goes too deep. Chains count too: `a + b + c` is two
// levels, an else-if chain one per `else if`, `a ? b : c ? d : e` two.
// Real scripts stay far below it; a generated 10,000-branch chain fits.
const MaxNesting = 16000

// maxNesting is the limit in force: MaxNesting, but for tests, which
// lower it to go past it cheaply (parsing costs tens of microseconds a
// level); the parser and the macro expander count the same either way.
var maxNesting = MaxNesting

// nesting counts, for each parse under way, the levels of nesting the
// parser is in. A parse is known by its first token: participle hands
// every hand-written part of the parser a lexer, a copy of the parse's
// own for the statements its grammar parses, but all share one array of
// tokens.
var nesting = struct {
	sync.Mutex
	depth map[*lexer.Token]int
}{depth: map[*lexer.Token]int{}}

// parseOf returns what identifies the parse that reads lex.
func parseOf(lex *lexer.PeekingLexer) *lexer.Token {
	return &lex.Range(0, 1)[0] // every parse has a token: EOF at least
}

// enterNesting counts one more level, opened by t, in the parse that
// reads lex; it is an error, at t, when that is one too many. Each
// successful call is undone by a call of leaveNesting.
func enterNesting(lex *lexer.PeekingLexer, t *lexer.Token) error {
	nesting.Lock()
	defer nesting.Unlock()
	key := parseOf(lex)
	d := nesting.depth[key] + 1
	if d > maxNesting {
		return participle.Errorf(t.Pos, "%s", tooDeep())
	}
	nesting.depth[key] = d
	return nil
}

// leaveNesting undoes n levels that enterNesting counted.
func leaveNesting(lex *lexer.PeekingLexer, n int) {
	if n == 0 {
		return
	}
	nesting.Lock()
	defer nesting.Unlock()
	key := parseOf(lex)
	if d := nesting.depth[key] - n; d > 0 {
		nesting.depth[key] = d
	} else {
		delete(nesting.depth, key)
	}
}

// tooDeep is the message for a construct nested more than MaxNesting deep.
func tooDeep() string {
	return fmt.Sprintf("nested too deep: more than %d levels of blocks, parentheses and operators", maxNesting)
}

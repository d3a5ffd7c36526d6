package cpp

import "strings"

// kind is a preprocessing token's kind.
type kind uint8

const (
	tIdent  kind = iota // identifier or keyword
	tNumber             // pp-number: 12, 0x1fUL, 1.5e3
	tChar               // 'a', L'a'
	tString             // "abc"
	tPunct              // operator or other character
)

// token is a preprocessing token.
type token struct {
	kind  kind
	text  string
	space bool     // whitespace comes before it
	hide  *hideset // the macros that may not expand it again
}

func (t token) is(text string) bool { return t.kind == tPunct && t.text == text }

// puncts are C's multi-character punctuators, longest first.
var puncts = []string{"...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
	"*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "##"}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isIdentChar(c byte) bool { return isIdentStart(c) || '0' <= c && c <= '9' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// lex splits a logical line, comments already removed, into tokens. It
// never fails: an unterminated literal runs to the end of the line, and a
// character that starts no token is a punctuator of its own.
func lex(s string) []token {
	var toks []token
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r' || c == '\n' {
			space = true
			i++
			continue
		}
		start := i
		var k kind
		switch {
		case isIdentStart(c):
			for i < len(s) && isIdentChar(s[i]) {
				i++
			}
			k = tIdent
			if p := s[start:i]; i < len(s) && (s[i] == '\'' || s[i] == '"') && (p == "L" || p == "u" || p == "U" || p == "u8") {
				k = tChar
				if s[i] == '"' {
					k = tString
				}
				i = literalEnd(s, i)
			}
		case isDigit(c) || c == '.' && i+1 < len(s) && isDigit(s[i+1]):
			i++
			for i < len(s) {
				d := s[i]
				if (d == '+' || d == '-') && strings.ContainsRune("eEpP", rune(s[i-1])) {
					i++
				} else if isIdentChar(d) || d == '.' {
					i++
				} else {
					break
				}
			}
			k = tNumber
		case c == '\'' || c == '"':
			k = tChar
			if c == '"' {
				k = tString
			}
			i = literalEnd(s, i)
		default:
			k = tPunct
			i++
			for _, p := range puncts {
				if strings.HasPrefix(s[start:], p) {
					i = start + len(p)
					break
				}
			}
		}
		toks = append(toks, token{kind: k, text: s[start:i], space: space})
		space = false
	}
	return toks
}

// literalEnd returns the end of the character or string literal whose
// quote is at s[i].
func literalEnd(s string, i int) int {
	q := s[i]
	for i++; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case q:
			return i + 1
		}
	}
	return len(s)
}

// spell writes tokens back as text, a space where one was.
func spell(toks []token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 && t.space {
			b.WriteByte(' ')
		}
		b.WriteString(t.text)
	}
	return b.String()
}

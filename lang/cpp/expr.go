package cpp

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// val is an integer of a C constant expression: its bits, sign-extended or
// zero-extended to 64, and its type (int, unsigned int, long or unsigned
// long; #if computes in the 64-bit ones only).
type val struct {
	v        uint64
	unsigned bool
	long     bool
}

// norm cuts v to its type's width.
func (x val) norm() val {
	if !x.long {
		if x.unsigned {
			x.v = uint64(uint32(x.v))
		} else {
			x.v = uint64(int64(int32(x.v)))
		}
	}
	return x
}

func intVal(b bool) val {
	if b {
		return val{v: 1}
	}
	return val{}
}

// evaluator evaluates a constant expression of expanded tokens.
type evaluator struct {
	p    *Preprocessor
	toks []token
	pos  int
	// inIf: #if's rules. Names left after expansion are 0, and all
	// arithmetic is 64-bit. Otherwise a name must be an enum constant,
	// and casts and sizeof are read.
	inIf bool
	// dead counts the operands being skipped (the untaken side of &&, ||
	// and ?:), where division by zero and unknown names are no error.
	dead int
	err  error
	// fromDir is the directory of the file being read (__has_include).
	fromDir string
	next    int
}

func (e *evaluator) fail(format string, args ...any) val {
	if e.err == nil {
		e.err = fmt.Errorf(format, args...)
	}
	return val{}
}

func (e *evaluator) peek() token {
	if e.pos < len(e.toks) {
		return e.toks[e.pos]
	}
	return token{kind: tPunct, text: "end of expression"}
}

func (e *evaluator) take() token {
	t := e.peek()
	if e.pos < len(e.toks) {
		e.pos++
	}
	return t
}

func (e *evaluator) expect(p string) {
	if t := e.take(); !t.is(p) {
		e.fail("expected %s, found %s", p, t.text)
	}
}

// eval evaluates the whole token list.
func (e *evaluator) eval() (val, error) {
	if len(e.toks) == 0 {
		return val{}, fmt.Errorf("empty expression")
	}
	v := e.cond()
	if e.err == nil && e.pos < len(e.toks) {
		e.fail("unexpected %s", e.peek().text)
	}
	return v, e.err
}

func (e *evaluator) cond() val {
	c := e.binary(0)
	if !e.peek().is("?") {
		return c
	}
	e.take()
	taken := c.v != 0
	if !taken {
		e.dead++
	}
	a := e.cond()
	if !taken {
		e.dead--
	}
	e.expect(":")
	if taken {
		e.dead++
	}
	b := e.cond()
	if taken {
		e.dead--
	}
	long, unsigned := e.common(a, b)
	r := b
	if taken {
		r = a
	}
	return val{v: r.v, long: long, unsigned: unsigned}.norm()
}

// precedence of the binary operators, loosest first.
var precedence = map[string]int{
	"||": 1, "&&": 2, "|": 3, "^": 4, "&": 5, "==": 6, "!=": 6,
	"<": 7, ">": 7, "<=": 7, ">=": 7, "<<": 8, ">>": 8, "+": 9, "-": 9, "*": 10, "/": 10, "%": 10,
}

func (e *evaluator) binary(min int) val {
	x := e.unary()
	for e.err == nil {
		t := e.peek()
		prec, ok := precedence[t.text]
		if t.kind != tPunct || !ok || prec <= min {
			return x
		}
		e.take()
		switch t.text {
		case "&&", "||":
			skip := (t.text == "&&") == (x.v == 0)
			if skip {
				e.dead++
			}
			y := e.binary(prec)
			if skip {
				e.dead--
				x = intVal(t.text == "||")
			} else {
				x = intVal(y.v != 0)
			}
		default:
			x = e.apply(t.text, x, e.binary(prec))
		}
	}
	return x
}

// common is the type of a binary operation's operands after C's usual
// arithmetic conversions.
func (e *evaluator) common(a, b val) (long, unsigned bool) {
	if e.inIf || a.long == b.long {
		return e.inIf || a.long, a.unsigned || b.unsigned
	}
	if a.long {
		return true, a.unsigned
	}
	return true, b.unsigned
}

func (e *evaluator) apply(op string, a, b val) val {
	long, unsigned := e.common(a, b)
	if op == "<<" || op == ">>" {
		long, unsigned = a.long || e.inIf, a.unsigned
	}
	r := val{long: long, unsigned: unsigned}
	x, y := a.v, b.v
	switch op {
	case "+":
		r.v = x + y
	case "-":
		r.v = x - y
	case "*":
		r.v = x * y
	case "/", "%":
		if y == 0 {
			if e.dead == 0 {
				return e.fail("division by zero")
			}
			return r
		}
		r.v = divide(op == "/", x, y, long, unsigned)
	case "<<":
		r.v = x << (y & 63)
	case ">>":
		switch {
		case !unsigned:
			r.v = uint64(int64(x) >> (y & 63))
		case long:
			r.v = x >> (y & 63)
		default:
			r.v = uint64(uint32(x) >> (y & 31))
		}
	case "&":
		r.v = x & y
	case "|":
		r.v = x | y
	case "^":
		r.v = x ^ y
	case "==":
		return intVal(x == y)
	case "!=":
		return intVal(x != y)
	case "<", ">", "<=", ">=":
		var lt, eq bool
		if unsigned {
			if !long {
				x, y = uint64(uint32(x)), uint64(uint32(y))
			}
			lt, eq = x < y, x == y
		} else {
			lt, eq = int64(x) < int64(y), x == y
		}
		switch op {
		case "<":
			return intVal(lt)
		case ">":
			return intVal(!lt && !eq)
		case "<=":
			return intVal(lt || eq)
		}
		return intVal(!lt)
	}
	return r.norm()
}

func (e *evaluator) unary() val {
	t := e.peek()
	switch {
	case t.is("-"), t.is("+"), t.is("~"), t.is("!"):
		e.take()
		x := e.unary()
		if e.inIf {
			x.long = true
		}
		switch t.text {
		case "-":
			x.v = -x.v
		case "~":
			x.v = ^x.v
		case "!":
			return intVal(x.v == 0)
		}
		return x.norm()
	case !e.inIf && t.kind == tIdent && t.text == "sizeof":
		e.take()
		if !e.peek().is("(") {
			return e.fail("sizeof needs a type in parentheses")
		}
		e.take()
		words := e.typeWords()
		e.expect(")")
		size, _, ok := typeSize(words)
		if !ok {
			return e.fail("the size of %s is not known here", strings.Join(words, " "))
		}
		return val{v: uint64(size), unsigned: true, long: true}
	case !e.inIf && t.is("(") && e.isCast():
		e.take()
		words := e.typeWords()
		e.expect(")")
		x := e.unary()
		return cast(x, words)
	}
	return e.primary()
}

// isCast reports whether the ( at the current position starts a cast:
// type words and stars up to its ), then an operand.
func (e *evaluator) isCast() bool {
	i := e.pos + 1
	n := 0
	for ; i < len(e.toks) && !e.toks[i].is(")"); i++ {
		t := e.toks[i]
		if !(t.is("*") || t.kind == tIdent && !e.p.isValueName(t.text)) {
			return false
		}
		n++
	}
	if n == 0 || i+1 >= len(e.toks) {
		return false
	}
	next := e.toks[i+1]
	return next.kind != tPunct || next.is("(") || next.is("-") || next.is("+") || next.is("~") || next.is("!")
}

// typeWords reads a type name's words up to its ), "*" for each star.
func (e *evaluator) typeWords() []string {
	var words []string
	for e.pos < len(e.toks) && !e.peek().is(")") {
		words = append(words, e.take().text)
	}
	return words
}

func (e *evaluator) primary() val {
	t := e.take()
	switch t.kind {
	case tNumber:
		v, err := parseNumber(t.text, e.inIf)
		if err != nil {
			return e.fail("%v", err)
		}
		return v
	case tChar:
		v, err := parseChar(t.text)
		if err != nil {
			return e.fail("%v", err)
		}
		return v
	case tIdent:
		return e.ident(t)
	}
	if t.is("(") {
		v := e.cond()
		e.expect(")")
		return v
	}
	return e.fail("unexpected %s", t.text)
}

// ident evaluates a name left after expansion.
func (e *evaluator) ident(t token) val {
	if e.inIf {
		switch {
		case t.text == "defined":
			return intVal(e.p.macros[e.operandName()] != nil)
		case t.text == "__has_include" || t.text == "__has_include_next":
			return intVal(e.hasInclude(t.text == "__has_include_next"))
		case isHasOp(t.text):
			e.operandName()
			return val{long: true}
		}
		return val{long: true} // any other name is 0 in #if
	}
	if v, ok := e.p.enums[t.text]; ok {
		return v
	}
	if e.dead > 0 {
		return val{}
	}
	return e.fail("%s is not a constant", t.text)
}

// operandName reads the operand of defined or a __has_ operator: NAME or
// (NAME), or any tokens in parentheses, and returns its text.
func (e *evaluator) operandName() string {
	if !e.peek().is("(") {
		return e.take().text
	}
	e.take()
	var parts []token
	depth := 1
	for e.pos < len(e.toks) {
		t := e.take()
		if t.is("(") {
			depth++
		} else if t.is(")") {
			if depth--; depth == 0 {
				return spell(parts)
			}
		}
		parts = append(parts, t)
	}
	e.fail("missing ) after defined")
	return ""
}

// hasInclude evaluates __has_include(<h>) or __has_include("h").
func (e *evaluator) hasInclude(next bool) bool {
	name := strings.TrimSpace(e.operandName())
	if len(name) < 2 {
		return false
	}
	angled := name[0] == '<'
	name = strings.TrimSpace(name[1 : len(name)-1])
	if !next {
		_, _, ok := e.p.find(name, angled, e.fromDir, 0)
		return ok
	}
	_, _, ok := e.p.find(name, true, "", e.next)
	return ok
}

// parseNumber reads an integer literal and gives it its C type.
func parseNumber(s string, inIf bool) (val, error) {
	body := strings.TrimRight(s, "uUlL")
	suffix := strings.ToLower(s[len(body):])
	unsignedSuffix := strings.Contains(suffix, "u")
	longSuffix := strings.Contains(suffix, "l")
	base, digits := 10, body
	switch {
	case strings.HasPrefix(body, "0x") || strings.HasPrefix(body, "0X"):
		base, digits = 16, body[2:]
	case strings.HasPrefix(body, "0b") || strings.HasPrefix(body, "0B"):
		base, digits = 2, body[2:]
	case len(body) > 1 && body[0] == '0':
		base, digits = 8, body[1:]
	}
	n, err := strconv.ParseUint(digits, base, 64)
	if err != nil || len(suffix) > 3 || strings.Count(suffix, "u") > 1 {
		return val{}, fmt.Errorf("%s is not an integer constant", s)
	}
	v := val{v: n, unsigned: unsignedSuffix, long: longSuffix}
	switch {
	case inIf:
		v.long = true
		v.unsigned = v.unsigned || n > math.MaxInt64
	case !v.long && !v.unsigned && n <= math.MaxInt32:
	case !v.long && !v.unsigned && base != 10 && n <= math.MaxUint32:
		v.unsigned = true
	case !v.long && v.unsigned && n <= math.MaxUint32:
	default:
		v.long = true
		v.unsigned = v.unsigned || n > math.MaxInt64
	}
	return v, nil
}

// parseChar reads a character constant: 'a', '\n', '\x41', '\101'.
func parseChar(s string) (val, error) {
	q := strings.IndexByte(s, '\'')
	if q < 0 || len(s) < q+3 || s[len(s)-1] != '\'' {
		return val{}, fmt.Errorf("%s is not a character constant", s)
	}
	body := s[q+1 : len(s)-1]
	if body == "\\" {
		// '\' with its closing quote escaped: the constant never ends.
		return val{}, fmt.Errorf("%s is not a character constant", s)
	}
	if body[0] != '\\' {
		r := []rune(body)
		return val{v: uint64(int64(int32(r[0])))}, nil
	}
	switch c := body[1]; {
	case c == 'x':
		n, err := strconv.ParseUint(body[2:], 16, 32)
		return val{v: uint64(int64(int8(n)))}, err
	case '0' <= c && c <= '7':
		n, err := strconv.ParseUint(body[1:], 8, 32)
		return val{v: uint64(int64(int8(n)))}, err
	}
	esc := map[byte]uint64{'n': '\n', 't': '\t', 'r': '\r', 'a': 7, 'b': 8, 'f': 12, 'v': 11, 'e': 27, '\\': '\\', '\'': '\'', '"': '"', '?': '?'}
	if v, ok := esc[body[1]]; ok {
		return val{v: v}, nil
	}
	return val{}, fmt.Errorf("%s is not a character constant", s)
}

// divide computes x/y (quo) or x%y in the operation's type; y is not 0.
func divide(quo bool, x, y uint64, long, unsigned bool) uint64 {
	switch {
	case unsigned && !long:
		x, y = uint64(uint32(x)), uint64(uint32(y))
		fallthrough
	case unsigned:
		if quo {
			return x / y
		}
		return x % y
	case int64(y) == -1:
		if quo {
			return -x // MinInt64 / -1 wraps, as the hardware's does not
		}
		return 0
	case quo:
		return uint64(int64(x) / int64(y))
	}
	return uint64(int64(x) % int64(y))
}

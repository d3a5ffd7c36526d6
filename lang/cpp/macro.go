package cpp

import (
	"fmt"
	"strings"
)

// macro is a #define.
type macro struct {
	name     string
	fn       bool     // function-like: NAME(params)
	params   []string // the last is __VA_ARGS__ or a GNU named one when variadic
	variadic bool
	body     []token
}

// hideset is the set of macros a token came out of, which may not expand
// it again (C's rescanning rule); a short list.
type hideset struct {
	name string
	next *hideset
}

func (h *hideset) has(name string) bool {
	for ; h != nil; h = h.next {
		if h.name == name {
			return true
		}
	}
	return false
}

func (h *hideset) add(name string) *hideset {
	if h.has(name) {
		return h
	}
	return &hideset{name, h}
}

func (h *hideset) union(o *hideset) *hideset {
	for ; o != nil; o = o.next {
		h = h.add(o.name)
	}
	return h
}

func (h *hideset) intersect(o *hideset) *hideset {
	var r *hideset
	for ; h != nil; h = h.next {
		if o.has(h.name) {
			r = r.add(h.name)
		}
	}
	return r
}

// parseDefine reads the text after #define.
func parseDefine(toks []token) (*macro, error) {
	if len(toks) == 0 || toks[0].kind != tIdent {
		return nil, fmt.Errorf("#define needs a macro name")
	}
	m := &macro{name: toks[0].text}
	toks = toks[1:]
	if len(toks) > 0 && toks[0].is("(") && !toks[0].space {
		m.fn = true
		i := 1
		for ; i < len(toks) && !toks[i].is(")"); i++ {
			t := toks[i]
			switch {
			case t.is(","):
			case t.is("..."):
				m.params, m.variadic = append(m.params, "__VA_ARGS__"), true
			case t.kind == tIdent:
				if i+1 < len(toks) && toks[i+1].is("...") {
					m.variadic = true
					i++
				}
				m.params = append(m.params, t.text)
			default:
				return nil, fmt.Errorf("unexpected %q in the parameters of macro %s", t.text, m.name)
			}
		}
		if i == len(toks) {
			return nil, fmt.Errorf("the parameters of macro %s have no )", m.name)
		}
		toks = toks[i+1:]
	}
	m.body = toks
	if len(m.body) > 0 {
		m.body = append([]token(nil), m.body...)
		m.body[0].space = false
	}
	return m, nil
}

// param returns the index of a parameter named name, or -1.
func (m *macro) param(t token) int {
	if !m.fn || t.kind != tIdent {
		return -1
	}
	for i, p := range m.params {
		if p == t.text {
			return i
		}
	}
	return -1
}

// expander expands macros, counting its work against the budget.
type expander struct {
	p *Preprocessor
	// inIf keeps the operands of defined and __has_include unexpanded.
	inIf bool
}

// expand replaces the macros in ts, rescanning each replacement with what
// follows it.
func (e expander) expand(ts []token) ([]token, error) {
	var out []token
	for len(ts) > 0 {
		if err := e.p.step(len(ts)); err != nil {
			return nil, err
		}
		t := ts[0]
		if t.kind != tIdent {
			out, ts = append(out, t), ts[1:]
			continue
		}
		if e.inIf && (t.text == "defined" || isHasOp(t.text)) {
			n := operandLen(ts[1:])
			out, ts = append(out, ts[:1+n]...), ts[1+n:]
			continue
		}
		m := e.p.macros[t.text]
		if m == nil || t.hide.has(t.text) {
			out, ts = append(out, t), ts[1:]
			continue
		}
		if !m.fn {
			repl, err := e.subst(m, nil, t.hide.add(m.name), t.space)
			if err != nil {
				return nil, err
			}
			ts = append(repl, ts[1:]...)
			continue
		}
		if len(ts) < 2 || !ts[1].is("(") {
			out, ts = append(out, t), ts[1:]
			continue
		}
		args, end, err := collectArgs(ts, 1, m)
		if err != nil {
			return nil, err
		}
		repl, err := e.subst(m, args, t.hide.intersect(ts[end].hide).add(m.name), t.space)
		if err != nil {
			return nil, err
		}
		ts = append(repl, ts[end+1:]...)
	}
	return out, nil
}

// isHasOp reports the #if operators that take an operand in parentheses.
func isHasOp(name string) bool {
	switch name {
	case "__has_include", "__has_include_next", "__has_attribute", "__has_builtin", "__has_feature",
		"__has_extension", "__has_cpp_attribute", "__has_c_attribute", "__has_warning", "__is_identifier":
		return true
	}
	return false
}

// operandLen is the length of the operand of defined or a __has_ operator
// at the start of ts: NAME, or a parenthesized group.
func operandLen(ts []token) int {
	if len(ts) == 0 {
		return 0
	}
	if !ts[0].is("(") {
		return 1
	}
	depth := 0
	for i, t := range ts {
		switch {
		case t.is("("):
			depth++
		case t.is(")"):
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return len(ts)
}

// collectArgs reads the arguments of a call of m whose ( is ts[open]. It
// returns them and the index of the closing ).
func collectArgs(ts []token, open int, m *macro) ([][]token, int, error) {
	var args [][]token
	var cur []token
	depth := 0
	for i := open + 1; i < len(ts); i++ {
		t := ts[i]
		switch {
		case t.is("(") || t.is("[") || t.is("{"):
			depth++
		case (t.is(")") || t.is("]") || t.is("}")) && depth > 0:
			depth--
		case t.is(")"):
			args = append(args, cur)
			if len(m.params) == 0 && len(args) == 1 && len(args[0]) == 0 {
				args = nil
			}
			if len(args) < len(m.params) && m.variadic && len(args) == len(m.params)-1 {
				args = append(args, nil) // an empty variadic part
			}
			if len(args) != len(m.params) {
				return nil, 0, fmt.Errorf("macro %s takes %d arguments, not %d", m.name, len(m.params), len(args))
			}
			return args, i, nil
		case t.is(",") && depth == 0 && !(m.variadic && len(args) == len(m.params)-1):
			args, cur = append(args, cur), nil
			continue
		}
		cur = append(cur, t)
	}
	return nil, 0, fmt.Errorf("the call of macro %s has no )", m.name)
}

// subst makes m's replacement: its body with the arguments in place,
// # and ## applied, every token hidden from hs.
func (e expander) subst(m *macro, args [][]token, hs *hideset, space bool) ([]token, error) {
	var out []token
	body := m.body
	for i := 0; i < len(body); i++ {
		t := body[i]
		if m.fn && t.is("#") && i+1 < len(body) && m.param(body[i+1]) >= 0 {
			out = append(out, token{kind: tString, text: stringify(args[m.param(body[i+1])]), space: t.space})
			i++
			continue
		}
		if t.is("##") && i+1 < len(body) {
			i++
			rhs := []token{body[i]}
			if k := m.param(body[i]); k >= 0 {
				rhs = args[k]
				if len(rhs) == 0 && m.variadic && k == len(m.params)-1 && len(out) > 0 && out[len(out)-1].is(",") {
					out = out[:len(out)-1] // GNU's `, ## __VA_ARGS__` with no arguments
					continue
				}
			}
			out = paste(out, rhs)
			continue
		}
		if k := m.param(t); k >= 0 {
			arg := args[k]
			if i+1 >= len(body) || !body[i+1].is("##") {
				var err error
				if arg, err = e.expand(arg); err != nil {
					return nil, err
				}
			}
			for j, a := range arg {
				if j == 0 {
					a.space = t.space
				}
				out = append(out, a)
			}
			continue
		}
		if m.fn && t.kind == tIdent && t.text == "__VA_OPT__" && m.variadic && i+1 < len(body) && body[i+1].is("(") {
			n := operandLen(body[i+1:])
			if len(args[len(args)-1]) > 0 {
				inner := &macro{name: m.name, fn: true, params: m.params, variadic: true, body: body[i+2 : i+n]}
				sub, err := e.subst(inner, args, nil, t.space)
				if err != nil {
					return nil, err
				}
				out = append(out, sub...)
			}
			i += n
			continue
		}
		out = append(out, t)
	}
	for i := range out {
		out[i].hide = out[i].hide.union(hs)
	}
	if len(out) > 0 {
		out[0].space = space
	}
	return out, nil
}

// paste joins the last token of out and the first of rhs into one (##).
func paste(out, rhs []token) []token {
	if len(rhs) == 0 {
		return out
	}
	if len(out) == 0 {
		return append(out, rhs...)
	}
	last := out[len(out)-1]
	joined := lex(last.text + rhs[0].text)
	if len(joined) == 1 {
		joined[0].space = last.space
		out[len(out)-1] = joined[0]
		return append(out, rhs[1:]...)
	}
	return append(out, rhs...)
}

// stringify makes a string literal of an argument (#).
func stringify(arg []token) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, t := range arg {
		if i > 0 && t.space {
			b.WriteByte(' ')
		}
		if t.kind == tString || t.kind == tChar {
			b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(t.text))
		} else {
			b.WriteString(t.text)
		}
	}
	b.WriteByte('"')
	return b.String()
}

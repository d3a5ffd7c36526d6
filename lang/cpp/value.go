package cpp

import (
	"strconv"
	"strings"
	"time"
)

// Int returns the value of name: the integer its macro expands to, when
// that is a constant expression (casts to known types applied, others
// ignored), or the value of an enum constant of the headers read.
func (p *Preprocessor) Int(name string) (int64, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r, ok := p.values[name]; ok {
		return r.v, r.ok
	}
	var r valueResult
	p.start = time.Now()
	if v, err := p.eval([]token{{kind: tIdent, text: name}}); err == nil {
		r = valueResult{v: int64(v.v), ok: true}
	}
	p.values[name] = r
	return r.v, r.ok
}

// Defined reports whether name is a macro.
func (p *Preprocessor) Defined(name string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.macros[name] != nil
}

// eval expands and evaluates an expression of a constant (not #if's rules).
func (p *Preprocessor) eval(toks []token) (val, error) {
	p.startExpansion()
	toks, err := expander{p: p}.expand(toks)
	if err != nil {
		return val{}, err
	}
	e := &evaluator{p: p, toks: toks}
	return e.eval()
}

// isValueName reports whether a name left after expansion stands for a
// value (an enum constant) rather than a type.
func (p *Preprocessor) isValueName(name string) bool {
	_, ok := p.enums[name]
	return ok || name == "sizeof"
}

// String returns the value of name when its macro expands to string
// literals, which C joins into one: #define GREETING "hello, " "world".
func (p *Preprocessor) String(name string) (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.macros[name] == nil {
		return "", false
	}
	p.startExpansion()
	p.start = time.Now()
	toks, err := expander{p: p}.expand([]token{{kind: tIdent, text: name}})
	if err != nil || len(toks) == 0 {
		return "", false
	}
	var b strings.Builder
	for _, t := range toks {
		if t.kind != tString || !strings.HasPrefix(t.text, `"`) {
			return "", false
		}
		s, err := strconv.Unquote(t.text)
		if err != nil {
			return "", false
		}
		b.WriteString(s)
	}
	return b.String(), true
}

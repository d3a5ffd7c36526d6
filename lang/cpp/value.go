package cpp

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
	p.steps = 0
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

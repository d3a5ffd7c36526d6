package cpp

import "fmt"

// condition evaluates the condition of #if, #ifdef, #ifndef, #elif,
// #elifdef or #elifndef, in a file of dir found in p.dirs[dirIdx].
func (p *Preprocessor) condition(l *line, dir string, dirIdx int) (bool, error) {
	switch l.name {
	case "ifdef", "ifndef", "elifdef", "elifndef":
		if len(l.toks) == 0 || l.toks[0].kind != tIdent {
			return false, fmt.Errorf("#%s needs a macro name", l.name)
		}
		defined := p.macros[l.toks[0].text] != nil
		return defined == (l.name == "ifdef" || l.name == "elifdef"), nil
	}
	p.startExpansion()
	toks, err := expander{p: p, inIf: true}.expand(l.toks)
	if err != nil {
		return false, err
	}
	e := &evaluator{p: p, toks: toks, inIf: true, fromDir: dir, next: dirIdx + 1}
	v, err := e.eval()
	if err != nil {
		return false, fmt.Errorf("#%s %s: %v", l.name, l.rest, err)
	}
	return v.v != 0, nil
}

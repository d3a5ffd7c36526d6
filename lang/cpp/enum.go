package cpp

// enumScanner finds `enum [TAG] { NAME [= VALUE], ... }` in a header's
// text and records its constants, which glibc's headers use beside
// macros (`enum { IPPROTO_TCP = 6, #define IPPROTO_TCP IPPROTO_TCP`).
type enumScanner struct {
	state int // 0: looking for enum, 1: after enum, 2: after its tag, 3: in its braces
	depth int
	body  []token
}

// scan reads the tokens of one active text line.
func (s *enumScanner) scan(p *Preprocessor, toks []token) error {
	for _, t := range toks {
		switch s.state {
		case 0:
			if t.kind == tIdent && t.text == "enum" {
				s.state = 1
			}
		case 1, 2:
			switch {
			case t.is("{"):
				s.state, s.depth, s.body = 3, 0, s.body[:0]
			case t.kind == tIdent && s.state == 1:
				s.state = 2
			default:
				s.state = 0
			}
		case 3:
			switch {
			case t.is("(") || t.is("{") || t.is("["):
				s.depth++
			case t.is(")") || t.is("]") || t.is("}") && s.depth > 0:
				s.depth--
			case t.is("}"):
				s.state = 0
				s.define(p)
				continue
			}
			s.body = append(s.body, t)
		}
	}
	return nil
}

// define records the constants of an enum's body. A constant whose value
// cannot be computed is left out, and so are the ones counting from it.
func (s *enumScanner) define(p *Preprocessor) {
	next, known := val{}, true
	var item []token
	depth := 0
	flush := func() {
		if len(item) == 0 || item[0].kind != tIdent {
			item = item[:0]
			return
		}
		name := item[0].text
		eq := -1
		for i, t := range item {
			if t.is("=") {
				eq = i
				break
			}
		}
		if eq >= 0 {
			v, err := p.eval(item[eq+1:])
			next, known = v, err == nil
		}
		if known {
			p.enums[name] = val{v: next.v, unsigned: next.unsigned, long: next.long}
			next.v++
			next = next.norm()
		}
		item = item[:0]
	}
	for _, t := range s.body {
		switch {
		case t.is("(") || t.is("[") || t.is("{"):
			depth++
		case t.is(")") || t.is("]") || t.is("}"):
			depth--
		case t.is(",") && depth == 0:
			flush()
			continue
		}
		item = append(item, t)
	}
	flush()
}

package lang

import (
	"slices"
	"strings"
)

// What the REPL's completion needs from the checker: the members that may
// follow a `.` or `->` typed after an expression of an unfinished entry.

// Members lists the names that may follow the `.` or `->` that ends text,
// an unfinished entry as typed: the fields of the struct (or the struct a
// pointer points to), record or tuple the expression before it is, or the
// args of the probe's attach points. The expression is typed where it
// stands: in its probe, after the statements before it (which type its
// $variables), with the maps of prior, the entries typed before. stmts
// says text is bare statements, which run as a BEGIN probe. The list is
// nil when the expression has no members or cannot be typed.
func Members(prior []*Program, text string, stmts bool, env Env, cfg Config) []string {
	x, ok := strings.CutSuffix(text, "->")
	if !ok {
		if x, ok = strings.CutSuffix(text, "."); !ok {
			return nil
		}
	}
	start := operandStart(x)
	if start == len(x) {
		return nil
	}
	src, ok := memberProbe(x, start, stmts)
	if !ok {
		return nil
	}
	s := NewSource("completion", src)
	var prog *Program
	var err error
	if stmts {
		prog, err = ParseStatements(s)
	} else {
		prog, err = Parse(s)
	}
	if err != nil || prog == nil {
		return nil
	}
	// The operand is the last expression statement: only closers follow.
	var target Expr
	var probe *Probe
	for _, p := range prog.Probes {
		Inspect(p, func(n Node) bool {
			if st, ok := n.(*ExprStmt); ok && (target == nil || st.Pos.Offset >= target.Start().Offset) {
				target, probe = st.X, p
			}
			return true
		})
	}
	if target == nil {
		return nil
	}
	info, _ := Check(Combine(append(slices.Clone(prior), prog)...), env, cfg)
	if info == nil {
		return nil
	}
	t := info.Types[target]
	if id, ok := target.(*Ident); ok && id.Name == "args" {
		t = &Type{Kind: KindCtx} // args alone is an error, args.NAME is not
	}
	if t == nil {
		return nil
	}
	return memberNames(t, probe, info, env)
}

// memberProbe makes an entry that ends with the operand text[start:] as
// a statement of its own, where it stands: the statement it is part of
// is cut at the operand, and the blocks open are closed. The operand of a
// probe's predicate is typed in the probe's body.
func memberProbe(text string, start int, stmts bool) (string, bool) {
	operand := text[start:]
	cut, depth, slash := 0, 0, -1
	for i := 0; i < start; i++ {
		switch c := text[i]; {
		case c == '"':
			for i++; i < start && text[i] != '"'; i++ {
				if text[i] == '\\' {
					i++
				}
			}
		case strings.HasPrefix(text[i:], "//"):
			for i < start && text[i] != '\n' {
				i++
			}
		case strings.HasPrefix(text[i:], "/*"):
			end := strings.Index(text[i+2:start], "*/")
			if end < 0 {
				return "", false
			}
			i += end + 3
		case c == '/' && depth == 0 && slash < 0:
			slash = i
		case c == '{':
			depth++
			cut = i + 1
		case c == '}':
			depth--
			cut = i + 1
		case c == ';':
			cut = i + 1
		}
	}
	if depth < 0 {
		return "", false
	}
	if depth == 0 && !stmts {
		if slash < 0 {
			return "", false // not in a probe
		}
		return text[:slash] + "{ " + operand + ";\n}", true
	}
	return text[:cut] + " " + operand + ";" + strings.Repeat("\n}", depth), true
}

// operandStart returns where the expression that ends text begins: a
// name, variable or map, or a bracketed group, followed by calls,
// subscripts and members (`((struct sock *)arg0)`, `$t->real_parent`,
// `@m[tid].x`). It returns len(text) when text ends with none.
func operandStart(text string) int {
	start := len(text)
	for i := len(text); ; {
		j := i
		switch {
		case j > 0 && text[j-1] == ']':
			// A subscript: what it subscripts comes before it.
			if i = opener(text, j-1); i < 0 {
				return start
			}
			continue
		case j > 0 && text[j-1] == ')':
			if j = opener(text, j-1); j < 0 {
				return start
			}
			j = nameStart(text, j) // a call's name, if it is one
		default:
			if j = nameStart(text, i); j == i {
				return start
			}
		}
		start = j
		switch {
		case strings.HasSuffix(text[:j], "->"):
			i = j - 2
		case strings.HasSuffix(text[:j], "."):
			i = j - 1
		default:
			return start
		}
	}
}

// nameStart returns where the name (an identifier, $variable or @map)
// that ends text[:end] begins.
func nameStart(text string, end int) int {
	i := end
	for i > 0 {
		c := text[i-1]
		if c == '_' || c == '$' || c == '@' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			i--
			continue
		}
		break
	}
	return i
}

// opener returns the offset of the bracket that the closer at close
// closes, or -1.
func opener(text string, close int) int {
	depth := 0
	for i := close; i >= 0; i-- {
		switch text[i] {
		case ')', ']':
			depth++
		case '(', '[':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// memberNames lists the members of a value of type t in probe: a
// tracepoint's args (those all its attach points have), a struct's
// fields (through a pointer, and through anonymous members), a record's
// or a tuple's.
func memberNames(t *Type, probe *Probe, info *Info, env Env) []string {
	if t.Kind == KindCtx {
		var names []string
		for i, ap := range probe.Points {
			tf := info.Tracepoints[ap]
			if tf == nil {
				return nil
			}
			var these []string
			for _, f := range tf.Fields {
				if i == 0 || slices.Contains(names, f.Name) {
					these = append(these, f.Name)
				}
			}
			names = these
		}
		return names
	}
	if t.Kind == KindPointer && t.Elem != nil && t.Elem.Kind == KindStruct {
		t = t.Elem
	}
	switch t.Kind {
	case KindStruct:
		return (&checker{env: env}).fieldNames(t)
	case KindTuple, KindRecord:
		names := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			names[i] = f.Name
		}
		return names
	}
	return nil
}

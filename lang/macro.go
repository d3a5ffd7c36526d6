package lang

import (
	"fmt"
	"strconv"
	"strings"
)

// maxMacroDepth bounds macros that expand into themselves.
const maxMacroDepth = 64

// expandMacros replaces every call of a macro (`name(args)`, `name!(args)`,
// or a bare `name` for a macro without parameters) by a block expression
// holding a copy of the macro's body. Parameters are substituted: `$x`
// takes a scratch variable, `@m` a map, `x` any expression (copied at each
// use). The body's own variables are renamed so they cannot clash with the
// caller's: macros are hygienic.
func expandMacros(prog *Program, diags *Diagnostics) {
	if len(prog.Macros) == 0 {
		return
	}
	x := &expander{src: prog.Src, diags: diags, macros: map[string][]*Macro{},
		bodies: map[*Macro]bodyShape{}, known: map[Expr]shape{}, made: map[Expr]string{}}
	for _, m := range prog.Macros {
		// Macros of one name differ by their number of parameters.
		if prev := x.lookup(m.Name, len(m.Params)); prev != nil {
			start, end := macroName(prog.Src, m)
			d := diags.AddSpan(prog.Src.For(m), start, end, "macro %s is defined twice", m.Name)
			d.Hint = fmt.Sprintf("the first definition is at %s", prev.Pos)
			continue
		}
		x.macros[m.Name] = append(x.macros[m.Name], m)
	}
	for _, p := range prog.Probes {
		rewriteExprs(p, x.expand)
		if x.count > 0 {
			x.checkExpandedNesting(p)
		}
	}
}

// macroName is where m's name is written: the byte offsets of its
// first occurrence after the keyword.
func macroName(src *Source, m *Macro) (int, int) {
	from := m.Start().Offset
	text := src.For(m).Snippet(from, m.End().Offset)
	if i := strings.Index(text[min(len("macro"), len(text)):], m.Name); i >= 0 {
		start := from + len("macro") + i
		return start, start + len(m.Name)
	}
	return from, m.End().Offset
}

type expander struct {
	src    *Source
	diags  *Diagnostics
	macros map[string][]*Macro // by name, of different numbers of parameters
	depth  int
	count  int
	stack  []string // the macros being expanded, outermost first

	// The budget (MaxMacroNodes): the nodes made so far, and whether a
	// call went past it.
	nodes      int
	overBudget bool
	bodies     map[*Macro]bodyShape
	// known holds the shapes of the trees expanding made: the block
	// expressions, which made names the macro of, and the copies of
	// arguments in them.
	known map[Expr]shape
	made  map[Expr]string
}

// expand replaces e when it calls a macro.
func (x *expander) expand(e Expr) Expr {
	var name string
	var args []Expr
	switch e := e.(type) {
	case *Call:
		name, args = e.Name, e.Args
	case *Ident:
		if x.lookup(e.Name, 0) == nil {
			return e
		}
		name = e.Name
	default:
		return e
	}
	if len(x.macros[name]) == 0 {
		return e
	}
	m := x.lookup(name, len(args))
	if m == nil {
		// A builtin or function of the name takes the call that no
		// macro of the name takes, as bpftrace's standard library's.
		if lookupBuiltin(name) == BuiltinInvalid && lookupFunc(name) == FuncInvalid {
			x.diags.Add(x.src, e, "macro %s takes %s, not %d", name, x.arities(name), len(args))
		}
		return e
	}
	for i, caller := range x.stack {
		if caller == name {
			if len(x.stack[i:]) == 1 {
				x.diags.Add(x.src, e, "macro %s calls itself; macros cannot be recursive", name)
			} else {
				chain := strings.Join(append(x.stack[i:len(x.stack):len(x.stack)], name), " -> ")
				x.diags.Add(x.src, e, "macro %s calls itself through %s; macros cannot be recursive", name, chain)
			}
			return e
		}
	}
	if x.depth >= maxMacroDepth {
		x.diags.Add(x.src, e, "macro %s expands too deeply (more than %d levels): does it call itself?", name, maxMacroDepth)
		return e
	}
	shapes, ok := x.spend(e, m, args)
	if !ok {
		return e
	}
	x.count++
	sub := substitution{vars: map[string]string{}, maps: map[string]string{}, exprs: map[string]Expr{}}
	for i, p := range m.Params {
		switch {
		case strings.HasPrefix(p, "$"):
			v, ok := args[i].(*Var)
			if !ok {
				x.diags.Add(x.src, args[i], "macro %s takes a scratch variable for %s", name, p)
				return e
			}
			sub.vars[p] = v.Name
		case strings.HasPrefix(p, "@"):
			mp, ok := args[i].(*MapExpr)
			if !ok || mp.Keys != nil {
				x.diags.Add(x.src, args[i], "macro %s takes a map for %s", name, p)
				return e
			}
			sub.maps[p] = mp.Name
		default:
			sub.exprs[p] = args[i]
		}
	}
	body := cloneBlock(m.Body)
	suffix := fmt.Sprintf("__%s%d", name, x.count)
	bad := false
	// A parameter written where a type goes stands for the type its
	// argument names (typeof(...)) or, for any other argument, for the
	// argument's type.
	asType := func(te *TypeExpr) *TypeExpr {
		arg, ok := sub.exprs[te.Name]
		if !ok || te.Of != nil || te.OfX != nil {
			return te
		}
		n := &TypeExpr{Span: te.Span, Suffixes: te.Suffixes}
		if tof, ok := arg.(*TypeofExpr); ok {
			n.Of = cloneType(tof.Type)
		} else {
			c := cloneExpr(arg)
			x.known[c] = shapes[te.Name]
			n.OfX = c
		}
		return n
	}
	rewriteTree(body, func(n Expr) Expr {
		switch n := n.(type) {
		case *Var:
			if to, ok := sub.vars[n.Name]; ok {
				n.Name = to
			} else {
				n.Name += suffix
			}
		case *MapExpr:
			to, ok := sub.maps[n.Name]
			if !ok {
				x.diags.Add(x.src, n, "macro %s uses %s, which is not one of its parameters", name, n.Name)
				bad = true
				return n
			}
			n.Name = to
		case *Ident:
			if arg, ok := sub.exprs[n.Name]; ok {
				c := cloneExpr(arg)
				x.known[c] = shapes[n.Name]
				return c
			}
		}
		return n
	}, asType)
	renameDecls(body, sub, suffix)
	if bad {
		return e
	}
	// Macros used in the body expand too.
	x.depth++
	x.stack = append(x.stack, name)
	rewriteExprs(body, x.expand)
	x.stack = x.stack[:len(x.stack)-1]
	x.depth--
	be := blockToExpr(body)
	be.Span, be.Macro = Span{e.Start(), e.End()}, name
	s := x.shapeOf(be, maxNesting)
	if s.levels > maxNesting {
		x.diags.Add(x.src, e, "%s", x.tooDeepMsg(name))
		return e
	}
	x.known[be], x.made[be] = s, name
	return be
}

// lookup returns the macro called name that takes n arguments, or nil.
func (x *expander) lookup(name string, n int) *Macro {
	for _, m := range x.macros[name] {
		if len(m.Params) == n {
			return m
		}
	}
	return nil
}

// arities says how many arguments the macros called name take.
func (x *expander) arities(name string) string {
	ms := x.macros[name]
	if len(ms) == 1 {
		return plural(len(ms[0].Params), "argument")
	}
	var ns []string
	for _, m := range ms {
		ns = append(ns, strconv.Itoa(len(m.Params)))
	}
	return strings.Join(ns, " or ") + " arguments"
}

type substitution struct {
	vars  map[string]string
	maps  map[string]string
	exprs map[string]Expr
}

// renameDecls renames the variables that let and for declare in a macro
// body, as the expressions using them were.
func renameDecls(b *Block, sub substitution, suffix string) {
	Inspect(b, func(n Node) bool {
		var d *VarDecl
		switch n := n.(type) {
		case *LetStmt:
			d = n.Var
		case *ForStmt:
			d = n.Var
		}
		if d != nil {
			if to, ok := sub.vars[d.Name]; ok {
				d.Name = to
			} else {
				d.Name += suffix
			}
		}
		return true
	})
}

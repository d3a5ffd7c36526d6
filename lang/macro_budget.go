package lang

import (
	"fmt"
	"strings"
)

// MaxMacroNodes bounds the syntax tree nodes that expanding a script's
// macros may create. Each call copies its macro's body, and its arguments
// into the body at each use, so macros that call the next one twice
// double at each level: 41 such macros would make 2^41 copies. Real
// scripts make a few thousand nodes; a script that would pass the bound
// is refused at the call that passes it.
const MaxMacroNodes = 250_000

// maxMacroNodes is the budget in force: MaxMacroNodes, but for tests,
// which lower it to go past it cheaply.
var maxMacroNodes = MaxMacroNodes

// shape is what the expander knows of a tree: its nodes, and its levels
// of nesting, counted as the parser counts them (nestingLevel).
type shape struct {
	nodes, levels int
	// deep is the outermost tree a macro made on a path that nests more
	// levels than the measure allowed; nil when none does.
	deep Expr
}

// bodyShape is what expanding a macro copies: its body's nodes, and how
// often the body uses each parameter that takes an expression.
type bodyShape struct {
	nodes int
	uses  map[string]int
}

// body measures m's body, once per macro.
func (x *expander) body(m *Macro) bodyShape {
	if b, ok := x.bodies[m]; ok {
		return b
	}
	b := bodyShape{uses: map[string]int{}}
	Inspect(m.Body, func(n Node) bool {
		b.nodes++
		if id, ok := n.(*Ident); ok {
			for _, p := range m.Params {
				if id.Name == p {
					b.uses[p]++
				}
			}
		}
		return true
	})
	x.bodies[m] = b
	return b
}

// spend counts the nodes expanding call e of macro m with args creates,
// before they are created, and reports whether the budget allows them,
// with the shapes of the arguments the body uses. The first call past the
// budget is an error; later calls are left unexpanded without one. An
// argument nested too deep is refused before it is copied.
func (x *expander) spend(e Expr, m *Macro, args []Expr) (map[string]shape, bool) {
	if x.overBudget {
		return nil, false
	}
	b := x.body(m)
	cost := b.nodes
	shapes := map[string]shape{}
	for i, p := range m.Params {
		if n := b.uses[p]; n > 0 {
			s := x.shapeOf(args[i], maxNesting)
			if s.levels > maxNesting {
				x.diags.Add(x.src, e, "%s", x.tooDeepMsg(m.Name))
				return nil, false
			}
			shapes[p] = s
			cost += n * s.nodes
		}
	}
	if x.nodes+cost <= maxMacroNodes {
		x.nodes += cost
		return shapes, true
	}
	x.overBudget = true
	d := x.diags.Add(x.src, e, "expanding macro %s here would make more than %d syntax tree nodes, hawk's limit for a script's macros", m.Name, maxMacroNodes)
	d.Hint = "each call copies the macro's body: macros that call others several times multiply"
	if len(x.stack) > 0 {
		d.Hint += " (here inside " + strings.Join(x.stack, " -> ") + ")"
	}
	return nil, false
}

// tooDeepMsg is the message for a call of macro name that makes the code
// nest deeper than MaxNesting.
func (x *expander) tooDeepMsg(name string) string {
	return fmt.Sprintf("macro %s expands into code nested too deep: more than %d levels of blocks, parentheses and operators", name, maxNesting)
}

// shapeOf measures the tree n, which may sit room levels deep at most.
// Trees the expander made, and the copies of arguments it put into them,
// are measured once and remembered; a tree is not walked deeper than room
// allows, so that measuring is never deeper than MaxNesting.
func (x *expander) shapeOf(n Node, room int) shape {
	if e, ok := n.(Expr); ok {
		if s, ok := x.known[e]; ok {
			if _, made := x.made[e]; made && s.levels > room {
				s.deep = e
			}
			return s
		}
	}
	own := nestingLevel(n)
	s := shape{nodes: 1, levels: own}
	if own > room {
		return s
	}
	deepest := 0
	Inspect(n, func(c Node) bool {
		if c == n {
			return true
		}
		elseIf := 0
		if _, ok := n.(*IfStmt); ok {
			if _, ok := c.(*IfStmt); ok {
				elseIf = 1
			}
		}
		cs := x.shapeOf(c, room-own-elseIf)
		s.nodes += cs.nodes
		deepest = max(deepest, cs.levels+elseIf)
		if s.deep == nil && cs.levels+elseIf > room-own {
			s.deep = cs.deep
		}
		return false // cs is its children's
	})
	s.levels += deepest
	return s
}

// nestingLevel is the level of nesting that n adds, as the parser counts
// it (MaxNesting): a block, an operator, a call; a statement adds none,
// but the if of an else-if one (shapeOf).  Parentheses around an expression leave no node: the levels
// of a parsed tree are at most the parser's count.
func nestingLevel(n Node) int {
	switch n := n.(type) {
	case *Block, *BlockExpr, *BinaryExpr, *UnaryExpr, *CondExpr, *Call, *FieldExpr, *IndexExpr,
		*CastExpr, *TupleExpr, *RecordExpr, *SizeofExpr, *OffsetofExpr, *TypeofExpr:
		return 1
	case *MapExpr:
		if n.Keys != nil {
			return 1
		}
	}
	return 0
}

// checkExpandedNesting reports where the trees macros made, put where
// they were called, nest deeper than MaxNesting.
func (x *expander) checkExpandedNesting(p *Probe) {
	s := x.shapeOf(p, maxNesting)
	if s.levels <= maxNesting {
		return
	}
	if s.deep == nil {
		x.diags.Add(x.src, p, "%s", tooDeep())
		return
	}
	x.diags.Add(x.src, s.deep, "%s", x.tooDeepMsg(x.made[s.deep]))
}

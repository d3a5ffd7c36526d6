package lang

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Fprint writes prog as an indented tree, one node a line, in the style of
// bpftrace's -d ast. With info, expressions show their types.
func Fprint(w io.Writer, prog *Program, info *Info) {
	p := &printer{w: w, info: info}
	p.line(0, "Program")
	for _, d := range prog.Directives {
		p.line(1, "directive: %s", d.Text)
	}
	for _, pr := range prog.Probes {
		names := make([]string, len(pr.Points))
		for i, ap := range pr.Points {
			names[i] = ap.Raw
		}
		p.line(1, "%s", strings.Join(names, ","))
		if pr.Pred != nil {
			p.line(2, "pred")
			p.expr(3, pr.Pred.Cond)
		}
		p.block(2, pr.Body)
	}
}

type printer struct {
	w    io.Writer
	info *Info
}

func (p *printer) line(depth int, format string, args ...any) {
	fmt.Fprintf(p.w, "%s%s\n", strings.Repeat(" ", depth), fmt.Sprintf(format, args...))
}

func (p *printer) block(depth int, b *Block) {
	for _, s := range b.Stmts {
		p.stmt(depth, s)
	}
}

func (p *printer) stmt(depth int, s Stmt) {
	switch s := s.(type) {
	case *IfStmt:
		p.line(depth, "if")
		p.expr(depth+1, s.Cond)
		p.line(depth+1, "then")
		p.block(depth+2, s.Then)
		if s.Else != nil {
			p.line(depth+1, "else")
			if s.Else.If != nil {
				p.stmt(depth+2, s.Else.If)
			} else {
				p.block(depth+2, s.Else.Block)
			}
		}
	case *ExprStmt:
		if s.Op == "" {
			p.expr(depth, s.X)
			return
		}
		p.line(depth, "%s", s.Op)
		p.expr(depth+1, s.X)
		p.expr(depth+1, s.Value)
	}
}

func (p *printer) typed(depth int, e Expr, format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	if p.info != nil {
		if t, ok := p.info.Types[e]; ok && t.Kind != KindVoid {
			text += " :: " + t.String()
		}
	}
	p.line(depth, "%s", text)
}

func (p *printer) expr(depth int, e Expr) {
	switch e := e.(type) {
	case *IntLit:
		p.typed(depth, e, "int: %s", e.Text)
	case *StrLit:
		p.typed(depth, e, "string: %s", strings.Trim(strconv.Quote(e.Value), `"`))
	case *Ident:
		p.typed(depth, e, "builtin: %s", e.Name)
	case *Var:
		p.typed(depth, e, "variable: %s", e.Name)
	case *Param:
		if e.N == 0 {
			p.typed(depth, e, "param: $#")
		} else {
			p.typed(depth, e, "param: $%d", e.N)
		}
	case *MapExpr:
		p.typed(depth, e, "map: %s", e.Name)
		for _, k := range e.Keys {
			p.expr(depth+1, k)
		}
	case *Call:
		p.typed(depth, e, "call: %s", e.Name)
		for _, a := range e.Args {
			p.expr(depth+1, a)
		}
	case *FieldExpr:
		op := "."
		if e.Arrow {
			op = "->"
		}
		p.typed(depth, e, "%s%s", op, e.Field)
		p.expr(depth+1, e.X)
	case *UnaryExpr:
		if e.Op == OpPostInc || e.Op == OpPostDec {
			p.typed(depth, e, "post %s", e.Op)
		} else {
			p.typed(depth, e, "%s", e.Op)
		}
		p.expr(depth+1, e.X)
	case *BinaryExpr:
		p.typed(depth, e, "%s", e.Op)
		p.expr(depth+1, e.X)
		p.expr(depth+1, e.Y)
	case *CondExpr:
		p.typed(depth, e, "?:")
		p.expr(depth+1, e.Cond)
		p.expr(depth+1, e.Then)
		p.expr(depth+1, e.Else)
	}
}

package lang

import (
	"cmp"
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
	for _, it := range prog.Items {
		p.item(it)
	}
}

func (p *printer) item(it Item) {
	switch it := it.(type) {
	case *ConfigBlock:
		p.line(1, "config")
		for _, e := range it.Entries {
			p.line(2, "%s = %s", e.Name, e.Value)
		}
	case *Import:
		p.line(1, "import %s", it.Path)
	case *MapDecl:
		p.line(1, "let %s = %s(%s)", it.Name, it.Kind, it.MaxEntries)
	case *Macro:
		p.line(1, "macro %s(%s)", it.Name, strings.Join(it.Params, ", "))
		p.block(2, it.Body)
	case *StructDecl:
		kind := "struct"
		if it.Union {
			kind = "union"
		}
		p.line(1, "%s %s%s", kind, it.Name, printAttrs(it.Attrs))
		if it.Body != nil {
			p.cbody(2, it.Body)
		}
	case *EnumDecl:
		p.line(1, "enum %s", cmp.Or(it.Name, "(anonymous)"))
		for _, m := range it.Members {
			p.line(2, "%s", m.Name)
			if m.Value != nil {
				p.expr(3, m.Value)
			}
		}
	case *Probe:
		names := make([]string, len(it.Points))
		for i, ap := range it.Points {
			names[i] = ap.Raw
		}
		p.line(1, "%s", strings.Join(names, ","))
		if it.Pred != nil {
			p.line(2, "pred")
			p.expr(3, it.Pred.Cond)
		}
		p.block(2, it.Body)
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
		if s.Comptime {
			p.line(depth, "if comptime")
		} else {
			p.line(depth, "if")
		}
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
	case *LetStmt:
		text := "let " + s.Var.Name
		if s.Type != nil {
			text += ": " + s.Type.String()
		}
		p.line(depth, "%s", text)
		p.typeOperands(depth+1, s.Type)
		if s.Value != nil {
			p.expr(depth+1, s.Value)
		}
	case *WhileStmt:
		p.line(depth, "while")
		p.expr(depth+1, s.Cond)
		p.block(depth+1, s.Body)
	case *UnrollStmt:
		p.line(depth, "unroll")
		p.expr(depth+1, s.Count)
		p.block(depth+1, s.Body)
	case *ForStmt:
		p.line(depth, "for %s", s.Var.Name)
		p.expr(depth+1, s.From)
		if s.To != nil {
			p.line(depth+1, "..")
			p.expr(depth+1, s.To)
		}
		p.block(depth+1, s.Body)
	case *JumpStmt:
		p.line(depth, "%s", s.Kind)
		if s.Value != nil {
			p.expr(depth+1, s.Value)
		}
	case *BlockStmt:
		p.line(depth, "block")
		p.block(depth+1, s.Block)
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

// typeOperands prints the expressions of the typeofs in a written type.
func (p *printer) typeOperands(depth int, te *TypeExpr) {
	for ; te != nil; te = te.Of {
		if te.OfX != nil {
			p.expr(depth, te.OfX)
		}
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
		if e.Then == nil {
			p.typed(depth, e, "?: (x ?: y)")
			p.expr(depth+1, e.Cond)
			p.expr(depth+1, e.Else)
			break
		}
		p.typed(depth, e, "?:")
		p.expr(depth+1, e.Cond)
		p.expr(depth+1, e.Then)
		p.expr(depth+1, e.Else)
	case *IndexExpr:
		p.typed(depth, e, "[]")
		p.expr(depth+1, e.X)
		p.expr(depth+1, e.Index)
	case *CastExpr:
		p.typed(depth, e, "(%s)", e.Type)
		p.typeOperands(depth+1, e.Type)
		p.expr(depth+1, e.X)
	case *TupleExpr:
		p.typed(depth, e, "tuple")
		for _, x := range e.Elems {
			p.expr(depth+1, x)
		}
	case *RecordExpr:
		p.typed(depth, e, "record")
		for i, x := range e.Elems {
			p.line(depth+1, "%s =", e.Names[i])
			p.expr(depth+2, x)
		}
	case *SizeofExpr:
		if e.Type != nil {
			p.typed(depth, e, "sizeof %s", e.Type)
			p.typeOperands(depth+1, e.Type)
		} else {
			p.typed(depth, e, "sizeof")
			p.expr(depth+1, e.X)
		}
	case *TypeofExpr:
		p.typed(depth, e, "%s", e.Type)
		p.typeOperands(depth+1, e.Type)
	case *OffsetofExpr:
		path := strings.Join(e.Path, ".")
		if e.Type != nil {
			p.typed(depth, e, "offsetof %s, %s", e.Type, path)
		} else {
			p.typed(depth, e, "offsetof %s", path)
			p.expr(depth+1, e.X)
		}
	case *BlockExpr:
		p.typed(depth, e, "block")
		for _, s := range e.Stmts {
			p.stmt(depth+1, s)
		}
		if e.Value != nil {
			p.expr(depth+1, e.Value)
		}
	}
}

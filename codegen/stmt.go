package codegen

import (
	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

func (g *gen) block(b *lang.Block) {
	for _, s := range b.Stmts {
		g.stmt(s)
	}
}

// stmt compiles one statement. Temporaries live until it ends.
func (g *gen) stmt(s lang.Stmt) {
	fm, sm := g.frame.mark(), g.scratch.mark()
	defer func() {
		g.frame.release(fm)
		g.scratch.release(sm)
		if g.regs.anyVolatileBusy() {
			internal("a volatile register is still held after a statement")
		}
	}()
	switch s := s.(type) {
	case *lang.IfStmt:
		g.ifStmt(s)
	case *lang.ExprStmt:
		g.setSource(g.src, s)
		if s.Op == "" {
			g.exprStmt(s.X)
			return
		}
		g.assign(s)
	}
}

func (g *gen) ifStmt(s *lang.IfStmt) {
	g.setSource(g.src, s.Cond)
	end, other := g.newLabel("if_end"), g.newLabel("else")
	if s.Else == nil {
		other = end
	}
	g.jumpIf(s.Cond, false, other)
	g.block(s.Then)
	if s.Else != nil {
		g.emit(asm.Ja.Label(end))
		g.place(other)
		if s.Else.If != nil {
			g.stmt(s.Else.If)
		} else {
			g.block(s.Else.Block)
		}
	}
	g.place(end)
}

// exprStmt evaluates an expression for its effects.
func (g *gen) exprStmt(e lang.Expr) {
	switch e := e.(type) {
	case *lang.Call:
		g.callStmt(e)
	case *lang.UnaryExpr:
		if e.Op.IsIncDec() {
			g.incDec(e, 0)
			return
		}
		g.discard(e)
	default:
		g.discard(e)
	}
}

// discard evaluates e and drops its value.
func (g *gen) discard(e lang.Expr) {
	t := g.info.TypeOf(e)
	switch {
	case t.IsScalar():
		g.withHeld(asm.R0, func() { g.scalarTo(e, asm.R0) })
	case t.Kind == lang.KindString:
		g.releaseMem(g.strRef(e))
	}
}

func (g *gen) assign(s *lang.ExprStmt) {
	op, _ := lang.AssignOp(s.Op)
	switch x := s.X.(type) {
	case *lang.MapExpr:
		if call, ok := s.Value.(*lang.Call); ok && (g.info.Funcs[call] == lang.FuncCount || g.info.Funcs[call] == lang.FuncSum) {
			g.aggregate(x, call)
			return
		}
		if op != lang.OpInvalid {
			g.mapUpdateOp(x, op, s.Value, 0, 0, false)
			return
		}
		g.assignMap(x, s.Value)
	case *lang.Var:
		info := g.info.Vars[x]
		home := g.vars[info]
		if !info.Type.IsScalar() {
			g.strTo(s.Value, home, false)
			return
		}
		g.withHeld(asm.R0, func() {
			if op == lang.OpInvalid {
				g.scalarTo(s.Value, asm.R0)
			} else {
				g.varUpdateOp(x, op, s.Value, asm.R0)
			}
			g.storeScalar(home, asm.R0)
		})
	}
}

// varUpdateOp computes $x op y into dst.
func (g *gen) varUpdateOp(x *lang.Var, op lang.Op, y lang.Expr, dst asm.Register) {
	t := g.info.Vars[x].Type
	alu := aluOp(op, lang.Promote(t, g.info.TypeOf(y).ValueType()))
	if k, ok := g.constInt(y); ok && k >= -1<<31 && k < 1<<31 {
		g.scalarTo(x, dst)
		g.emit(alu.Imm(dst, int32(k)))
	} else {
		g.operands(x, y, dst, func(a, b asm.Register) { g.emit(alu.Reg(a, b)) }, commutative(op))
	}
	g.normalize(dst, t)
}

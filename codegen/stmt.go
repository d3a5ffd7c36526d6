package codegen

import (
	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// block compiles a block's statements. It stops once the program is longer
// than the kernel takes (program() reports it), so that a script of
// millions of statements costs no more to refuse than one just past the
// limit.
func (g *gen) block(b *lang.Block) {
	for _, s := range b.Stmts {
		if g.tooLarge() {
			return
		}
		g.stmt(s)
	}
}

// tooLarge reports whether the code emitted so far is more than the kernel
// takes, and remembers it.
func (g *gen) tooLarge() bool {
	if len(g.insns) > MaxInsns {
		g.truncated = true
	}
	return g.truncated
}

// stmt compiles one statement. Temporaries live until it ends.
func (g *gen) stmt(s lang.Stmt) {
	fm, sm, rm := g.frame.mark(), g.scratch.mark(), len(g.stmtRegs)
	busy := g.regs.busy
	defer func() {
		if r := recover(); r != nil {
			panic(r) // keep the first broken invariant
		}
		g.frame.release(fm)
		g.scratch.release(sm)
		for _, r := range g.stmtRegs[rm:] {
			g.regs.free(r)
		}
		g.stmtRegs = g.stmtRegs[:rm]
		for _, r := range volatileRegs {
			if g.regs.busy[r] && !busy[r] {
				internal("register %v is still held after the statement at %s", r, g.src.Pos(s.Start().Offset))
			}
		}
	}()
	switch s := s.(type) {
	case *lang.IfStmt:
		g.ifStmt(s)
	case *lang.LetStmt:
		g.setSource(g.src, s)
		g.letStmt(s)
	case *lang.WhileStmt:
		g.setSource(g.src, s.Cond)
		g.whileStmt(s)
	case *lang.UnrollStmt:
		g.unrollStmt(s)
	case *lang.ForStmt:
		g.setSource(g.src, s.Var)
		if s.To != nil {
			g.forRange(s)
		} else {
			g.forMap(s)
		}
	case *lang.JumpStmt:
		g.setSource(g.src, s)
		g.jump(s)
	case *lang.BlockStmt:
		g.block(s.Block)
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

// letStmt gives a declared variable its first value, or zero.
func (g *gen) letStmt(s *lang.LetStmt) {
	info := g.info.Vars[s.Var]
	home := g.vars[info]
	if s.Value == nil {
		g.zero(home)
		return
	}
	g.storeVar(info, home, s.Value)
}

// storeVar evaluates value into a variable's home.
func (g *gen) storeVar(info *lang.VarInfo, home mem, value lang.Expr) {
	if info.Type.IsScalar() {
		g.withReg(func(r asm.Register) {
			g.scalarTo(value, r)
			g.normalize(r, info.Type)
			g.storeScalar(home, r)
		})
		return
	}
	g.valueTo(value, info.Type, home, keepRest)
}

// blockStmts runs a block expression's statements in their own frame marks.
func (g *gen) blockStmts(e *lang.BlockExpr) {
	for _, s := range e.Stmts {
		g.stmt(s)
	}
}

// exprStmt evaluates an expression for its effects.
func (g *gen) exprStmt(e lang.Expr) {
	switch e := e.(type) {
	case *lang.Call:
		g.callStmt(e)
	case *lang.UnaryExpr:
		if e.Op.IsIncDec() {
			g.incDec(e, 0, false)
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
		g.withReg(func(r asm.Register) { g.scalarTo(e, r) })
	case t.Kind == lang.KindVoid:
		g.eachBranch(e, g.exprStmt)
	default:
		g.releasePlace(g.placeOf(e))
	}
}

func (g *gen) assign(s *lang.ExprStmt) {
	if be, inner, ok := lang.BlockAggregation(s); ok {
		// @m = { stmts; agg(...) }: the statements, then @m = agg(...).
		g.blockStmts(be)
		g.assign(inner)
		return
	}
	op, _ := lang.AssignOp(s.Op)
	switch x := s.X.(type) {
	case *lang.MapExpr:
		if call, ok := s.Value.(*lang.Call); ok && g.info.Funcs[call].IsAggregation() {
			g.aggregate(x, call)
			return
		}
		if op != lang.OpInvalid {
			g.mapUpdateOp(x, op, s.Value, 0, 0, false, false)
			return
		}
		g.assignMap(x, s.Value)
	case *lang.Var:
		info := g.info.Vars[x]
		home := g.vars[info]
		if op == lang.OpInvalid {
			g.storeVar(info, home, s.Value)
			return
		}
		g.withReg(func(r asm.Register) {
			g.varUpdateOp(x, op, s.Value, r)
			g.storeScalar(home, r)
		})
	}
}

// varUpdateOp computes $x op y into dst.
func (g *gen) varUpdateOp(x *lang.Var, op lang.Op, y lang.Expr, dst asm.Register) {
	t := g.info.Vars[x].Type
	opType := t
	if op != lang.OpShl && op != lang.OpShr {
		opType = lang.Promote(t, g.info.TypeOf(y).ValueType())
	}
	// $p += n and $p -= n move a pointer by n of what it points to.
	step := int32(1)
	if op == lang.OpAdd || op == lang.OpSub {
		step = pointerStep(t)
	}
	if k, ok := g.constInt(y); ok && k*int64(step) >= -1<<31 && k*int64(step) < 1<<31 {
		g.scalarTo(x, dst)
		g.aluImm(op, opType, dst, int32(k)*step)
	} else {
		g.operands(x, y, dst, func(a, b asm.Register) {
			if step != 1 {
				g.emit(asm.Mul.Imm(b, step))
			}
			g.aluReg(op, opType, a, b, y)
		}, commutative(op) && step == 1)
	}
	g.normalize(dst, t)
}

// eachBranch compiles what e's value comes from with each: both branches
// of ?:, or a block expression's statements and then its value. It
// reports whether e was one of them.
func (g *gen) eachBranch(e lang.Expr, each func(lang.Expr)) bool {
	switch e := e.(type) {
	case *lang.CondExpr:
		if e.Then == nil {
			internal("x ?: y has a scalar value, not a %s", g.info.TypeOf(e))
		}
		end, other := g.newLabel("cond_end"), g.newLabel("cond_else")
		g.jumpIf(e.Cond, false, other)
		each(e.Then)
		g.emit(asm.Ja.Label(end))
		g.place(other)
		each(e.Else)
		g.place(end)
		return true
	case *lang.BlockExpr:
		g.blockStmts(e)
		if e.Value != nil {
			each(e.Value)
		}
		return true
	}
	return false
}

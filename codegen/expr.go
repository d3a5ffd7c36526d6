package codegen

import (
	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// constInt returns e's value when the checker folded it to an integer.
func (g *gen) constInt(e lang.Expr) (int64, bool) {
	k, ok := g.info.Consts[e]
	if !ok || k.IsStr {
		return 0, false
	}
	return int64(k.Int), true
}

// scalarTo evaluates the integer-like expression e into dst. The caller
// owns dst. If e calls helpers, no other volatile register may hold a live
// value.
func (g *gen) scalarTo(e lang.Expr, dst asm.Register) {
	if !g.regs.busy[dst] {
		internal("scalarTo: destination %v is not held", dst)
	}
	if k, ok := g.constInt(e); ok {
		g.loadImm(dst, k)
		return
	}
	if g.regs.freeVolatile() < minFreeRegs && !leafScalar(e) {
		g.releasingRegs(dst, func() { g.scalarExpr(e, dst) })
		return
	}
	g.scalarExpr(e, dst)
}

// leafScalar reports whether e is read into its destination without
// taking another register.
func leafScalar(e lang.Expr) bool {
	switch e := e.(type) {
	case *lang.Var, *lang.Ident:
		return true
	case *lang.FieldExpr:
		return isArgs(e.X)
	}
	return false
}

// scalarExpr is scalarTo for an expression that is not a constant.
func (g *gen) scalarExpr(e lang.Expr, dst asm.Register) {
	switch e := e.(type) {
	case *lang.Ident:
		g.builtinTo(e, dst)
	case *lang.Var:
		info := g.info.Vars[e]
		g.readScalar(place{direct: true, m: g.vars[info]}, info.Type, dst)
	case *lang.MapExpr:
		g.mapReadTo(e, dst)
	case *lang.FieldExpr:
		if isArgs(e.X) {
			g.fieldTo(e, dst)
			return
		}
		g.placeRead(e, dst)
	case *lang.IndexExpr:
		g.placeRead(e, dst)
	case *lang.CastExpr:
		g.castTo(e, dst)
	case *lang.BlockExpr:
		// dst holds nothing yet: the statements may use it.
		g.regs.free(dst)
		g.blockStmts(e)
		g.regs.hold(dst)
		g.scalarTo(e.Value, dst)
	case *lang.Call:
		g.callTo(e, dst)
	case *lang.UnaryExpr:
		g.unaryTo(e, dst)
	case *lang.BinaryExpr:
		g.binaryTo(e, dst)
	case *lang.CondExpr:
		if e.Then == nil {
			g.elvisTo(e, dst)
			return
		}
		g.eachBranch(e, func(b lang.Expr) { g.scalarTo(b, dst) })
	default:
		internal("scalarTo: unexpected %T", e)
	}
}

// elvisTo evaluates x ?: y: x, evaluated once, unless it is zero, then y.
// Its value is a scalar, as a condition is.
func (g *gen) elvisTo(e *lang.CondExpr, dst asm.Register) {
	end := g.newLabel("elvis_end")
	g.scalarTo(e.Cond, dst)
	g.emit(asm.JNE.Imm(dst, 0, end))
	g.scalarTo(e.Else, dst)
	g.place(end)
}

// placeRead reads a scalar member, element or pointee.
func (g *gen) placeRead(e lang.Expr, dst asm.Register) {
	p := g.placeOf(e)
	g.readScalar(p, g.info.TypeOf(e), dst)
	g.releasePlace(p)
}

// castTo converts a scalar, or the bytes of an integer array.
func (g *gen) castTo(e *lang.CastExpr, dst asm.Register) {
	t := g.info.TypeOf(e)
	xt := g.info.TypeOf(e.X)
	if xt.Kind == lang.KindArray {
		p := g.placeOf(e.X)
		g.readScalar(p, t, dst)
		g.releasePlace(p)
		return
	}
	g.scalarTo(e.X, dst)
	switch t.Kind {
	case lang.KindBool:
		set := g.newLabel("bool_set")
		g.emit(asm.JEq.Imm(dst, 0, set))
		g.emit(asm.Mov.Imm(dst, 1))
		g.place(set)
	case lang.KindInt:
		g.normalize(dst, t)
	case lang.KindPointer:
		// An integer becomes an address zero-extended from its width, as
		// bpftrace's inttoptr: (uint8 *)(int8)-1 is 0xff.
		if xt.Kind == lang.KindInt && xt.Signed {
			g.normalize(dst, lang.IntType(xt.Size, false))
		}
	}
}

// withTemp runs f with a scratch register held for it.
func (g *gen) withTemp(f func(asm.Register)) {
	r := g.regs.volatile()
	f(r)
	g.regs.free(r)
}

// move sets dst to src. Moving a register to itself emits nothing, but
// dst now holds a value (a helper's result, moved to R0).
func (g *gen) move(dst, src asm.Register) {
	if dst != src {
		g.emit(asm.Mov.Reg(dst, src))
		return
	}
	g.regs.written[dst] = true
}

// fieldTo reads a tracepoint field from the context.
func (g *gen) fieldTo(e *lang.FieldExpr, dst asm.Register) {
	f := g.info.Tracepoints[g.aps[0]].Field(e.Field)
	if g.raw != nil {
		g.rawSyscallFieldTo(f, g.info.TypeOf(e), dst)
		return
	}
	if f.DataLoc {
		// The u32 holds (length << 16 | offset from the record's start).
		g.emit(asm.LoadMem(dst, g.ctx, int16(f.Offset), asm.Word))
		g.emit(asm.And.Imm(dst, 0xffff))
		g.emit(asm.Add.Reg(dst, g.ctx))
		return
	}
	t := g.info.TypeOf(e)
	size := fieldSize(f, t)
	if g.kind.HasArgsArray() {
		// Each argument fills a 64-bit slot: load it whole, then narrow.
		g.emit(asm.LoadMem(dst, g.ctx, int16(f.Offset), asm.DWord))
		g.narrow(dst, size, t.IsSigned())
		return
	}
	g.emit(asm.LoadMem(dst, g.ctx, int16(f.Offset), sizeOf(size)))
	if t.IsSigned() && size < 8 {
		g.signExtend(dst, size)
	}
}

// fieldSize is how many bytes of a field to read: its type's, which may
// be narrower than the record's room for it (lang's narrowField).
func fieldSize(f *lang.TracepointField, t *lang.Type) int {
	size := min(f.Size, 8)
	if t.Kind == lang.KindInt && t.Size < size {
		size = t.Size
	}
	return size
}

func sizeOf(n int) asm.Size {
	switch n {
	case 1:
		return asm.Byte
	case 2:
		return asm.Half
	case 4:
		return asm.Word
	}
	return asm.DWord
}

func (g *gen) signExtend(r asm.Register, size int) {
	switch size {
	case 1:
		g.emit(asm.MovSX8.Reg(r, r))
	case 2:
		g.emit(asm.MovSX16.Reg(r, r))
	case 4:
		g.emit(asm.MovSX32.Reg(r, r))
	}
}

// normalize re-extends r to 64 bits after arithmetic on a narrower type.
func (g *gen) normalize(r asm.Register, t *lang.Type) {
	if t.Kind != lang.KindInt || t.Size >= 8 {
		return
	}
	if t.Signed {
		g.signExtend(r, t.Size)
		return
	}
	switch t.Size {
	case 4:
		g.emit(asm.Mov.Reg32(r, r))
	default:
		g.emit(asm.And.Imm(r, int32(1)<<(8*t.Size)-1))
	}
}

var aluOps = map[lang.Op]asm.ALUOp{
	lang.OpAdd: asm.Add, lang.OpSub: asm.Sub, lang.OpMul: asm.Mul, lang.OpDiv: asm.Div,
	lang.OpMod: asm.Mod, lang.OpBitAnd: asm.And, lang.OpBitOr: asm.Or, lang.OpBitXor: asm.Xor,
	lang.OpShl: asm.LSh, lang.OpShr: asm.RSh,
}

// aluOp returns the instruction for op on operands of type t.
func aluOp(op lang.Op, t *lang.Type) asm.ALUOp {
	signed := t.IsSigned()
	switch {
	case op == lang.OpDiv && signed:
		return asm.SDiv
	case op == lang.OpMod && signed:
		return asm.SMod
	}
	return aluOps[op]
}

func commutative(op lang.Op) bool {
	switch op {
	case lang.OpAdd, lang.OpMul, lang.OpBitAnd, lang.OpBitOr, lang.OpBitXor:
		return true
	}
	return false
}

// opType is the type an operation on x and y is carried out in.
func (g *gen) opType(e *lang.BinaryExpr) *lang.Type {
	xt, yt := g.info.TypeOf(e.X).ValueType(), g.info.TypeOf(e.Y).ValueType()
	if e.Op == lang.OpShl || e.Op == lang.OpShr {
		return xt
	}
	return lang.Promote(xt, yt)
}

// binaryTo evaluates an arithmetic, comparison or logical expression.
func (g *gen) binaryTo(e *lang.BinaryExpr, dst asm.Register) {
	if e.Op.IsComparison() || e.Op.IsLogical() {
		g.boolTo(e, dst)
		return
	}
	if t := g.info.TypeOf(e); t.Kind == lang.KindPointer {
		g.pointerArith(e, t, dst)
		return
	}
	t := g.opType(e)
	if k, ok := g.constInt(e.Y); ok && k >= -1<<31 && k < 1<<31 {
		g.scalarTo(e.X, dst)
		g.aluImm(e.Op, t, dst, int32(k))
	} else {
		g.operands(e.X, e.Y, dst, func(x, y asm.Register) {
			g.aluReg(e.Op, t, x, y, e)
		}, commutative(e.Op))
	}
	g.normalize(dst, g.info.TypeOf(e))
}

// aluReg emits x = x op y for operands of type t; at is where the
// operation is written. Right shifts are logical, as in bpftrace. A shift
// by 64 bits or more (a negative count is a large one) gives 0, what the
// checker folds constants to; the BPF instruction alone would take the
// count modulo 64. A division or modulo by zero gives 1, as in bpftrace,
// and is counted for user space to warn of.
func (g *gen) aluReg(op lang.Op, t *lang.Type, x, y asm.Register, at lang.Node) {
	alu := aluOp(op, t)
	if op == lang.OpDiv || op == lang.OpMod {
		nonzero, done := g.newLabel("divisor_ok"), g.newLabel("div_done")
		g.emit(asm.JNE.Imm(y, 0, nonzero))
		g.countSite(Site{Kind: SiteZeroDiv}, at, x, y)
		g.emit(asm.Mov.Imm(x, 1), asm.Mov.Imm(y, 0))
		g.emit(asm.Ja.Label(done))
		g.place(nonzero)
		g.emit(alu.Reg(x, y))
		g.place(done)
		return
	}
	if op != lang.OpShl && op != lang.OpShr {
		g.emit(alu.Reg(x, y))
		return
	}
	ok, done := g.newLabel("shift_ok"), g.newLabel("shift_done")
	g.emit(asm.JLT.Imm(y, 64, ok))
	g.emit(asm.Mov.Imm(x, 0))
	g.emit(asm.Ja.Label(done))
	g.place(ok)
	g.emit(alu.Reg(x, y))
	g.place(done)
}

// aluImm emits x = x op k for operands of type t, shifts as aluReg.
func (g *gen) aluImm(op lang.Op, t *lang.Type, x asm.Register, k int32) {
	alu := aluOp(op, t)
	if (op == lang.OpShl || op == lang.OpShr) && (k < 0 || k >= 64) {
		g.emit(asm.Mov.Imm(x, 0))
		return
	}
	g.emit(alu.Imm(x, k))
}

// operands evaluates x and y and calls f(x, y) with x in dst, leaving the
// result of f in dst. When the operation is commutative f may be called
// with the operands swapped.
func (g *gen) operands(x, y lang.Expr, dst asm.Register, f func(x, y asm.Register), swappable bool) {
	if !g.hasCall(y) {
		g.scalarTo(x, dst)
		g.withTemp(func(t asm.Register) {
			g.scalarTo(y, t)
			f(dst, t)
		})
		return
	}
	// y calls helpers: x waits in a callee-saved register or on the stack.
	if s, ok := g.regs.stable(); ok {
		g.scalarTo(x, s)
		g.scalarTo(y, dst)
		if swappable {
			f(dst, s)
		} else {
			f(s, dst)
			g.move(dst, s)
		}
		g.regs.free(s)
		return
	}
	slot := g.allocSlot()
	g.scalarTo(x, dst)
	g.emit(asm.StoreMem(g.fp, int16(slot), dst, asm.DWord))
	g.scalarTo(y, dst)
	g.withTemp(func(t asm.Register) {
		g.emit(asm.LoadMem(t, g.fp, int16(slot), asm.DWord))
		f(t, dst)
		g.move(dst, t)
	})
}

// boolTo materialises a truth value as 0 or 1.
func (g *gen) boolTo(e lang.Expr, dst asm.Register) {
	no, end := g.newLabel("false"), g.newLabel("bool_end")
	g.jumpIf(e, false, no)
	g.emit(asm.Mov.Imm(dst, 1), asm.Ja.Label(end))
	g.place(no)
	g.emit(asm.Mov.Imm(dst, 0))
	g.place(end)
}

func (g *gen) unaryTo(e *lang.UnaryExpr, dst asm.Register) {
	switch e.Op {
	case lang.OpNot:
		g.boolTo(e, dst)
		return
	case lang.OpNeg:
		g.scalarTo(e.X, dst)
		g.emit(asm.Neg.Imm(dst, 0))
	case lang.OpCompl:
		g.scalarTo(e.X, dst)
		g.emit(asm.Xor.Imm(dst, -1))
	case lang.OpPreInc, lang.OpPreDec, lang.OpPostInc, lang.OpPostDec:
		g.incDec(e, dst, true)
		return
	case lang.OpDeref:
		g.placeRead(e, dst)
		return
	case lang.OpAddr:
		g.addrOfTo(e.X, dst)
		return
	}
	g.normalize(dst, g.info.TypeOf(e))
}

// addrOfTo computes &$x (an address in the probe's frame) or &p->f.
func (g *gen) addrOfTo(x lang.Expr, dst asm.Register) {
	if v, ok := x.(*lang.Var); ok {
		g.addrTo(g.vars[g.info.Vars[v]], dst)
		return
	}
	f := x.(*lang.FieldExpr)
	g.scalarTo(f.X, dst)
	if off := g.info.Fields[f].Offset; off != 0 {
		g.emit(asm.Add.Imm(dst, int32(off)))
	}
}

// incDec applies ++ or -- and, when want is set, leaves the value before
// (postfix) or after (prefix) in dst.
func (g *gen) incDec(e *lang.UnaryExpr, dst asm.Register, want bool) {
	// A pointer moves by the size of what it points to, as in C.
	var held *lang.Type // what the variable or map holds
	switch x := e.X.(type) {
	case *lang.Var:
		held = g.info.Vars[x].Type
	case *lang.MapExpr:
		held = g.maps[x.Name].Value
	}
	delta := pointerStep(held)
	if e.Op == lang.OpPreDec || e.Op == lang.OpPostDec {
		delta = -delta
	}
	post := e.Op == lang.OpPostInc || e.Op == lang.OpPostDec
	switch x := e.X.(type) {
	case *lang.Var:
		home := g.vars[g.info.Vars[x]]
		g.withTemp(func(t asm.Register) {
			g.withTemp(func(b asm.Register) {
				reg, off := g.base(home, b)
				g.emit(asm.LoadMem(t, reg, off, asm.DWord))
				if want && post {
					g.move(dst, t)
				}
				g.emit(asm.Add.Imm(t, delta))
				g.normalize(t, g.info.Vars[x].Type)
				g.emit(asm.StoreMem(reg, off, t, asm.DWord))
				if want && !post {
					g.move(dst, t)
				}
			})
		})
	case *lang.MapExpr:
		g.mapUpdateOp(x, lang.OpAdd, nil, int64(delta), dst, want, post)
	}
}

// jumpIf jumps to label when e's truth equals want, and falls through
// otherwise.
func (g *gen) jumpIf(e lang.Expr, want bool, label string) {
	if k, ok := g.constInt(e); ok {
		if (k != 0) == want {
			g.emit(asm.Ja.Label(label))
		}
		return
	}
	switch e := e.(type) {
	case *lang.UnaryExpr:
		if e.Op == lang.OpNot {
			g.jumpIf(e.X, !want, label)
			return
		}
	case *lang.BinaryExpr:
		switch {
		case e.Op == lang.OpAnd || e.Op == lang.OpOr:
			// a && b is true when both are; a || b when either is.
			short := e.Op == lang.OpOr
			if want == short {
				g.jumpIf(e.X, want, label)
				g.jumpIf(e.Y, want, label)
				return
			}
			skip := g.newLabel("skip")
			g.jumpIf(e.X, !want, skip)
			g.jumpIf(e.Y, want, label)
			g.place(skip)
			return
		case e.Op.IsComparison() && g.info.TypeOf(e.X).Kind == lang.KindString:
			g.strCompareJump(e, want, label)
			return
		case e.Op.IsComparison() && inMemory(g.info.TypeOf(e.X)):
			g.memCompareJump(e, want, label)
			return
		case e.Op.IsComparison():
			g.compareJump(e, want, label)
			return
		}
	}
	r := g.regs.volatile()
	g.scalarTo(e, r)
	g.regs.free(r)
	if want {
		g.emit(asm.JNE.Imm(r, 0, label))
	} else {
		g.emit(asm.JEq.Imm(r, 0, label))
	}
}

// jumpOps maps a comparison to its jump, unsigned and signed.
var jumpOps = map[lang.Op][2]asm.JumpOp{
	lang.OpEq: {asm.JEq, asm.JEq}, lang.OpNe: {asm.JNE, asm.JNE},
	lang.OpLt: {asm.JLT, asm.JSLT}, lang.OpLe: {asm.JLE, asm.JSLE},
	lang.OpGt: {asm.JGT, asm.JSGT}, lang.OpGe: {asm.JGE, asm.JSGE},
}

var negated = map[lang.Op]lang.Op{
	lang.OpEq: lang.OpNe, lang.OpNe: lang.OpEq, lang.OpLt: lang.OpGe,
	lang.OpGe: lang.OpLt, lang.OpGt: lang.OpLe, lang.OpLe: lang.OpGt,
}

func (g *gen) compareJump(e *lang.BinaryExpr, want bool, label string) {
	op := e.Op
	if !want {
		op = negated[op]
	}
	signed := 0
	if g.opType(e).IsSigned() {
		signed = 1
	}
	jmp := jumpOps[op][signed]
	r := g.regs.volatile()
	defer g.regs.free(r)
	if k, ok := g.constInt(e.Y); ok && k >= -1<<31 && k < 1<<31 {
		g.scalarTo(e.X, r)
		g.emit(jmp.Imm(r, int32(k), label))
		return
	}
	g.operands(e.X, e.Y, r, func(x, y asm.Register) {
		g.emit(jmp.Reg(x, y, label))
	}, false)
}

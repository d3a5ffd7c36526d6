package codegen

import (
	"github.com/cilium/ebpf/asm"

	"github.com/hawktrace/hawk/lang"
)

// pointerStep is how far adding 1 moves a value of type t: the size of
// what a pointer points to, as in C (1 for void *), and 1 for an integer.
// +, -, ++, --, += and -= all move a pointer by it.
func pointerStep(t *lang.Type) int32 {
	if t.Kind == lang.KindPointer && t.Elem != nil && t.Elem.Size > 1 && t.Elem.Kind != lang.KindVoid {
		return int32(t.Elem.Size)
	}
	return 1
}

// pointerArith computes pointer ± integer, the integer scaled by the size
// of what the pointer points to, as in C.
func (g *gen) pointerArith(e *lang.BinaryExpr, t *lang.Type, dst asm.Register) {
	scale := pointerStep(t)
	ptr, n := e.X, e.Y
	if g.info.TypeOf(e.X).Kind != lang.KindPointer {
		ptr, n = e.Y, e.X
	}
	op := asm.Add
	if e.Op == lang.OpSub {
		op = asm.Sub
	}
	if k, ok := g.constInt(n); ok && k*int64(scale) >= -1<<31 && k*int64(scale) < 1<<31 {
		g.scalarTo(ptr, dst)
		g.emit(op.Imm(dst, int32(k)*scale))
		return
	}
	g.operands(ptr, n, dst, func(x, y asm.Register) {
		if scale != 1 {
			g.emit(asm.Mul.Imm(y, scale))
		}
		g.emit(op.Reg(x, y))
	}, false)
}

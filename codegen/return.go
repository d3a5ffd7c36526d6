package codegen

import (
	"github.com/cilium/ebpf/asm"

	"github.com/hawktrace/hawk/lang"
)

// returnsValue reports whether a `return EXPR;` of the probe gives its
// program a return value.
func returnsValue(p *lang.Probe) bool {
	found := false
	lang.Inspect(p, func(n lang.Node) bool {
		if j, ok := n.(*lang.JumpStmt); ok && j.Kind == "return" && j.Value != nil {
			found = true
		}
		return !found
	})
	return found
}

// returnValue keeps the value of `return EXPR;` in the program's slot for
// it, which the program returns at its end (emitReturn); in a loop's
// callback too, whose frame pointer is the program's.
func (g *gen) returnValue(v lang.Expr) {
	if v == nil {
		return
	}
	g.withTemp(func(t asm.Register) {
		g.scalarTo(v, t)
		g.emit(asm.StoreMem(g.fp, int16(g.retValSlot), t, asm.DWord))
	})
}

// emitReturn ends the program: it returns 0, or the value `return EXPR;`
// kept.
func (g *gen) emitReturn() {
	if g.retValSlot != 0 {
		g.emit(asm.LoadMem(asm.R0, g.fp, int16(g.retValSlot), asm.DWord), asm.Return())
		return
	}
	g.emit(asm.Mov.Imm(asm.R0, 0), asm.Return())
}

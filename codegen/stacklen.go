package codegen

import (
	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// stackLenTo counts the frames of the stack e, a kstack or ustack of
// some limit, into dst: a stack map cannot be read by the program, so it
// takes the stack again with bpf_get_stack, at most limit frames, into
// scratch memory, and divides the bytes it wrote by a frame's. Any
// expression of the stack's type gives the stack of the place len() runs
// at, which in one probe is the stack the value holds.
func (g *gen) stackLenTo(e lang.Expr, dst asm.Register) {
	t := g.info.TypeOf(e)
	if id, ok := e.(*lang.Ident); ok && g.info.Builtins[id] == lang.BuiltinDwUstack {
		g.dwStackLenTo(id, t, dst) // walked, not taken with bpf_get_stack
		return
	}
	limit := int(t.Args[0])
	flags := int32(0)
	if t.IsUserStack() {
		flags = userStackFlag
	}
	buf := g.allocMem(limit * 8)
	g.addrTo(buf, asm.R2)
	g.emit(asm.Mov.Reg(asm.R1, g.ctxReg()))
	g.emit(asm.Mov.Imm(asm.R3, int32(limit*8)))
	g.emit(asm.Mov.Imm(asm.R4, flags))
	g.call(asm.FnGetStack)
	// A failure (a negative error) counts as no frames.
	done := g.newLabel("stack_len_done")
	g.emit(asm.JSGE.Imm(asm.R0, 0, done))
	g.emit(asm.Mov.Imm(asm.R0, 0))
	g.place(done)
	g.emit(asm.RSh.Imm(asm.R0, 3))
	g.move(dst, asm.R0)
}

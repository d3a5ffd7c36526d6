package codegen

import (
	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// kprobes and uprobes see the traced function's registers: their context
// is struct pt_regs. The offsets are x86-64's, where the System V calling
// convention passes the first six integer arguments in rdi, rsi, rdx,
// rcx, r8 and r9, and the rest on the stack above the return address.
var ptRegsArgs = []int16{112, 104, 96, 88, 72, 64} // di si dx cx r8 r9

const (
	ptRegsRet = 80  // ax: the return value
	ptRegsSP  = 152 // sp
)

// argTo loads the traced function's argument n into dst: from its
// register, or past the sixth from the stack, read with the helper of the
// probe's memory (a uprobe's stack is user memory).
func (g *gen) argTo(n int, dst asm.Register) {
	if n < len(ptRegsArgs) {
		g.emit(asm.LoadMem(dst, g.ctxReg(), ptRegsArgs[n], asm.DWord))
		return
	}
	slot := g.allocSlot()
	g.emit(stDW(g.fp, int16(slot), 0))
	g.emit(asm.LoadMem(asm.R3, g.ctxReg(), ptRegsSP, asm.DWord))
	g.emit(asm.Add.Imm(asm.R3, int32(8*(n-len(ptRegsArgs)+1))))
	g.emit(asm.Mov.Reg(asm.R1, g.fp), asm.Add.Imm(asm.R1, int32(slot)))
	g.emit(asm.Mov.Imm(asm.R2, 8))
	g.call(readHelper(g.spaceOf(lang.Uint64), false))
	g.emit(asm.LoadMem(dst, g.fp, int16(slot), asm.DWord))
}

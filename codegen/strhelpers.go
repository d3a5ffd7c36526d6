package codegen

// memcmp and str_concat.

import (
	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// bytesRef returns memory holding the bytes of e: a scalar's 8, as a
// variable holds it, else the value's own.
func (g *gen) bytesRef(e lang.Expr) mem {
	if !g.info.TypeOf(e).IsScalar() {
		return g.memRef(e)
	}
	m := g.allocMem(8)
	m.size = 8
	g.withReg(func(r asm.Register) {
		g.scalarTo(e, r)
		g.storeScalar(m, r)
	})
	return m
}

// memcmpTo compares the first n bytes of two values as signed chars: 0
// when they match, else the difference of the first bytes that differ.
// n is cut to the smaller value's size.
func (g *gen) memcmpTo(call *lang.Call, dst asm.Register) {
	count := g.allocSlot()
	g.withReg(func(r asm.Register) {
		g.scalarTo(call.Args[2], r)
		g.emit(asm.StoreMem(g.fp, int16(count), r, asm.DWord))
	})
	ml := g.bytesRef(call.Args[0])
	mr := g.bytesRef(call.Args[1])
	size := min(ml.size, mr.size)
	g.addrTo(ml, asm.R1)
	g.addrTo(mr, asm.R2)
	g.emit(asm.LoadMem(asm.R3, g.fp, int16(count), asm.DWord))
	within := g.newLabel("memcmp_within")
	g.emit(asm.JLE.Imm(asm.R3, int32(size), within))
	g.emit(asm.Mov.Imm(asm.R3, int32(size)))
	g.place(within)
	loop, done := g.newLabel("memcmp"), g.newLabel("memcmp_done")
	g.emit(asm.Mov.Imm(asm.R0, 0), asm.Mov.Imm(asm.R5, 0))
	g.place(loop)
	g.emit(asm.JGE.Reg(asm.R5, asm.R3, done))
	g.emit(asm.LoadMem(asm.R0, asm.R1, 0, asm.Byte), asm.LSh.Imm(asm.R0, 56), asm.ArSh.Imm(asm.R0, 56))
	g.emit(asm.LoadMem(asm.R4, asm.R2, 0, asm.Byte), asm.LSh.Imm(asm.R4, 56), asm.ArSh.Imm(asm.R4, 56))
	g.emit(asm.Sub.Reg(asm.R0, asm.R4))
	g.emit(asm.JNE.Imm(asm.R0, 0, done))
	g.emit(asm.Add.Imm(asm.R1, 1), asm.Add.Imm(asm.R2, 1), asm.Add.Imm(asm.R5, 1))
	g.emit(asm.Ja.Label(loop))
	g.place(done)
	g.releaseMem(ml)
	g.releaseMem(mr)
	g.move(dst, asm.R0)
}

// strConcatTo writes str_concat(a, b) into dst: a's characters, then as
// many of b's as fit, NUL-terminated; f says what the bytes after the NUL
// get.
func (g *gen) strConcatTo(call *lang.Call, dst mem, f fill) {
	if f != keepRest {
		g.zero(dst)
	}
	na := min(g.info.TypeOf(call.Args[0]).Size, dst.size)
	g.strTo(call.Args[0], dst.sub(0, na), keepRest)
	mb := g.strRef(call.Args[1])
	// The end of a: at most na-1 characters.
	g.addrTo(dst, asm.R1)
	loop, end := g.newLabel("concat_len"), g.newLabel("concat_end")
	g.emit(asm.Mov.Imm(asm.R0, 0))
	g.place(loop)
	g.emit(asm.JGE.Imm(asm.R0, int32(na-1), end))
	g.emit(asm.LoadMem(asm.R2, asm.R1, 0, asm.Byte))
	g.emit(asm.JEq.Imm(asm.R2, 0, end))
	g.emit(asm.Add.Imm(asm.R0, 1), asm.Add.Imm(asm.R1, 1))
	g.emit(asm.Ja.Label(loop))
	g.place(end)
	// b goes after it: as many bytes as fit after the longest a, so that
	// the verifier sees the copy inside dst whatever a's length.
	g.emit(asm.Mov.Imm(asm.R2, int32(dst.size-(na-1))))
	g.addrTo(mb, asm.R3)
	g.call(asm.FnProbeReadKernelStr)
	g.releaseMem(mb)
}

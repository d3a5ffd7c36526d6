package codegen

import (
	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// debugf compiles debugf(fmt, args...): bpf_trace_printk(fmt, size,
// args...), which formats in the kernel and writes to its trace buffer.
// The format is the script's, from the read-only data; an integer goes
// as its 64-bit value, a string as its address, which the kernel reads.
// The values are computed first, into stack slots, as computing one may
// call helpers.
func (g *gen) debugf(call *lang.Call) {
	k := g.info.Consts[call.Args[0]]
	args := call.Args[1:]
	slots := make([]int, len(args))
	for i, a := range args {
		slots[i] = g.allocSlot()
		at := mem{base: baseStack, off: slots[i], size: 8}
		g.withReg(func(r asm.Register) {
			if g.info.TypeOf(a).Kind == lang.KindString {
				g.addrTo(g.strRef(a), r)
			} else {
				g.scalarTo(a, r)
			}
			g.storeScalar(at, r)
		})
	}
	g.loadRodata(asm.R1, g.rodata.str(k.Str))
	g.emit(asm.Mov.Imm(asm.R2, int32(len(k.Str)+1)))
	for i, slot := range slots {
		g.emit(asm.LoadMem(asm.R3+asm.Register(i), g.fp, int16(slot), asm.DWord))
	}
	g.call(asm.FnTracePrintk)
}

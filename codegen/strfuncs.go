package codegen

import (
	"strings"

	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// callTo evaluates a call with a scalar value into dst.
func (g *gen) callTo(call *lang.Call, dst asm.Register) {
	if _, ok := g.info.UaddrBases[call]; ok {
		g.uaddrTo(call, dst) // of a relocated binary: the others are constants
		return
	}
	switch g.info.Funcs[call] {
	case lang.FuncStrlen:
		g.strlenTo(call.Args[0], dst)
	case lang.FuncStrncmp:
		n, _ := g.constInt(call.Args[2])
		g.strncmpTo(call.Args[0], call.Args[1], int(n), dst)
	case lang.FuncStrcontains, lang.FuncStrstr:
		g.strstrTo(call, dst)
	case lang.FuncBswap:
		g.scalarTo(call.Args[0], dst)
		if size := g.info.TypeOf(call).Size; size > 1 {
			g.emit(asm.BSwap(dst, sizeOf(size)))
		}
	case lang.FuncKptr, lang.FuncUptr, lang.FuncKsym:
		g.scalarTo(call.Args[0], dst)
	case lang.FuncStrftime:
		g.scalarTo(call.Args[1], dst)
	case lang.FuncReg:
		g.regTo(call.Args[0].(*lang.StrLit).Value, dst)
	case lang.FuncHasKey:
		g.hasKeyTo(call, dst)
	case lang.FuncDelete:
		g.deleteTo(call, dst)
	case lang.FuncLen:
		g.lenTo(call, dst)
	case lang.FuncGetopt:
		g.getoptTo(call, dst)
	case lang.FuncMemcmp:
		g.memcmpTo(call, dst)
	default:
		if isKernelFn(g.info.Funcs[call]) {
			g.kernelFnTo(call, dst)
			return
		}
		internal("callTo: %s has no scalar value", call.Name)
	}
}

// strlenTo counts the bytes of a string before its NUL.
func (g *gen) strlenTo(s lang.Expr, dst asm.Register) {
	m := g.strRef(s)
	g.addrTo(m, asm.R1)
	loop, done := g.newLabel("strlen"), g.newLabel("strlen_done")
	g.emit(asm.Mov.Imm(asm.R0, 0))
	g.place(loop)
	g.emit(asm.JGE.Imm(asm.R0, int32(m.size), done))
	g.emit(asm.LoadMem(asm.R2, asm.R1, 0, asm.Byte))
	g.emit(asm.JEq.Imm(asm.R2, 0, done))
	g.emit(asm.Add.Imm(asm.R0, 1), asm.Add.Imm(asm.R1, 1))
	g.emit(asm.Ja.Label(loop))
	g.place(done)
	g.move(dst, asm.R0)
	g.releaseMem(m)
}

// strncmpTo compares at most n bytes of two strings, and of their sizes,
// stopping at a NUL: 0 when they match, else 1, as in bpftrace.
func (g *gen) strncmpTo(a, b lang.Expr, n int, dst asm.Register) {
	ma := g.strRef(a)
	mb := g.strRef(b)
	n = min(n, ma.size, mb.size)
	g.addrTo(ma, asm.R1)
	g.addrTo(mb, asm.R2)
	loop, done := g.newLabel("strncmp"), g.newLabel("strncmp_done")
	g.emit(asm.Mov.Imm(asm.R0, 0), asm.Mov.Imm(asm.R3, 0))
	g.place(loop)
	g.emit(asm.JGE.Imm(asm.R3, int32(n), done))
	g.emit(asm.LoadMem(asm.R4, asm.R1, 0, asm.Byte))
	g.emit(asm.LoadMem(asm.R5, asm.R2, 0, asm.Byte))
	g.emit(asm.Mov.Reg(asm.R0, asm.R4), asm.Sub.Reg(asm.R0, asm.R5))
	g.emit(asm.JNE.Imm(asm.R0, 0, done))
	g.emit(asm.JEq.Imm(asm.R4, 0, done))
	g.emit(asm.Add.Imm(asm.R1, 1), asm.Add.Imm(asm.R2, 1), asm.Add.Imm(asm.R3, 1))
	g.emit(asm.Ja.Label(loop))
	g.place(done)
	same := g.newLabel("strncmp_same")
	g.emit(asm.JEq.Imm(asm.R0, 0, same))
	g.emit(asm.Mov.Imm(asm.R0, 1))
	g.place(same)
	g.move(dst, asm.R0)
	g.releaseMem(ma)
	g.releaseMem(mb)
}

// strstrTo finds a needle in a haystack: strstr gives the index of the
// first match or -1, strcontains whether there is one. Each position is
// tried with bpf_strncmp when the needle is a constant, else with a byte
// loop in a bpf_loop callback, so the verifier's work stays small.
func (g *gen) strstrTo(call *lang.Call, dst asm.Register) {
	contains := g.info.Funcs[call] == lang.FuncStrcontains
	hay := g.strRef(call.Args[0])
	hay = g.spill(hay)
	result := g.allocSlot()
	g.emit(stDW(g.fp, int16(result), -1))
	if k, ok := g.info.Consts[call.Args[1]]; ok && k.IsStr {
		needle, _, _ := strings.Cut(k.Str, "\x00") // a string ends at its NUL
		g.strstrConst(hay, needle, result)
	} else {
		needle := g.spill(g.strRef(call.Args[1]))
		g.strstrLoop(call, hay, needle, result)
	}
	g.emit(asm.LoadMem(dst, g.fp, int16(result), asm.DWord))
	if contains {
		// found when the index is not -1
		g.emit(asm.Add.Imm(dst, 1))
		yes := g.newLabel("found")
		g.emit(asm.JEq.Imm(dst, 0, yes))
		g.emit(asm.Mov.Imm(dst, 1))
		g.place(yes)
	}
}

// spill keeps an area reached through a register reachable from the frame
// instead, for callbacks.
func (g *gen) spill(m mem) mem {
	if m.base != baseReg {
		return m
	}
	slot := g.allocSlot()
	g.emit(asm.StoreMem(g.fp, int16(slot), m.reg, asm.DWord))
	g.releaseMem(m)
	return mem{base: baseSlot, slot: slot, off: m.off, size: m.size}
}

// strstrConst tries each position of hay against a constant needle.
func (g *gen) strstrConst(hay mem, needle string, result int) {
	if needle == "" {
		g.emit(stDW(g.fp, int16(result), 0))
		return
	}
	last := hay.size - len(needle)
	if last < 0 {
		return // the needle is longer than the haystack can be
	}
	pos := g.allocSlot()
	g.emit(stDW(g.fp, int16(pos), 0))
	loop, done := g.newLabel("strstr"), g.newLabel("strstr_done")
	g.place(loop)
	g.emit(asm.LoadMem(asm.R2, g.fp, int16(pos), asm.DWord))
	g.emit(asm.JGT.Imm(asm.R2, int32(last), done))
	g.addrTo(hay, asm.R1)
	g.emit(asm.Add.Reg(asm.R1, asm.R2))
	g.emit(asm.LoadMem(asm.R3, asm.R1, 0, asm.Byte))
	g.emit(asm.JEq.Imm(asm.R3, 0, done)) // the haystack ended
	g.emit(asm.Mov.Imm(asm.R2, int32(len(needle))))
	g.loadRodata(asm.R3, g.rodata.str(needle))
	g.call(asm.FnStrncmp)
	next := g.newLabel("strstr_next")
	g.emit(asm.JNE.Imm(asm.R0, 0, next))
	g.emit(asm.LoadMem(asm.R2, g.fp, int16(pos), asm.DWord))
	g.emit(asm.StoreMem(g.fp, int16(result), asm.R2, asm.DWord))
	g.emit(asm.Ja.Label(done))
	g.place(next)
	g.incSlot(pos, asm.R2)
	g.emit(asm.Ja.Label(loop))
	g.place(done)
}

// strstrLoop tries each position of hay against a needle known only at
// run time, one position per bpf_loop iteration.
func (g *gen) strstrLoop(src lang.Node, hay, needle mem, result int) {
	cb := g.callback(asm.R2, src, func() {
		// R1: the position. Compare needle with hay[pos:] up to the
		// needle's NUL; every index is bounded before it is used.
		stop := g.loops[0].breakTo
		g.emit(asm.JGE.Imm(asm.R1, int32(hay.size), stop))
		g.emit(asm.Mov.Reg(asm.R5, asm.R1))
		loop, match, differ := g.newLabel("needle"), g.newLabel("match"), g.newLabel("differ")
		// At the haystack's NUL the search ends: only an empty needle
		// matches there.
		inside := g.newLabel("in_haystack")
		g.addrTo(hay, asm.R3)
		g.emit(asm.Add.Reg(asm.R3, asm.R5))
		g.emit(asm.LoadMem(asm.R3, asm.R3, 0, asm.Byte))
		g.emit(asm.JNE.Imm(asm.R3, 0, inside))
		g.addrTo(needle, asm.R4)
		g.emit(asm.LoadMem(asm.R4, asm.R4, 0, asm.Byte))
		g.emit(asm.JEq.Imm(asm.R4, 0, match))
		g.emit(asm.Ja.Label(stop))
		g.place(inside)
		g.emit(asm.Mov.Imm(asm.R0, 0))
		g.place(loop)
		g.emit(asm.JGE.Imm(asm.R0, int32(needle.size), match))
		g.addrTo(needle, asm.R4)
		g.emit(asm.Add.Reg(asm.R4, asm.R0))
		g.emit(asm.LoadMem(asm.R4, asm.R4, 0, asm.Byte))
		g.emit(asm.JEq.Imm(asm.R4, 0, match))
		g.emit(asm.Mov.Reg(asm.R2, asm.R5), asm.Add.Reg(asm.R2, asm.R0))
		g.emit(asm.JGE.Imm(asm.R2, int32(hay.size), differ))
		g.addrTo(hay, asm.R3)
		g.emit(asm.Add.Reg(asm.R3, asm.R2))
		g.emit(asm.LoadMem(asm.R3, asm.R3, 0, asm.Byte))
		g.emit(asm.JNE.Reg(asm.R3, asm.R4, differ))
		g.emit(asm.Add.Imm(asm.R0, 1))
		g.emit(asm.Ja.Label(loop))
		g.place(match)
		g.emit(asm.StoreMem(g.fp, int16(result), asm.R5, asm.DWord))
		g.emit(asm.Ja.Label(stop))
		g.place(differ)
	})
	g.emit(asm.Mov.Imm(asm.R1, int32(hay.size)))
	g.loadFunc(asm.R2, cb)
	g.frameArg(asm.R3)
	g.emit(asm.Mov.Imm(asm.R4, 0))
	g.call(asm.FnLoop)
}

package codegen

import (
	"slices"

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

// regTo reads the register reg() names from the probe's struct pt_regs:
// x86-64's keeps them in lang.Registers' order, 8 bytes each; "pc" is ip.
func (g *gen) regTo(name string, dst asm.Register) {
	if name == "pc" {
		name = "ip"
	}
	i := slices.Index(lang.Registers, name)
	if i < 0 {
		internal("regTo: no register %q", name)
	}
	g.emit(asm.LoadMem(dst, g.ctxReg(), int16(8*i), asm.DWord))
}

// usermodeTo sets dst to 1 when the registers the probe sees are user
// mode's: the low two bits of cs (ptRegsCS), the privilege level, are 3. The context of kprobes and uprobes is
// struct pt_regs; that of perf events (profile, interval, software,
// hardware, watchpoints) starts with it.
func (g *gen) usermodeTo(dst asm.Register) {
	g.emit(asm.LoadMem(dst, g.ctxReg(), ptRegsCS, asm.DWord))
	// (level + 1) >> 2 is 1 for level 3 and 0 for levels 0 to 2.
	g.emit(asm.And.Imm(dst, 3), asm.Add.Imm(dst, 1), asm.RSh.Imm(dst, 2))
}

// argTo loads argument n into dst: a raw tracepoint's from its context's
// array, a usdt site's from where its notes say, a function's from its
// register or, past the sixth, from the stack, read with the helper of the
// probe's memory (a uprobe's stack is user memory).
func (g *gen) argTo(n int, dst asm.Register) {
	switch {
	case g.kind == lang.ProbeRawtracepoint:
		g.emit(asm.LoadMem(dst, g.ctxReg(), int16(8*n), asm.DWord))
		return
	case g.kind == lang.ProbeUsdt:
		g.usdtArgTo(g.site.Args[n], dst)
		return
	case n < len(ptRegsArgs):
		g.emit(asm.LoadMem(dst, g.ctxReg(), ptRegsArgs[n], asm.DWord))
		return
	}
	g.emit(asm.LoadMem(asm.R3, g.ctxReg(), ptRegsSP, asm.DWord))
	g.emit(asm.Add.Imm(asm.R3, int32(8*(n-len(ptRegsArgs)+1))))
	g.readWord(dst, 8, false)
}

// readWord reads size bytes at the address in R3 with the probe's read
// helper into dst, sign-extending signed values; a failed read gives 0.
func (g *gen) readWord(dst asm.Register, size int, signed bool) {
	slot := g.allocSlot()
	g.emit(stDW(g.fp, int16(slot), 0))
	g.emit(asm.Mov.Reg(asm.R1, g.fp), asm.Add.Imm(asm.R1, int32(slot)))
	g.emit(asm.Mov.Imm(asm.R2, int32(size)))
	g.call(readHelper(g.spaceOf(lang.Uint64), false))
	g.emit(asm.LoadMem(dst, g.fp, int16(slot), sizeOf(size)))
	if signed && size < 8 {
		g.signExtend(dst, size)
	}
}

// usdtArgTo loads a usdt argument: a constant, a register (as wide as
// written), or memory at base + index*scale + offset.
func (g *gen) usdtArgTo(a lang.USDTArg, dst asm.Register) {
	switch a.Kind {
	case lang.USDTConst:
		g.emit(asm.LoadImm(dst, a.ConstValue(), asm.DWord))
	case lang.USDTReg:
		g.emit(asm.LoadMem(dst, g.ctxReg(), int16(a.RegOffset), asm.DWord))
		g.narrow(dst, min(a.Size, max(a.RegSize, 1)), a.Signed)
	case lang.USDTMem:
		if a.RegOffset >= 0 {
			g.emit(asm.LoadMem(asm.R3, g.ctxReg(), int16(a.RegOffset), asm.DWord))
		} else {
			g.emit(asm.Mov.Imm(asm.R3, 0))
		}
		if a.IndexOffset >= 0 {
			g.emit(asm.LoadMem(asm.R4, g.ctxReg(), int16(a.IndexOffset), asm.DWord))
			if a.Scale > 1 {
				g.emit(asm.Mul.Imm(asm.R4, int32(a.Scale)))
			}
			g.emit(asm.Add.Reg(asm.R3, asm.R4))
		}
		if a.Offset != 0 {
			g.emit(asm.Add.Imm(asm.R3, int32(a.Offset)))
		}
		g.readWord(dst, a.Size, a.Signed)
	}
}

// narrow keeps the low size bytes of dst, sign-extended if signed.
func (g *gen) narrow(dst asm.Register, size int, signed bool) {
	g.normalize(dst, lang.IntType(size, signed))
}

// retvalTo loads the traced function's return value: fexit's from after
// its arguments in the context, a return probe's from its registers.
func (g *gen) retvalTo(dst asm.Register) {
	if g.kind != lang.ProbeFexit {
		g.emit(asm.LoadMem(dst, g.ctxReg(), ptRegsRet, asm.DWord))
		return
	}
	f := g.info.Tracepoints[g.aps[0]].Retval
	g.emit(asm.LoadMem(dst, g.ctxReg(), int16(f.Offset), asm.DWord))
	g.narrow(dst, f.Size, f.Type.IsSigned())
}

package codegen

import "github.com/cilium/ebpf/asm"

// regs tracks which registers hold live values. R0-R5 are volatile (a
// helper call clobbers them); R6-R9 survive calls.
type regs struct {
	busy [asm.R10]bool
	// written says a register was written since it was taken, and not
	// clobbered by a helper call since: it may hold a value its holder
	// still needs. A register taken but not yet written holds nothing.
	written [asm.R10]bool
}

var (
	volatileRegs = []asm.Register{asm.R0, asm.R1, asm.R2, asm.R3, asm.R4, asm.R5}
	stableRegs   = []asm.Register{asm.R6, asm.R7, asm.R8, asm.R9}
)

func (r *regs) take(from []asm.Register) (asm.Register, bool) {
	for _, reg := range from {
		if r.hold(reg) {
			return reg, true
		}
	}
	return 0, false
}

// stable returns a free callee-saved register, if any.
func (r *regs) stable() (asm.Register, bool) { return r.take(stableRegs) }

// volatile returns a free scratch register; one is always free while the
// code generator keeps its invariants.
func (r *regs) volatile() asm.Register {
	reg, ok := r.take(volatileRegs)
	if !ok {
		panic("codegen: out of scratch registers")
	}
	return reg
}

// hold marks reg busy; it reports false if it already was.
func (r *regs) hold(reg asm.Register) bool {
	if r.busy[reg] {
		return false
	}
	r.busy[reg] = true
	r.written[reg] = false
	return true
}

func (r *regs) free(reg asm.Register) { r.busy[reg] = false }

// anyVolatileBusy reports whether a volatile register holds a live value.
func (r *regs) anyVolatileBusy() bool {
	for _, reg := range volatileRegs {
		if r.busy[reg] {
			return true
		}
	}
	return false
}

// freeVolatile counts the volatile registers nobody holds.
func (r *regs) freeVolatile() int {
	n := 0
	for _, reg := range volatileRegs {
		if !r.busy[reg] {
			n++
		}
	}
	return n
}

// wrote records what an emitted instruction does to the registers: it
// writes its destination, and a call clobbers R0-R5. (A helper's result
// in R0 becomes a held value when code moves it there: see move.)
func (r *regs) wrote(ins asm.Instruction) {
	cls := ins.OpCode.Class()
	switch {
	case cls.IsALU(), cls.IsLoad():
		if ins.Dst < asm.R10 {
			r.written[ins.Dst] = true
		}
	case cls.IsJump() && ins.OpCode.JumpOp() == asm.Call:
		for _, reg := range volatileRegs {
			r.written[reg] = false
		}
	}
}

// emit appends instructions, keeping track of the registers they write.
func (g *gen) emit(ins ...asm.Instruction) {
	for _, in := range ins {
		g.regs.wrote(in)
	}
	g.emitter.emit(ins...)
}

// minFreeRegs is how many volatile registers, besides its destination, an
// expression's own code may take before it evaluates an operand (a
// comparison's two operands, an increment's value and address, a
// converted member and its address).
const minFreeRegs = 2

// releasingRegs runs eval, which evaluates an expression into keep, with
// every other volatile register released: those written since they were
// taken wait in stack slots until it is done; the others hold nothing
// yet. Expressions nest without limit (a map lookup's key is another
// lookup, an operand another operation) while each level holds a
// register; this is where the nesting spills. eval's jumps stay inside it
// or leave the program, so every path that goes on reloads the registers.
func (g *gen) releasingRegs(keep asm.Register, eval func()) {
	type saved struct {
		reg  asm.Register
		slot int // 0: it held nothing
	}
	// The slots are in the running function's own frame: a loop's
	// callback may not keep an address of its frame in the program's.
	frame := &g.frame
	if g.inCallback {
		frame = &g.local
	}
	var held []saved
	for _, r := range volatileRegs {
		if r == keep || !g.regs.busy[r] {
			continue
		}
		s := saved{reg: r}
		if g.regs.written[r] {
			s.slot = frame.alloc(8)
			g.emit(asm.StoreMem(asm.RFP, int16(s.slot), r, asm.DWord))
		}
		g.regs.free(r)
		held = append(held, s)
	}
	eval()
	for _, s := range held {
		if !g.regs.hold(s.reg) {
			internal("register %v is still held after a nested expression", s.reg)
		}
		if s.slot != 0 {
			g.emit(asm.LoadMem(s.reg, asm.RFP, int16(s.slot), asm.DWord))
		}
	}
}

package codegen

import "github.com/cilium/ebpf/asm"

// regs tracks which registers hold live values. R0-R5 are volatile (a
// helper call clobbers them); R6-R9 survive calls.
type regs struct {
	busy [asm.R10]bool
}

var (
	volatileRegs = []asm.Register{asm.R0, asm.R1, asm.R2, asm.R3, asm.R4, asm.R5}
	stableRegs   = []asm.Register{asm.R6, asm.R7, asm.R8, asm.R9}
)

func (r *regs) take(from []asm.Register) (asm.Register, bool) {
	for _, reg := range from {
		if !r.busy[reg] {
			r.busy[reg] = true
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

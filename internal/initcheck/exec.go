package initcheck

import (
	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/codegen"
)

// step interprets instruction i of block b on s. It reports whether the
// block goes on to the next instruction.
func (c *checker) step(b, i int, s *state) bool {
	in := c.insns[i]
	switch cls := in.OpCode.Class(); {
	case cls.IsALU():
		c.alu(in, s)
	case cls == asm.LdClass:
		s.regs[in.Dst] = c.loadImm(in)
	case cls == asm.LdXClass:
		c.load(i, in, s)
	case cls == asm.StClass:
		c.store(i, in, s, constant(in.Constant))
	case cls == asm.StXClass:
		if in.OpCode.Mode() == asm.AtomicMode {
			// Reads the old value, then writes.
			c.need(i, s, offset(s.regs[in.Dst], int(in.Offset)), in.OpCode.Size().Sizeof(), "atomic")
			c.store(i, in, s, scalar)
			if in.Constant&0x01 != 0 { // BPF_FETCH
				s.regs[in.Src] = scalar
			}
			return true
		}
		c.store(i, in, s, s.regs[in.Src])
	case cls.IsJump():
		return c.jump(b, i, in, s)
	default:
		c.flag(i, "instruction class the checker has no model of: %v", in)
	}
	return true
}

// offset moves an address by k bytes.
func offset(v value, k int) value {
	if v.kind == kPtr {
		v.off += k
	}
	return v
}

// loadImm is the value of a 64-bit immediate load.
func (c *checker) loadImm(in asm.Instruction) value {
	switch in.Src {
	case asm.PseudoMapFD:
		return value{kind: kMap, name: in.Reference()}
	case asm.PseudoMapValue:
		off := int(uint64(in.Constant) >> 32)
		if in.Reference() == c.cfg.Scratch {
			return value{kind: kPtr, region: scratchRegion, off: off}
		}
		return value{kind: kInit, name: in.Reference(), off: off}
	case asm.PseudoFunc:
		return value{kind: kFunc, name: in.Reference()}
	}
	return constant(in.Constant)
}

// load interprets dst = *(size *)(src + off).
func (c *checker) load(i int, in asm.Instruction, s *state) {
	size := in.OpCode.Size().Sizeof()
	at := offset(s.regs[in.Src], int(in.Offset))
	v := scalar
	if at.kind == kPtr {
		c.need(i, s, at, size, "load")
		if r := s.regions[at.region]; r != nil && !at.varOff && size == 8 && in.OpCode.Mode() == asm.MemMode {
			if spilled, ok := r.spill[at.off]; ok {
				v = spilled
			}
		}
	} else if at.kind == kTop {
		c.flag(i, "load through an address of unknown origin")
	}
	s.regs[in.Dst] = v
}

// store interprets *(size *)(dst + off) = v.
func (c *checker) store(i int, in asm.Instruction, s *state, v value) {
	size := in.OpCode.Size().Sizeof()
	at := offset(s.regs[in.Dst], int(in.Offset))
	switch at.kind {
	case kPtr:
		c.wrote(i, s, at, size)
		if r := s.regions[at.region]; r != nil && r.spill != nil && !at.varOff && size == 8 && v.kind != kScalar {
			s.writable(at.region).spill[at.off] = v
		}
	case kTop:
		c.flag(i, "store through an address of unknown origin")
	}
}

// alu interprets an arithmetic instruction: constants fold, addresses
// move by constants (or by unknown amounts, upwards only), everything
// else becomes a number.
func (c *checker) alu(in asm.Instruction, s *state) {
	dst := s.regs[in.Dst]
	src := constant(in.Constant)
	if in.OpCode.Source() == asm.RegSource {
		src = s.regs[in.Src]
	}
	op := in.OpCode.ALUOp()
	wide := in.OpCode.Class() == asm.ALU64Class
	out := scalar
	switch {
	case op == asm.Swap:
	case op == asm.Mov && in.Offset == 0:
		out = src
		if !wide {
			out = truncate(src)
		}
	case dst.kind == kConst && src.kind == kConst:
		if k, ok := fold(op, dst.c, src.c, wide); ok {
			out = constant(k)
		}
	case wide && dst.kind == kPtr && (op == asm.Add || op == asm.Sub):
		switch {
		case src.kind == kConst && op == asm.Add:
			out = offset(dst, int(src.c))
		case src.kind == kConst:
			out = offset(dst, -int(src.c))
		case op == asm.Add && isNumber(src):
			out = dst
			out.varOff = true
		default:
			out = value{kind: kTop}
		}
	case wide && isNumber(dst) && src.kind == kPtr && op == asm.Add:
		out = src
		out.varOff = true
	case wide && (op == asm.Add || op == asm.Sub) && dst.kind == kInit && dst.name != "" && (dst.varOff || isNumber(src)):
		// Within a map's value, by a known amount, or from where a loop
		// started.
		out = dst
		switch {
		case src.kind != kConst:
			out.varOff = true
		case dst.varOff:
		case op == asm.Add:
			out.off += int(src.c)
		default:
			out.off -= int(src.c)
		}
	case wide && (op == asm.Add || op == asm.Sub) && (dst.kind == kInit && isNumber(src) || op == asm.Add && isNumber(dst) && src.kind == kInit):
		// The context, a map value or the read-only data, moved.
		out = value{kind: kInit}
	case dst.kind == kPtr || src.kind == kPtr || dst.kind == kInit || src.kind == kInit:
		out = value{kind: kTop}
	}
	s.regs[in.Dst] = out
}

// truncate keeps the low 32 bits, as 32-bit moves do.
func truncate(v value) value {
	if v.kind == kConst {
		return constant(int64(uint32(v.c)))
	}
	if isNumber(v) {
		return v
	}
	return scalar
}

// fold computes a constant operation, as the instruction does.
func fold(op asm.ALUOp, a, b int64, wide bool) (int64, bool) {
	r, ok := codegen.FoldALU(op, uint64(a), uint64(b), !wide)
	return int64(r), ok
}

// jump interprets a jump, a call or an exit. It reports whether the
// block goes on.
func (c *checker) jump(b, i int, in asm.Instruction, s *state) bool {
	switch op := in.OpCode.JumpOp(); op {
	case asm.Exit:
		c.exit(i, s)
		return false
	case asm.Call:
		switch {
		case in.IsKfuncCall():
			// Kernel functions hawk calls take numbers and kernel
			// pointers; one given the program's memory would need a
			// model of what it reads.
			for _, r := range []asm.Register{asm.R1, asm.R2, asm.R3, asm.R4, asm.R5} {
				if s.regs[r].kind == kPtr {
					c.flag(i, "a kernel function given the program's memory in %v, which the checker has no model of: %v", r, in)
				}
			}
			s.regs[asm.R0] = scalar
		case in.IsFunctionCall() && codegen.IsIncrFunc(in.Reference()):
			// codegen's shared count: it looks up and inserts the key
			// R2 of the map R1.
			if m := c.mapOf(i, s.regs[asm.R1]); m != nil {
				c.need(i, s, s.regs[asm.R2], int(m.KeySize), "map key")
			}
			s.regs[asm.R0] = scalar
		case in.IsFunctionCall():
			// A bpf-to-bpf call (a syscall dispatcher's): the function
			// runs on its own frame with the arguments in R1-R5, as a
			// callback does; it returns a number.
			var regs [11]value
			copy(regs[asm.R1:asm.R5+1], s.regs[asm.R1:asm.R5+1])
			c.callback(b, i, value{kind: kFunc, name: in.Reference()}, regs, s)
			s.regs[asm.R0] = scalar
		default:
			c.helper(b, i, asm.BuiltinFunc(in.Constant), s)
		}
		for _, r := range []asm.Register{asm.R1, asm.R2, asm.R3, asm.R4, asm.R5} {
			s.regs[r] = scalar
		}
		return true
	case asm.Ja:
		if !c.report {
			c.propagate(c.targets[i], s)
		}
		return false
	default:
		reg, nullWhenTaken, isNullCheck := nullCheck(in, s)
		if !c.report {
			taken := s
			if isNullCheck && nullWhenTaken {
				taken = s.clone()
				taken.regs[reg] = constant(0)
			}
			c.propagate(c.targets[i], taken)
		}
		if isNullCheck && !nullWhenTaken {
			s.regs[reg] = constant(0)
		}
		return true
	}
}

// nullCheck reports whether in compares an address with 0 (if (r == 0),
// if (r != 0)), which register, and whether the jump is taken when it is
// NULL. As the verifier does, the register is the number 0 on that side:
// a lookup that found nothing leaves no address behind. (The verifier also
// clears the copies of the address; the checker does not follow them.)
func nullCheck(in asm.Instruction, s *state) (reg asm.Register, nullWhenTaken, ok bool) {
	op := in.OpCode.JumpOp()
	if in.OpCode.Class() != asm.JumpClass || in.OpCode.Source() != asm.ImmSource || in.Constant != 0 || (op != asm.JEq && op != asm.JNE) {
		return 0, false, false
	}
	if v := s.regs[in.Dst]; v.kind != kPtr && v.kind != kInit {
		return 0, false, false
	}
	return in.Dst, op == asm.JEq, true
}

// exit ends a function: a callback's exit state feeds its next run and
// the code after the helper that called it.
func (c *checker) exit(i int, s *state) {
	fn := c.funcOf[i]
	if fn == 0 || c.report {
		return
	}
	out := s.clone()
	delete(out.regions, callbackRegion+fn)
	joined, changed := joinState(c.cbExit[fn], out)
	if !changed {
		return
	}
	c.cbExit[fn] = joined
	for b := range c.callers[fn] {
		if !c.queued[b] {
			c.queued[b] = true
			c.work = append(c.work, b)
		}
	}
	// The next iteration starts where this one ended.
	again := joined.clone()
	again.regs = c.cbRegs[fn]
	again.regions[callbackRegion+fn] = newRegion(stackSize, true)
	c.propagate(fn, again)
}

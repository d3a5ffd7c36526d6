package codegen

import (
	"math"

	"github.com/cilium/ebpf/asm"
)

// baseKind says how to reach a memory area.
type baseKind int

const (
	baseStack   baseKind = iota // R10 + off
	baseReg                     // a register holding a pointer + off
	baseScratch                 // the program's scratch area + off
	baseRodata                  // the read-only data + off
	baseSlot                    // an address kept in stack slot `slot` + off
)

// mem is an area of memory holding an aggregate value.
type mem struct {
	base baseKind
	reg  asm.Register // baseReg
	slot int          // baseSlot
	off  int
	size int
	// shared is set when reg is not the area's own (the context register),
	// so releasing the area keeps the register.
	shared bool
}

// sub returns the part of m at off, size bytes long.
func (m mem) sub(off, size int) mem {
	m.off += off
	m.size = size
	return m
}

// allocMem returns a fresh area of size bytes: on the stack when small,
// else in the scratch map. Areas live until the statement that allocated
// them ends; those allocated before the first statement live throughout.
func (g *gen) allocMem(size int) mem {
	size = (size + 7) &^ 7
	if size <= 64 && g.frame.room(size) {
		return mem{base: baseStack, off: g.frame.alloc(size), size: size}
	}
	return mem{base: baseScratch, off: g.scratch.alloc(size), size: size}
}

// allocSlot returns an 8-byte stack slot.
func (g *gen) allocSlot() int { return g.frame.alloc(8) }

// base returns a register and offset through which m is accessed; tmp is
// used when the base must be loaded.
func (g *gen) base(m mem, tmp asm.Register) (asm.Register, int16) {
	switch m.base {
	case baseStack:
		return g.fp, int16(m.off)
	case baseReg:
		return g.near(m.reg, m, tmp)
	case baseScratch:
		region := m.off / ScratchRegion
		m.off %= ScratchRegion
		g.loadRegion(tmp, region)
		return g.near(tmp, m, tmp)
	case baseRodata:
		g.loadRodata(tmp, m.off)
		return tmp, 0
	case baseSlot:
		g.emit(asm.LoadMem(tmp, g.fp, int16(m.slot), asm.DWord))
		return g.near(tmp, m, tmp)
	}
	internal("unknown memory base %d", m.base)
	return 0, 0
}

// near returns reg and m's offset from it when a 16-bit offset reaches all
// of m (a record or map value may be larger than 32 KiB), or else tmp
// pointing at m.
func (g *gen) near(reg asm.Register, m mem, tmp asm.Register) (asm.Register, int16) {
	if m.off >= math.MinInt16 && m.off+max(m.size, 1)-1 <= math.MaxInt16 {
		return reg, int16(m.off)
	}
	if reg == tmp && m.base == baseReg {
		internal("no register to reach offset %d from %v", m.off, reg)
	}
	if reg != tmp {
		g.emit(asm.Mov.Reg(tmp, reg))
	}
	g.emit(asm.Add.Imm(tmp, int32(m.off)))
	return tmp, 0
}

// addrTo sets dst to the address of m.
func (g *gen) addrTo(m mem, dst asm.Register) {
	if m.base == baseRodata {
		g.loadRodata(dst, m.off)
		return
	}
	reg, off := g.base(m, dst)
	if reg != dst {
		g.emit(asm.Mov.Reg(dst, reg))
	}
	if off != 0 {
		g.emit(asm.Add.Imm(dst, int32(off)))
	}
}

// storeScalar writes the 8-byte value of src at m.
func (g *gen) storeScalar(m mem, src asm.Register) { g.storeReg(m, src, asm.DWord) }

// storeReg writes the low size bytes of src at m, reaching m through a
// register other than src.
func (g *gen) storeReg(m mem, src asm.Register, size asm.Size) {
	tmp := asm.R1
	if src == asm.R1 {
		tmp = asm.R2
	}
	reg, off := g.base(m, tmp)
	g.emit(asm.StoreMem(reg, off, src, size))
}

// storeBytes writes the low n bytes (1 to 8) of src at m, in memory
// order, as stores of 4, 2 and 1 bytes when n is not a store's size; src
// is shifted in the process.
func (g *gen) storeBytes(m mem, src asm.Register, n int) {
	if n == 1 || n == 2 || n == 4 || n == 8 {
		g.storeReg(m, src, sizeOf(n))
		return
	}
	off := 0
	for _, w := range []int{4, 2, 1} {
		if n-off < w {
			continue
		}
		g.storeReg(m.sub(off, w), src, sizeOf(w))
		g.emit(asm.RSh.Imm(src, int32(8*w)))
		off += w
	}
}

// storeImm writes the 8-byte value v at m.
func (g *gen) storeImm(m mem, v int64) {
	if v < -1<<31 || v >= 1<<31 {
		g.loadImm(asm.R2, v)
		g.storeScalar(m, asm.R2)
		return
	}
	reg, off := g.base(m, asm.R1)
	g.emit(stDW(reg, off, int32(v)))
}

// loadScalar reads the 8-byte value at m into dst.
func (g *gen) loadScalar(m mem, dst asm.Register) {
	reg, off := g.base(m, dst)
	g.emit(asm.LoadMem(dst, reg, off, asm.DWord))
}

// inlineLimit is the largest copy or clear done with loads and stores;
// larger ones take one helper call.
const inlineLimit = 64

// fill says what a writer puts in the bytes of its destination that the
// value leaves: after a string's NUL, past a narrower value's end, a
// tuple's padding.
type fill int

const (
	// keepRest leaves them: the destination is a variable, whose bytes
	// the prologue zeroed, or a string only read up to its NUL.
	keepRest fill = iota
	// fillRest writes them, with zeros or with the source's own bytes:
	// the destination is fresh memory that reaches user space or a map
	// whole (a record, a map value, a temporary).
	fillRest
	// zeroRest zeros them: a map key, which the kernel compares byte for
	// byte.
	zeroRest
)

// fillTail clears dst past its first n bytes unless f keeps them.
// Helper calls may be emitted: no volatile register may be live.
func (g *gen) fillTail(dst mem, n int, f fill) {
	if f != keepRest && n < dst.size {
		g.zero(dst.sub(n, dst.size-n))
	}
}

// zero clears m. Helper calls may be emitted: no volatile register may be
// live.
func (g *gen) zero(m mem) {
	if m.size <= 0 {
		return
	}
	if m.size <= inlineLimit {
		reg, off := g.base(m, asm.R1)
		g.storeZeros(reg, off, m.size)
		return
	}
	for done := 0; done < m.size; done += g.rodata.zeroSize {
		n := min(g.rodata.zeroSize, m.size-done)
		g.addrTo(m.sub(done, n), asm.R1)
		g.emit(asm.Mov.Imm(asm.R2, int32(n)))
		g.loadRodata(asm.R3, rodataZeroOffset)
		g.call(asm.FnProbeReadKernel)
	}
}

// storeZeros clears size bytes at reg+off with the widest aligned stores.
func (g *gen) storeZeros(reg asm.Register, off int16, size int) {
	for i := 0; i < size; {
		at := int(off) + i
		switch {
		case at%8 == 0 && i+8 <= size:
			g.emit(stDW(reg, int16(at), 0))
			i += 8
		case at%4 == 0 && i+4 <= size:
			g.emit(asm.StoreImm(reg, int16(at), 0, asm.Word))
			i += 4
		case at%2 == 0 && i+2 <= size:
			g.emit(asm.StoreImm(reg, int16(at), 0, asm.Half))
			i += 2
		default:
			g.emit(asm.StoreImm(reg, int16(at), 0, asm.Byte))
			i++
		}
	}
}

// copyMem copies n bytes from src to dst. Helper calls may be emitted.
func (g *gen) copyMem(dst, src mem, n int) {
	if n > inlineLimit {
		g.addrTo(src, asm.R3)
		g.addrTo(dst, asm.R1)
		g.emit(asm.Mov.Imm(asm.R2, int32(n)))
		g.call(asm.FnProbeReadKernel)
		return
	}
	dreg, doff := g.base(dst, asm.R1)
	sreg, soff := g.base(src, asm.R2)
	for i := 0; i < n; {
		// The widest access both sides are aligned for: the context and
		// the stack refuse misaligned ones.
		w := 8
		for w > 1 && ((int(soff)+i)%w != 0 || (int(doff)+i)%w != 0 || i+w > n) {
			w /= 2
		}
		g.emit(asm.LoadMem(asm.R3, sreg, soff+int16(i), sizeOf(w)))
		g.emit(asm.StoreMem(dreg, doff+int16(i), asm.R3, sizeOf(w)))
		i += w
	}
}

// stDW is `*(u64 *)(dst + off) = v`, v sign-extended from 32 bits. asm's
// StoreImm refuses the double-word form because its constant is 64-bit.
func stDW(dst asm.Register, off int16, v int32) asm.Instruction {
	return asm.Instruction{OpCode: asm.StoreImmOp(asm.DWord), Dst: dst, Offset: off, Constant: int64(v)}
}

// incSlot adds one to the 8-byte stack slot, through tmp.
func (g *gen) incSlot(slot int, tmp asm.Register) {
	g.emit(asm.LoadMem(tmp, g.fp, int16(slot), asm.DWord))
	g.emit(asm.Add.Imm(tmp, 1))
	g.emit(asm.StoreMem(g.fp, int16(slot), tmp, asm.DWord))
}

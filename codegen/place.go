package codegen

import (
	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// place is where a value that the program reads in pieces lives: memory it
// can load from directly (a variable, a map value, the context), or memory
// behind a pointer, which a helper must read (kernel or user memory).
type place struct {
	direct bool
	m      mem // direct: the memory
	// behind a pointer: the stack slot holding the base address, the
	// constant offset from it, and whose memory it is. A local slot is in
	// a callback's own frame: the verifier lets no callback keep a stack
	// address in its caller's frame.
	slot  int
	local bool
	off   int
	space lang.AddrSpace
	// bitfields: the value is bitSize bits at bitOff of the bitBytes
	// bytes read (1, 2, 4 or 8).
	bitOff, bitSize, bitBytes int
	// from is the pointer expression a place behind a pointer came from,
	// where a failed read is reported (-k).
	from lang.Expr
}

// bitWindow finds the aligned load that holds a bitfield of size bits at
// bit bitOff of byte off of its struct: the byte it starts at, how many
// bytes (1, 2, 4 or 8) and the shift. It is aligned to its size from the
// struct's start: a wider load might read past the struct's end (a map
// value's), and the verifier refuses loads from the stack that are not
// aligned.
func bitWindow(off, bitOff, size int) (start, n, shift int) {
	abs := off*8 + bitOff
	for _, n := range []int{1, 2, 4} {
		start := abs / 8 &^ (n - 1)
		if (start+n)*8 >= abs+size {
			return start, n, abs - start*8
		}
	}
	start = abs / 8 &^ 7
	if (start+8)*8 >= abs+size {
		return start, 8, abs - start*8
	}
	return off, 8, bitOff // across 8 bytes (packed): read from its first byte
}

// at returns the part of p at off.
func (p place) at(off int) place {
	if p.direct {
		p.m = p.m.sub(off, p.m.size-off)
	} else {
		p.off += off
	}
	return p
}

// pointerPlace evaluates a pointer (or an address held in an integer) and
// returns the memory it points to.
func (g *gen) pointerPlace(e lang.Expr, space lang.AddrSpace) place {
	slot := g.allocSlot()
	g.withReg(func(r asm.Register) {
		g.scalarTo(e, r)
		g.emit(asm.StoreMem(g.fp, int16(slot), r, asm.DWord))
	})
	return place{slot: slot, space: space, from: e}
}

// spaceOf is where a pointer of type t points. Integers used as
// addresses point into the probe's memory: user memory in uprobes, kernel
// memory otherwise.
func (g *gen) spaceOf(t *lang.Type) lang.AddrSpace {
	if t.Kind == lang.KindPointer {
		return t.Space
	}
	if g.kind.IsUserProbe() {
		return lang.SpaceUser
	}
	return lang.SpaceKernel
}

// placeOf returns where the value of e lives, evaluating what leads to it.
// Values that live nowhere yet are written to fresh memory.
func (g *gen) placeOf(e lang.Expr) place {
	switch e := e.(type) {
	case *lang.Var:
		return place{direct: true, m: g.vars[g.info.Vars[e]]}
	case *lang.MapExpr:
		return place{direct: true, m: g.mapValueRef(e)}
	case *lang.FieldExpr:
		if isArgs(e.X) {
			f := g.info.Tracepoints[g.aps[0]].Field(e.Field)
			return place{direct: true, m: mem{base: baseReg, reg: g.ctxReg(), off: f.Offset, size: f.Size, shared: true}}
		}
		rf := g.info.Fields[e]
		xt := g.info.TypeOf(e.X)
		var p place
		if xt.Kind == lang.KindPointer {
			p = g.pointerPlace(e.X, xt.Space)
		} else {
			p = g.placeOf(e.X)
		}
		if rf.BitSize == 0 {
			return p.at(rf.Offset)
		}
		start, n, shift := bitWindow(rf.Offset, rf.BitOffset, rf.BitSize)
		p = p.at(start)
		p.bitOff, p.bitSize, p.bitBytes = shift, rf.BitSize, n
		return p
	case *lang.IndexExpr:
		return g.indexPlace(e)
	case *lang.UnaryExpr:
		if e.Op == lang.OpDeref {
			return g.pointerPlace(e.X, g.spaceOf(g.info.TypeOf(e.X)))
		}
	case *lang.Call:
		if g.info.Funcs[e] == lang.FuncGetopt {
			return place{direct: true, m: g.optionMem(e)}
		}
	}
	t := g.info.TypeOf(e)
	m := g.allocMem(storedSize(t))
	m.size = storedSize(t)
	g.memTo(e, m, fillRest) // it may be copied whole
	return place{direct: true, m: m}
}

// indexPlace finds X[i]: a tuple member, an array element or the element a
// pointer plus i points to. A run-time index into an array reads through
// the array's address, which keeps the verifier's bounds simple.
func (g *gen) indexPlace(e *lang.IndexExpr) place {
	xt := g.info.TypeOf(e.X)
	if xt.Kind == lang.KindTuple {
		return g.placeOf(e.X).at(g.info.Fields[e].Offset)
	}
	elem, n := xt.Elem, xt.Len
	if xt.Kind == lang.KindString {
		elem, n = lang.Int8, xt.Size // a string's characters
	}
	if k, ok := g.constInt(e.Index); ok && xt.Kind != lang.KindPointer {
		return g.placeOf(e.X).at(int(k) * elem.Size)
	}
	var base place
	if xt.Kind == lang.KindPointer {
		base = g.pointerPlace(e.X, xt.Space)
	} else {
		base = g.addressOf(g.placeOf(e.X))
	}
	// base += index * size
	g.withReg(func(r asm.Register) {
		g.scalarTo(e.Index, r)
		if xt.Kind != lang.KindPointer && n > 0 {
			// Out of bounds is counted, for user space to warn of, and
			// reads element 0.
			ok := g.newLabel("index_ok")
			g.emit(asm.JLT.Imm(r, int32(n), ok))
			g.withTemp(func(t asm.Register) { g.countSite(Site{Kind: SiteIndexOOB}, e, t, r) })
			g.emit(asm.Mov.Imm(r, 0))
			g.place(ok)
		}
		if elem.Size != 1 {
			g.emit(asm.Mul.Imm(r, int32(elem.Size)))
		}
		g.withTemp(func(t asm.Register) {
			g.emit(asm.LoadMem(t, g.slotBase(base), int16(base.slot), asm.DWord))
			g.emit(asm.Add.Reg(t, r))
			g.emit(asm.StoreMem(g.slotBase(base), int16(base.slot), t, asm.DWord))
		})
	})
	return base
}

// addressOf turns a direct place into one reached through its address, so
// that it can be offset at run time.
func (g *gen) addressOf(p place) place {
	if !p.direct {
		return p
	}
	out := place{slot: g.allocSlot(), space: lang.SpaceKernel}
	if g.inCallback {
		out = place{slot: g.local.alloc(8), local: true, space: lang.SpaceKernel}
	}
	g.withTemp(func(t asm.Register) {
		g.addrTo(p.m, t)
		g.emit(asm.StoreMem(g.slotBase(out), int16(out.slot), t, asm.DWord))
	})
	return out
}

// slotBase is the frame p's slot is in.
func (g *gen) slotBase(p place) asm.Register {
	if p.local {
		return asm.R10
	}
	return g.fp
}

// readHelper is the helper that copies memory of a space.
func readHelper(space lang.AddrSpace, str bool) asm.BuiltinFunc {
	switch {
	case space == lang.SpaceUser && str:
		return asm.FnProbeReadUserStr
	case space == lang.SpaceUser:
		return asm.FnProbeReadUser
	case str:
		return asm.FnProbeReadKernelStr
	}
	return asm.FnProbeReadKernel
}

// readInto copies n bytes from behind a pointer place to dst with the
// helper of its space (the string variant stops at a NUL).
func (g *gen) readInto(p place, dst mem, n int, str bool) {
	g.emit(asm.LoadMem(asm.R3, g.slotBase(p), int16(p.slot), asm.DWord))
	if p.off != 0 {
		g.emit(asm.Add.Imm(asm.R3, int32(p.off)))
	}
	g.addrTo(dst, asm.R1)
	g.emit(asm.Mov.Imm(asm.R2, int32(n)))
	fn := readHelper(p.space, str)
	g.call(fn)
	g.checkRead(fn, p.from)
}

// readScalar loads the scalar of type t at p into dst, normalised.
func (g *gen) readScalar(p place, t *lang.Type, dst asm.Register) {
	size := storedSizeIn(t)
	if p.bitSize > 0 {
		size = p.bitBytes
	}
	if p.direct {
		reg, off := g.base(p.m, dst)
		g.emit(asm.LoadMem(dst, reg, off, sizeOf(size)))
	} else {
		tmp := mem{base: baseStack, off: g.allocSlot(), size: 8}
		g.emit(stDW(g.fp, int16(tmp.off), 0))
		g.readInto(p, tmp, size, false)
		g.emit(asm.LoadMem(dst, g.fp, int16(tmp.off), sizeOf(size)))
	}
	if p.bitSize > 0 {
		// A bitfield: shift its bits down, then extend them.
		if p.bitOff > 0 {
			g.emit(asm.RSh.Imm(dst, int32(p.bitOff)))
		}
		if t.IsSigned() {
			g.emit(asm.LSh.Imm(dst, int32(64-p.bitSize)), asm.ArSh.Imm(dst, int32(64-p.bitSize)))
		} else if p.bitSize < 32 {
			g.emit(asm.And.Imm(dst, int32(1)<<p.bitSize-1))
		} else {
			g.emit(asm.LSh.Imm(dst, int32(64-p.bitSize)), asm.RSh.Imm(dst, int32(64-p.bitSize)))
		}
		return
	}
	if t.IsSigned() && size < 8 {
		g.signExtend(dst, size)
	}
}

// copyPlace copies n bytes of p to dst.
func (g *gen) copyPlace(p place, dst mem, n int) {
	if p.direct {
		g.copyMem(dst, p.m, n)
		return
	}
	g.readInto(p, dst, n, false)
}

// storedSizeIn is how many bytes a scalar of t takes inside a tuple, record,
// struct or array: its own size, pointers 8.
func storedSizeIn(t *lang.Type) int {
	switch t.Kind {
	case lang.KindInt, lang.KindBool:
		return t.Size
	}
	return 8
}

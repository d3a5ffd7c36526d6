package codegen

import (
	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// Flags of bpf_map_update_elem.
const (
	bpfAny     = 0
	bpfNoExist = 1
)

// key builds the key of a map access in memory. A scalar map's key is the
// uint32 0.
func (g *gen) key(m *lang.MapExpr) mem {
	meta := g.maps[m.Name]
	if meta.Key == nil {
		k := mem{base: baseStack, off: g.allocSlot(), size: 4}
		g.emit(asm.StoreImm(asm.RFP, int16(k.off), 0, asm.Word))
		return k
	}
	k := g.allocMem(meta.Key.Size)
	for i, part := range meta.Key.Parts {
		size := storedSize(part.Type)
		if part.Type.IsScalar() {
			g.withHeld(asm.R0, func() {
				g.scalarTo(m.Keys[i], asm.R0)
				g.storeScalar(k.sub(part.Offset, 8), asm.R0)
			})
			continue
		}
		// Keys are compared whole: everything after the string's NUL is
		// zero, up to the next part.
		g.strTo(m.Keys[i], k.sub(part.Offset, (size+7)&^7), true)
	}
	return k
}

// withHeld runs f with r marked busy.
func (g *gen) withHeld(r asm.Register, f func()) {
	if !g.regs.hold(r) {
		internal("register %v is already in use", r)
	}
	f()
	g.regs.free(r)
}

// lookup emits bpf_map_lookup_elem(map, key); the value's address, or
// NULL, is left in R0.
func (g *gen) lookup(name string, key mem) {
	g.loadMap(asm.R1, g.maps[name].SpecName)
	g.addrTo(key, asm.R2)
	g.call(asm.FnMapLookupElem)
}

// update emits bpf_map_update_elem(map, key, value, flags).
func (g *gen) update(name string, key, value mem, flags int32) {
	g.loadMap(asm.R1, g.maps[name].SpecName)
	g.addrTo(key, asm.R2)
	g.addrTo(value, asm.R3)
	g.emit(asm.Mov.Imm(asm.R4, flags))
	g.call(asm.FnMapUpdateElem)
}

// mapReadTo reads an integer map value into dst; a missing key reads 0.
func (g *gen) mapReadTo(m *lang.MapExpr, dst asm.Register) {
	key := g.key(m)
	g.lookup(m.Name, key)
	missing, end := g.newLabel("missing"), g.newLabel("read_end")
	g.emit(asm.JEq.Imm(asm.R0, 0, missing))
	g.emit(asm.LoadMem(dst, asm.R0, 0, asm.DWord))
	g.emit(asm.Ja.Label(end))
	g.place(missing)
	g.emit(asm.Mov.Imm(dst, 0))
	g.place(end)
}

// mapValueRef looks up a map's value and leaves its address in a
// callee-saved register: the value itself, or zeros from the read-only
// data when the key is missing.
func (g *gen) mapValueRef(m *lang.MapExpr) mem {
	key := g.key(m)
	g.lookup(m.Name, key)
	found := g.newLabel("found")
	g.emit(asm.JNE.Imm(asm.R0, 0, found))
	g.loadRodata(asm.R0, rodataZeroOffset)
	g.place(found)
	reg, ok := g.regs.stable()
	if !ok {
		internal("no callee-saved register for a map value")
	}
	g.emit(asm.Mov.Reg(reg, asm.R0))
	return mem{base: baseReg, reg: reg, size: storedSize(g.info.TypeOf(m))}
}

// releaseMem frees the register a memory area's address is kept in.
func (g *gen) releaseMem(m mem) {
	if m.base == baseReg && !m.shared {
		g.regs.free(m.reg)
	}
}

// assignMap stores value in a map: @m[k] = value.
func (g *gen) assignMap(m *lang.MapExpr, value lang.Expr) {
	meta := g.maps[m.Name]
	key := g.key(m)
	val := g.allocMem(meta.ValueSize)
	if meta.Value.IsScalar() {
		g.withHeld(asm.R0, func() {
			g.scalarTo(value, asm.R0)
			g.storeScalar(val, asm.R0)
		})
	} else {
		g.strTo(value, val, val.base == baseStack)
	}
	g.update(m.Name, key, val, bpfAny)
}

// aggregate updates a count() or sum() map. Per-CPU values need no atomics.
func (g *gen) aggregate(m *lang.MapExpr, call *lang.Call) {
	meta := g.maps[m.Name]
	// sum's argument waits on the stack while the key is built.
	var arg mem
	if meta.Agg == AggSum {
		arg = mem{base: baseStack, off: g.allocSlot(), size: 8}
		g.withHeld(asm.R0, func() {
			g.scalarTo(call.Args[0], asm.R0)
			g.storeScalar(arg, asm.R0)
		})
	}
	key := g.key(m)
	g.lookup(m.Name, key)
	insert, end := g.newLabel("insert"), g.newLabel("agg_end")
	if meta.Array {
		insert = end // the entry always exists; the check is for the verifier
	}
	g.emit(asm.JEq.Imm(asm.R0, 0, insert))
	g.emit(asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord))
	if meta.Agg == AggSum {
		g.emit(asm.LoadMem(asm.R2, asm.RFP, int16(arg.off), asm.DWord))
		g.emit(asm.Add.Reg(asm.R1, asm.R2))
		g.emit(asm.StoreMem(asm.R0, 0, asm.R1, asm.DWord))
		g.emit(asm.LoadMem(asm.R1, asm.R0, 8, asm.DWord))
	}
	g.emit(asm.Add.Imm(asm.R1, 1))
	g.emit(asm.StoreMem(asm.R0, int16(meta.ValueSize-8), asm.R1, asm.DWord))
	if !meta.Array {
		g.emit(asm.Ja.Label(end))
		g.place(insert)
		val := mem{base: baseStack, off: g.frame.alloc(meta.ValueSize), size: meta.ValueSize}
		if meta.Agg == AggSum {
			g.emit(asm.LoadMem(asm.R1, asm.RFP, int16(arg.off), asm.DWord))
			g.emit(asm.StoreMem(asm.RFP, int16(val.off), asm.R1, asm.DWord))
		}
		g.emit(stDW(asm.RFP, int16(val.off+meta.ValueSize-8), int32(1)))
		g.update(m.Name, key, val, bpfNoExist)
	}
	g.place(end)
}

// mapUpdateOp applies `@m[k] op= y` (y an expression, or the constant k
// when y is nil). A missing entry counts as 0. When dst is not 0 it
// receives the value before (post) or after the update.
func (g *gen) mapUpdateOp(m *lang.MapExpr, op lang.Op, y lang.Expr, k int64, dst asm.Register, post bool) {
	alu := aluOp(op, g.maps[m.Name].Value)
	key := g.key(m)
	operand := g.allocSlot()
	if y != nil {
		g.withHeld(asm.R0, func() {
			g.scalarTo(y, asm.R0)
			g.emit(asm.StoreMem(asm.RFP, int16(operand), asm.R0, asm.DWord))
		})
	} else {
		g.storeImm(mem{base: baseStack, off: operand, size: 8}, k)
	}
	result := 0
	if dst != 0 {
		result = g.allocSlot()
	}
	// keep stores the value before or after the update for dst.
	keep := func(before bool, r asm.Register) {
		if dst != 0 && before == post {
			g.emit(asm.StoreMem(asm.RFP, int16(result), r, asm.DWord))
		}
	}
	g.lookup(m.Name, key)
	missing, end := g.newLabel("missing"), g.newLabel("update_end")
	g.emit(asm.JEq.Imm(asm.R0, 0, missing))
	// Found: update in place.
	g.emit(asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord))
	keep(true, asm.R1)
	g.emit(asm.LoadMem(asm.R2, asm.RFP, int16(operand), asm.DWord))
	g.emit(alu.Reg(asm.R1, asm.R2))
	g.emit(asm.StoreMem(asm.R0, 0, asm.R1, asm.DWord))
	keep(false, asm.R1)
	g.emit(asm.Ja.Label(end))
	// Missing: insert 0 op y.
	g.place(missing)
	g.emit(asm.Mov.Imm(asm.R1, 0))
	keep(true, asm.R1)
	g.emit(asm.LoadMem(asm.R2, asm.RFP, int16(operand), asm.DWord))
	g.emit(alu.Reg(asm.R1, asm.R2))
	g.emit(asm.StoreMem(asm.RFP, int16(operand), asm.R1, asm.DWord))
	keep(false, asm.R1)
	g.update(m.Name, key, mem{base: baseStack, off: operand, size: 8}, bpfAny)
	g.place(end)
	if dst != 0 {
		g.emit(asm.LoadMem(dst, asm.RFP, int16(result), asm.DWord))
	}
}

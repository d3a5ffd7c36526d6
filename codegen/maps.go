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
// uint32 0. A histogram's key ends with the bucket, zero here.
func (g *gen) key(m *lang.MapExpr) mem { return g.keyWith(m, false) }

// keyWith builds a key; with bucketLater, a histogram's bucket is left to
// the caller. Every byte no part covers is zero: the kernel compares keys
// byte for byte.
func (g *gen) keyWith(m *lang.MapExpr, bucketLater bool) mem {
	meta := g.maps[m.Name]
	if meta.Key == nil {
		k := mem{base: baseStack, off: g.allocSlot(), size: 4}
		g.emit(asm.StoreImm(g.fp, int16(k.off), 0, asm.Word))
		return k
	}
	k := g.allocMem(meta.Key.Size)
	k.size = meta.Key.Size
	end := 0
	keys := m.Keys
	if nkeys := len(g.info.Maps[m.Name].Keys); len(m.Keys) == 1 && nkeys > 1 {
		// One tuple stands for the keys: it is converted, member by
		// member, into the tuple they are laid out as.
		types := make([]*lang.Type, nkeys)
		for i, part := range meta.Key.Parts[:nkeys] {
			types[i] = part.Type
		}
		t := lang.TupleType(types)
		g.valueTo(m.Keys[0], t, k.sub(0, t.Size), zeroRest)
		end = t.Size
		keys = make([]lang.Expr, nkeys) // parts past them: a histogram's bucket
	}
	for i, part := range meta.Key.Parts {
		if i < len(keys) && keys[i] == nil {
			continue // built from the tuple
		}
		size := storedSize(part.Type)
		if part.Type.IsScalar() {
			size = storedSizeIn(part.Type)
		}
		if part.Offset > end {
			g.zero(k.sub(end, part.Offset-end))
		}
		end = part.Offset + size
		switch {
		case i >= len(keys): // the bucket of a histogram
			if !bucketLater {
				g.zero(k.sub(part.Offset, size))
			}
		case part.Type.IsScalar():
			g.withReg(func(r asm.Register) {
				g.scalarTo(m.Keys[i], r)
				g.storeReg(k.sub(part.Offset, size), r, sizeOf(size))
			})
		default:
			// Everything after a string's NUL is zero too.
			g.valueTo(m.Keys[i], part.Type, k.sub(part.Offset, size), zeroRest)
		}
	}
	g.fillTail(k, end, zeroRest)
	return k
}

// withReg runs f with a free scratch register held for it, R0 when it is
// free. f may evaluate an expression into it.
func (g *gen) withReg(f func(r asm.Register)) {
	for _, r := range []asm.Register{asm.R0, asm.R5, asm.R4, asm.R3, asm.R2, asm.R1} {
		if g.regs.hold(r) {
			f(r)
			g.regs.free(r)
			return
		}
	}
	internal("out of scratch registers")
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
//
// A hash map refuses a new key when it is full (E2BIG): the program then
// counts the failure for this place in the script, in the state map, and
// user space says once that the map is full.
func (g *gen) update(m *lang.MapExpr, key, value mem, flags int32) {
	meta := g.maps[m.Name]
	g.updateCall(meta, key, value, flags)
	if meta.Array {
		return
	}
	stored := g.newLabel("stored")
	g.emit(asm.JNE.Imm(asm.R0, -e2big, stored))
	// R0 is -E2BIG: the counter adds it (SiteCount).
	g.loadSite(asm.R1, meta, m)
	g.emit(asm.StoreXAdd(asm.R1, asm.R0, asm.DWord))
	g.place(stored)
}

// updateCall emits the call bpf_map_update_elem(map, key, value, flags).
func (g *gen) updateCall(meta *MapMeta, key, value mem, flags int32) {
	g.loadMap(asm.R1, meta.SpecName)
	g.addrTo(key, asm.R2)
	g.addrTo(value, asm.R3)
	g.emit(asm.Mov.Imm(asm.R4, flags))
	g.call(asm.FnMapUpdateElem)
}

// loadSite puts in dst the address of the counter of the full-map site
// of m's update, in the state map.
func (g *gen) loadSite(dst asm.Register, meta *MapMeta, m *lang.MapExpr) {
	i := g.siteIndex(Site{Kind: SiteFull, Map: meta.Index}, m)
	g.emit(asm.LoadMapValue(dst, 0, uint32(StateSitesOffset+8*i)).WithReference(lostMapName))
}

// countSite emits the count of a site at node n: one more in its counter
// of the state map, with the registers ptr and one, which it clobbers. The
// site is added to the manifest the first time.
func (g *gen) countSite(site Site, n lang.Node, ptr, one asm.Register) {
	i := g.siteIndex(site, n)
	g.emit(asm.LoadMapValue(ptr, 0, uint32(StateSitesOffset+8*i)).WithReference(lostMapName))
	g.emit(asm.Mov.Imm(one, 1))
	g.emit(asm.StoreXAdd(ptr, one, asm.DWord))
}

// siteIndex returns the index of the site of its kind at node n, adding
// it to the manifest the first time.
func (g *gen) siteIndex(site Site, n lang.Node) int {
	key := siteKey{site.Kind, n}
	i, ok := g.sites[key]
	if !ok {
		src := g.src.For(n)
		site.Pos, site.End = src.Pos(n.Start().Offset), src.Pos(n.End().Offset)
		site.Line = src.Line(site.Pos.Line)
		i = len(g.man.Sites)
		g.man.Sites = append(g.man.Sites, site)
		if g.sites == nil {
			g.sites = map[siteKey]int{}
		}
		g.sites[key] = i
	}
	return i
}

// e2big is the errno of a full map.
const e2big = 7

// mapReadTo reads an integer map value into dst; a missing key reads 0.
// Per-CPU aggregations add up every CPU's value.
func (g *gen) mapReadTo(m *lang.MapExpr, dst asm.Register) {
	key := g.key(m)
	if g.maps[m.Name].PerCPU {
		total := mem{base: baseStack, off: g.allocSlot(), size: 8}
		g.percpuTotal(m.Name, key, total)
		g.emit(asm.LoadMem(dst, g.fp, int16(total.off), asm.DWord))
		return
	}
	g.lookup(m.Name, key)
	missing, end := g.newLabel("missing"), g.newLabel("read_end")
	g.emit(asm.JEq.Imm(asm.R0, 0, missing))
	g.emit(asm.LoadMem(dst, asm.R0, 0, asm.DWord))
	g.emit(asm.Ja.Label(end))
	g.place(missing)
	g.countMiss(m)
	g.emit(asm.Mov.Imm(dst, 0))
	g.place(end)
}

// countMiss counts a map read that found no entry, with -k; it clobbers
// R0-R1, free after the lookup's call.
func (g *gen) countMiss(m *lang.MapExpr) {
	if g.opts.HelperErrors {
		g.countSite(Site{Kind: SiteLookupMiss, Map: g.maps[m.Name].Index}, m, asm.R1, asm.R0)
	}
}

// mapValueRef looks up a map's value and leaves its address in a
// callee-saved register: the value itself, or zeros from the read-only
// data when the key is missing.
func (g *gen) mapValueRef(m *lang.MapExpr) mem {
	key := g.key(m)
	g.lookup(m.Name, key)
	found := g.newLabel("found")
	g.emit(asm.JNE.Imm(asm.R0, 0, found))
	g.countMiss(m)
	g.loadRodata(asm.R0, rodataZeroOffset)
	g.place(found)
	size := storedSize(g.info.TypeOf(m))
	if reg, ok := g.regs.stable(); ok {
		g.emit(asm.Mov.Reg(reg, asm.R0))
		g.stmtRegs = append(g.stmtRegs, reg)
		return mem{base: baseReg, reg: reg, size: size}
	}
	slot := g.allocSlot()
	g.emit(asm.StoreMem(g.fp, int16(slot), asm.R0, asm.DWord))
	return mem{base: baseSlot, slot: slot, size: size}
}

// releaseMem frees the register a memory area's address is kept in.
func (g *gen) releaseMem(m mem) {
	if m.base == baseReg && !m.shared {
		g.regs.free(m.reg)
		for i, r := range g.stmtRegs {
			if r == m.reg {
				g.stmtRegs = append(g.stmtRegs[:i], g.stmtRegs[i+1:]...)
				break
			}
		}
	}
}

// releasePlace frees what a place holds.
func (g *gen) releasePlace(p place) {
	if p.direct {
		g.releaseMem(p.m)
	}
}

// assignMap stores value in a map: @m[k] = value.
func (g *gen) assignMap(m *lang.MapExpr, value lang.Expr) {
	meta := g.maps[m.Name]
	key := g.key(m)
	val := g.allocMem(meta.ValueSize)
	if meta.Value.IsScalar() {
		g.withReg(func(r asm.Register) {
			g.scalarTo(value, r)
			g.storeScalar(val, r)
		})
	} else {
		g.valueTo(value, meta.Value, val, fillRest)
	}
	g.update(m, key, val, bpfAny)
}

// aggregate updates an aggregation map: count, sum, avg, stats, min, max,
// hist, lhist, tseries. Per-CPU values need no atomics.
func (g *gen) aggregate(m *lang.MapExpr, call *lang.Call) {
	meta := g.maps[m.Name]
	if meta.Agg == AggTseries {
		g.tseries(m, call)
		return
	}
	var key mem
	arg := 0
	switch meta.Agg {
	case AggHist, AggLhist:
		// The key first; then the value, whose bucket ends the key.
		key = g.keyWith(m, true)
		g.withReg(func(r asm.Register) {
			g.scalarTo(call.Args[0], r)
			if r != asm.R0 && r != asm.R1 {
				g.move(asm.R1, r) // out of the bucket code's way
				r = asm.R1
			}
			if meta.Agg == AggHist {
				g.log2Bucket(r, int(meta.Value.Args[0]))
			} else {
				g.linearBucket(r, meta.Value.Args)
			}
		})
		last := meta.Key.Parts[len(meta.Key.Parts)-1]
		reg, off := g.base(key.sub(last.Offset, 8), asm.R1)
		g.emit(asm.StoreMem(reg, off, asm.R3, asm.DWord))
	case AggCount:
		key = g.key(m)
	default:
		// The value waits on the stack while the key is built.
		arg = g.allocSlot()
		g.withReg(func(r asm.Register) {
			g.scalarTo(call.Args[0], r)
			g.emit(asm.StoreMem(g.fp, int16(arg), r, asm.DWord))
		})
		key = g.key(m)
	}
	if g.sharedIncr(m, key) {
		return
	}
	g.lookup(m.Name, key)
	if incrAgg(meta) {
		g.countOne(m, key)
		return
	}
	insert, end := g.newLabel("insert"), g.newLabel("agg_end")
	if meta.Array {
		insert = end // the entry always exists; the check is for the verifier
	}
	g.emit(asm.JEq.Imm(asm.R0, 0, insert))
	g.updateAgg(meta, arg)
	if !meta.Array {
		g.emit(asm.Ja.Label(end))
		g.place(insert)
		val := mem{base: baseStack, off: g.frame.alloc(meta.ValueSize), size: meta.ValueSize}
		switch meta.Agg {
		case AggCount, AggHist, AggLhist:
			// The first count, 1, is a constant of the read-only data.
			val = mem{base: baseRodata, off: g.rodata.word(1), size: 8}
		default:
			// {value, 1}: the first value, and one value seen.
			g.emit(asm.LoadMem(asm.R1, g.fp, int16(arg), asm.DWord))
			g.emit(asm.StoreMem(g.fp, int16(val.off), asm.R1, asm.DWord))
			g.emit(stDW(g.fp, int16(val.off+8), 1))
		}
		g.update(m, key, val, bpfNoExist)
	}
	g.place(end)
}

// updateAgg updates the value R0 points to with the stack slot arg.
func (g *gen) updateAgg(meta *MapMeta, arg int) {
	if meta.Array && meta.Agg == AggCount {
		// A scalar count, on every event: a plain add is faster than an
		// atomic one, for one instruction more.
		g.emit(asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord), asm.Add.Imm(asm.R1, 1), asm.StoreMem(asm.R0, 0, asm.R1, asm.DWord))
		return
	}
	g.updatePair(meta.Agg, meta.Value.Signed, arg)
}

// updatePair updates the value and count (or set flag) R0 points to, as
// agg does, with the stack slot arg; signed says how min and max compare.
func (g *gen) updatePair(agg Agg, signed bool, arg int) {
	load := func(r asm.Register, off int16) { g.emit(asm.LoadMem(r, asm.R0, off, asm.DWord)) }
	store := func(off int16, r asm.Register) { g.emit(asm.StoreMem(asm.R0, off, r, asm.DWord)) }
	switch agg {
	case AggCount, AggHist, AggLhist:
		// One instruction fewer than a load, an add and a store.
		g.emit(asm.Mov.Imm(asm.R1, 1), asm.StoreXAdd(asm.R0, asm.R1, asm.DWord))
	case AggSum, AggAvg, AggStats:
		load(asm.R1, 0)
		g.emit(asm.LoadMem(asm.R2, g.fp, int16(arg), asm.DWord))
		g.emit(asm.Add.Reg(asm.R1, asm.R2))
		store(0, asm.R1)
		load(asm.R1, 8)
		g.emit(asm.Add.Imm(asm.R1, 1))
		store(8, asm.R1)
	case AggMin, AggMax:
		// Replace the value when none is set yet, or when arg beats it.
		set, done := g.newLabel("set"), g.newLabel("minmax_done")
		g.emit(asm.LoadMem(asm.R2, g.fp, int16(arg), asm.DWord))
		load(asm.R1, 8)
		g.emit(asm.JEq.Imm(asm.R1, 0, set))
		load(asm.R1, 0)
		jmp := map[[2]bool]asm.JumpOp{
			{false, false}: asm.JGE, {false, true}: asm.JSGE, // min: keep when arg >= value
			{true, false}: asm.JLE, {true, true}: asm.JSLE, // max: keep when arg <= value
		}[[2]bool{agg == AggMax, signed}]
		g.emit(jmp.Reg(asm.R2, asm.R1, done))
		g.place(set)
		store(0, asm.R2)
		g.emit(stDW(asm.R0, 8, 1))
		g.place(done)
	}
}

// log2Bucket computes hist()'s bucket of the value in v (R0 or R1) into
// R3, as bpftrace does: 0 for negative values, 1 + v for v < 2^k, then 2^k
// buckets for each power of two. It uses R2-R4; with k 0 it clobbers v.
func (g *gen) log2Bucket(v asm.Register, k int) {
	mask := int32(1)<<k - 1
	done := g.newLabel("hist_done")
	g.emit(asm.Mov.Imm(asm.R3, 0))
	g.emit(asm.JSLT.Imm(v, 0, done))
	x := asm.R2
	if k == 0 {
		// bucket = l + 2, l the position of v's leftmost 1: halve v
		// itself from r3 = 2.
		g.emit(asm.Mov.Imm(asm.R3, 1), asm.JEq.Imm(v, 0, done))
		g.emit(asm.Mov.Imm(asm.R3, 2))
		x = v
	} else {
		g.emit(asm.Mov.Reg(asm.R3, v), asm.Add.Imm(asm.R3, 1))
		g.emit(asm.JLE.Imm(v, mask, done))
		g.emit(asm.Mov.Reg(asm.R2, v), asm.Mov.Imm(asm.R3, 0))
	}
	// l = the position of the leftmost 1, found by halving.
	for i := 5; i >= 0; i-- {
		bits := int32(1) << i
		skip := g.newLabel("hist_bit")
		if bits == 32 {
			// 2^32 does not fit an immediate: test the high half.
			g.emit(asm.Mov.Reg(asm.R4, x), asm.RSh.Imm(asm.R4, 32), asm.JEq.Imm(asm.R4, 0, skip))
		} else {
			g.emit(asm.JLT.Imm(x, int32(1)<<bits, skip))
		}
		g.emit(asm.RSh.Imm(x, bits), asm.Add.Imm(asm.R3, bits))
		g.place(skip)
	}
	if k > 0 {
		// bucket = ((l - k + 1) << k) + ((v >> (l - k)) & mask) + 1
		g.emit(asm.Sub.Imm(asm.R3, int32(k)))
		g.emit(asm.Mov.Reg(asm.R4, v), asm.RSh.Reg(asm.R4, asm.R3), asm.And.Imm(asm.R4, mask))
		g.emit(asm.Add.Imm(asm.R3, 1), asm.LSh.Imm(asm.R3, int32(k)))
		g.emit(asm.Add.Reg(asm.R3, asm.R4), asm.Add.Imm(asm.R3, 1))
	}
	g.place(done)
}

// linearBucket computes lhist()'s bucket of the value in v (R0 or R1)
// into R3: 0 below min, 1 + (v - min) / step inside, 1 + (max - min) /
// step above max. It uses R2-R3.
func (g *gen) linearBucket(v asm.Register, args []int64) {
	min, max, step := args[0], args[1], args[2]
	done := g.newLabel("lhist_done")
	cmp := func(op asm.JumpOp, bound int64, label string) {
		if bound >= -1<<31 && bound < 1<<31 {
			g.emit(op.Imm(v, int32(bound), label))
			return
		}
		g.loadImm(asm.R2, bound)
		g.emit(op.Reg(v, asm.R2, label))
	}
	g.emit(asm.Mov.Imm(asm.R3, 0))
	cmp(asm.JSLT, min, done)
	g.loadImm(asm.R3, 1+(max-min)/step)
	cmp(asm.JSGT, max, done)
	g.emit(asm.Mov.Reg(asm.R3, v))
	if min != 0 {
		g.loadImm(asm.R2, min)
		g.emit(asm.Sub.Reg(asm.R3, asm.R2))
	}
	if step != 1 {
		g.loadImm(asm.R2, step)
		g.emit(asm.Div.Reg(asm.R3, asm.R2))
	}
	g.emit(asm.Add.Imm(asm.R3, 1))
	g.place(done)
}

// mapUpdateOp applies `@m[k] op= y` (y an expression, or the constant k
// when y is nil). A missing entry counts as 0. When want is set, dst
// receives the value before (post) or after the update.
func (g *gen) mapUpdateOp(m *lang.MapExpr, op lang.Op, y lang.Expr, k int64, dst asm.Register, want, post bool) {
	t := g.maps[m.Name].Value
	key := g.key(m)
	operand := g.allocSlot()
	if y != nil {
		g.withReg(func(r asm.Register) {
			g.scalarTo(y, r)
			// @p += n and @p -= n move a pointer by n of what it points
			// to (k, from ++ and --, is moved already).
			if step := pointerStep(t); step != 1 && (op == lang.OpAdd || op == lang.OpSub) {
				g.emit(asm.Mul.Imm(r, step))
			}
			g.emit(asm.StoreMem(g.fp, int16(operand), r, asm.DWord))
		})
	} else {
		g.storeImm(mem{base: baseStack, off: operand, size: 8}, k)
	}
	result := 0
	if want {
		result = g.allocSlot()
	}
	// keep stores the value before or after the update for dst.
	keep := func(before bool, r asm.Register) {
		if want && before == post {
			g.emit(asm.StoreMem(g.fp, int16(result), r, asm.DWord))
		}
	}
	g.lookup(m.Name, key)
	missing, end := g.newLabel("missing"), g.newLabel("update_end")
	g.emit(asm.JEq.Imm(asm.R0, 0, missing))
	// Found: update in place.
	g.emit(asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord))
	keep(true, asm.R1)
	g.emit(asm.LoadMem(asm.R2, g.fp, int16(operand), asm.DWord))
	g.aluReg(op, t, asm.R1, asm.R2, y)
	g.emit(asm.StoreMem(asm.R0, 0, asm.R1, asm.DWord))
	keep(false, asm.R1)
	g.emit(asm.Ja.Label(end))
	// Missing: insert 0 op y.
	g.place(missing)
	g.emit(asm.Mov.Imm(asm.R1, 0))
	keep(true, asm.R1)
	g.emit(asm.LoadMem(asm.R2, g.fp, int16(operand), asm.DWord))
	g.aluReg(op, t, asm.R1, asm.R2, y)
	g.emit(asm.StoreMem(g.fp, int16(operand), asm.R1, asm.DWord))
	keep(false, asm.R1)
	g.update(m, key, mem{base: baseStack, off: operand, size: 8}, bpfAny)
	g.place(end)
	if want {
		g.emit(asm.LoadMem(dst, g.fp, int16(result), asm.DWord))
	}
}

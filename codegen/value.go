package codegen

import (
	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// memTo writes the value of e, of any type held in memory (strings,
// tuples, records, structs, arrays, buffers), into dst; f says what the
// bytes the value leaves get. Helper calls may be emitted: no volatile
// register may be live.
func (g *gen) memTo(e lang.Expr, dst mem, f fill) {
	t := g.info.TypeOf(e)
	if t.Kind == lang.KindString {
		g.strTo(e, dst, f)
		return
	}
	switch e := e.(type) {
	case *lang.TupleExpr:
		g.fieldsTo(e.Elems, t, dst, f)
		return
	case *lang.RecordExpr:
		g.fieldsTo(e.Elems, t, dst, f)
		return
	case *lang.CastExpr:
		if t.Kind == lang.KindArray && g.info.TypeOf(e.X).IsScalar() {
			// (uint8[8])x: the integer's bytes, widened to the array's
			// size (up to 8 bytes).
			g.withReg(func(r asm.Register) {
				g.scalarTo(e.X, r)
				g.storeBytes(dst, r, t.Size)
			})
			g.fillTail(dst, t.Size, f)
			return
		}
		g.memTo(e.X, dst, f)
		return
	case *lang.CondExpr, *lang.BlockExpr:
		// The branches may be tuples narrower than the whole.
		g.eachBranch(e, func(b lang.Expr) { g.valueTo(b, t, dst, f) })
		return
	case *lang.Call:
		switch g.info.Funcs[e] {
		case lang.FuncBuf:
			g.bufTo(e, dst, f)
			return
		case lang.FuncNtop:
			g.ntopTo(e, dst)
			return
		case lang.FuncPton:
			b := g.info.Addresses[e]
			g.constBytesTo(b, dst)
			g.fillTail(dst, len(b), f)
			return
		case lang.FuncMacaddr:
			g.macaddrTo(e, dst, f)
			return
		case lang.FuncUsym:
			g.usymTo(e, dst)
			g.fillTail(dst, storedSize(t), f)
			return
		}
	}
	p := g.placeOf(e)
	g.convertPlace(p, t, dst, t, f)
	g.releasePlace(p)
}

// fieldsTo writes a tuple or record literal member by member.
func (g *gen) fieldsTo(elems []lang.Expr, t *lang.Type, dst mem, f fill) {
	g.zeroHoles(t, dst, f)
	for i, x := range elems {
		field := t.Fields[i]
		part := dst.sub(field.Offset, storedSizeIn(field.Type))
		if field.Type.IsScalar() {
			g.withReg(func(r asm.Register) {
				g.scalarTo(x, r)
				g.storeReg(part, r, sizeOf(storedSizeIn(field.Type)))
			})
			continue
		}
		part.size = field.Type.StoredSize()
		g.memTo(x, part, f)
	}
}

// zeroHoles clears the padding between and after the members of a tuple
// or record at dst unless f keeps it. (A variable's padding stays as the
// prologue zeroed it: nothing writes there.)
func (g *gen) zeroHoles(t *lang.Type, dst mem, f fill) {
	if f == keepRest {
		return
	}
	end := 0
	for _, field := range t.Fields {
		if field.Offset > end {
			g.zero(dst.sub(end, field.Offset-end))
		}
		end = field.Offset + field.Type.StoredSize()
	}
	if end < t.Size {
		g.zero(dst.sub(end, t.Size-end))
	}
}

// memRef returns memory holding the value of e that can be read directly:
// its own place when direct, else a fresh copy.
func (g *gen) memRef(e lang.Expr) mem {
	p := g.placeOf(e)
	if p.direct {
		return p.m
	}
	t := g.info.TypeOf(e)
	m := g.allocMem(storedSize(t))
	m.size = storedSize(t)
	g.copyPlace(p, m, m.size)
	return m
}

// bufTo evaluates buf(p, n) into dst: the length, then the bytes, the
// rest as f says. The bytes past a length known only at run time are
// zero: buffers compare byte for byte.
func (g *gen) bufTo(call *lang.Call, dst mem, f fill) {
	t := g.info.TypeOf(call)
	if _, ok := g.constInt(call.Args[len(call.Args)-1]); len(call.Args) == 2 && !ok {
		g.zero(dst.sub(8, t.Size))
	}
	g.fillTail(dst, 8+t.Size, f)
	arg := call.Args[0]
	at := g.info.TypeOf(arg)
	lenSlot := mem{base: baseStack, off: g.allocSlot(), size: 8}
	if len(call.Args) == 2 {
		g.withReg(func(r asm.Register) {
			g.scalarTo(call.Args[1], r)
			ok := g.newLabel("buf_len_ok")
			g.emit(asm.JLE.Imm(r, int32(t.Size), ok))
			g.emit(asm.Mov.Imm(r, int32(t.Size)))
			g.place(ok)
			g.storeScalar(lenSlot, r)
		})
	} else {
		g.storeImm(lenSlot, int64(t.Size))
	}
	var src place
	if at.Kind == lang.KindArray || at.Kind == lang.KindString {
		src = g.addressOf(g.placeOf(arg))
	} else {
		src = g.pointerPlace(arg, g.spaceOf(at))
	}
	g.withTemp(func(r asm.Register) {
		g.emit(asm.LoadMem(r, g.fp, int16(lenSlot.off), asm.DWord))
		g.storeReg(dst, r, asm.DWord)
	})
	g.emit(asm.LoadMem(asm.R3, g.slotBase(src), int16(src.slot), asm.DWord))
	if src.off != 0 {
		g.emit(asm.Add.Imm(asm.R3, int32(src.off)))
	}
	g.addrTo(dst.sub(8, t.Size), asm.R1)
	g.emit(asm.LoadMem(asm.R2, g.fp, int16(lenSlot.off), asm.DWord))
	g.call(readHelper(src.space, false))
}

// inMemory reports whether values of t are compared in memory, member by
// member: tuples, records, structs, arrays, buffers and inet addresses.
func inMemory(t *lang.Type) bool {
	switch t.Kind {
	case lang.KindTuple, lang.KindRecord, lang.KindStruct, lang.KindArray, lang.KindBuffer, lang.KindInet, lang.KindUsym, lang.KindMacaddr:
		return true
	}
	return false
}

// memCompareJump compiles == or != between two values of one type held in
// memory: equal when every member is, strings up to their NUL.
func (g *gen) memCompareJump(e *lang.BinaryExpr, want bool, label string) {
	equal := want == (e.Op == lang.OpEq) // jump when the values are equal
	t := g.info.TypeOf(e.X)
	// Both areas stay valid across the helper calls that make the other.
	mx := g.memRef(e.X)
	my := g.memRef(e.Y)
	differ := g.newLabel("mem_differ")
	if t.Kind == lang.KindBuffer {
		g.buffersEqual(mx, my, t.Size, g.info.TypeOf(e.Y).Size, differ)
	} else {
		g.membersEqual(t, mx, my, differ)
	}
	if equal {
		g.emit(asm.Ja.Label(label))
		g.place(differ)
	} else {
		same := g.newLabel("mem_same")
		g.emit(asm.Ja.Label(same))
		g.place(differ)
		g.emit(asm.Ja.Label(label))
		g.place(same)
	}
	g.releaseMem(mx)
	g.releaseMem(my)
}

// membersEqual jumps to differ unless the values of type t at a and b are
// equal, and falls through when they are. It uses R1-R5 and calls no
// helper.
func (g *gen) membersEqual(t *lang.Type, a, b mem, differ string) {
	switch t.Kind {
	case lang.KindString:
		g.strEqualLoop(a.sub(0, t.Size), b.sub(0, t.Size), false, differ)
		return
	case lang.KindTuple, lang.KindRecord, lang.KindStruct:
		for _, f := range t.Fields {
			if f.BitSize > 0 {
				// A bitfield: the bytes that hold it (and its neighbours).
				start, n, _ := bitWindow(f.Offset, f.BitOffset, f.BitSize)
				bytes := lang.ArrayType(lang.Uint8, n)
				g.membersEqual(bytes, a.sub(start, n), b.sub(start, n), differ)
				continue
			}
			size := f.Type.StoredSize()
			if f.Type.IsScalar() {
				size = storedSizeIn(f.Type)
			}
			g.membersEqual(f.Type, a.sub(f.Offset, size), b.sub(f.Offset, size), differ)
		}
		return
	case lang.KindArray:
		if t.Elem.Kind == lang.KindString || t.Elem.Kind == lang.KindTuple || t.Elem.Kind == lang.KindRecord || t.Elem.Kind == lang.KindStruct {
			for i := 0; i < t.Len; i++ {
				g.membersEqual(t.Elem, a.sub(i*t.Elem.Size, t.Elem.Size), b.sub(i*t.Elem.Size, t.Elem.Size), differ)
			}
			return
		}
	}
	// Bytes: integers, bools, pointers, arrays of them, buffers, addresses.
	n := a.size
	if t.IsScalar() {
		n = storedSizeIn(t)
	}
	for i := 0; i < n; {
		w := 8
		for w > 1 && i+w > n {
			w /= 2
		}
		areg, aoff := g.base(a, asm.R1)
		g.emit(asm.LoadMem(asm.R4, areg, aoff+int16(i), sizeOf(w)))
		breg, boff := g.base(b, asm.R2)
		g.emit(asm.LoadMem(asm.R5, breg, boff+int16(i), sizeOf(w)))
		g.emit(asm.JNE.Reg(asm.R4, asm.R5, differ))
		i += w
	}
}

// buffersEqual jumps to differ unless the buffers at a and b, of sizes na
// and nb, hold as many bytes and the same ones; it falls through when they
// do. A buffer is its length (8 bytes), then its bytes: those past the
// length are not compared. It uses R1-R5 and calls no helper.
func (g *gen) buffersEqual(a, b mem, na, nb int, differ string) {
	loadLen := func(m mem, r asm.Register) {
		reg, off := g.base(m, r)
		g.emit(asm.LoadMem(r, reg, off, asm.DWord))
	}
	loadLen(a, asm.R4)
	loadLen(b, asm.R5)
	g.emit(asm.JNE.Reg(asm.R4, asm.R5, differ))
	g.addrTo(a.sub(8, na), asm.R1)
	g.addrTo(b.sub(8, nb), asm.R2)
	loop, same := g.newLabel("buf_loop"), g.newLabel("buf_same")
	g.emit(asm.Mov.Imm(asm.R3, 0))
	g.place(loop)
	// The constant bound is what lets the verifier see the loop end.
	g.emit(asm.JGE.Imm(asm.R3, int32(min(na, nb)), same))
	loadLen(a, asm.R4)
	g.emit(asm.JGE.Reg(asm.R3, asm.R4, same))
	g.emit(asm.LoadMem(asm.R4, asm.R1, 0, asm.Byte))
	g.emit(asm.LoadMem(asm.R5, asm.R2, 0, asm.Byte))
	g.emit(asm.JNE.Reg(asm.R4, asm.R5, differ))
	g.emit(asm.Add.Imm(asm.R1, 1), asm.Add.Imm(asm.R2, 1), asm.Add.Imm(asm.R3, 1))
	g.emit(asm.Ja.Label(loop))
	g.place(same)
}

// valueTo writes the value of e into dst, which holds a value of type dt;
// f says what the bytes the value leaves get. A tuple or record may have
// unified with others into a wider type than e's own (`$t = (1, "a"); $t
// = (100000, "bc")`, records in another field order): it is converted
// member by member, integers widened, records matched by name.
func (g *gen) valueTo(e lang.Expr, dt *lang.Type, dst mem, f fill) {
	t := g.info.TypeOf(e)
	if t.Equal(dt) || (dt.Kind != lang.KindTuple && dt.Kind != lang.KindRecord) || t.Kind != dt.Kind {
		g.memTo(e, dst, f)
		return
	}
	switch e := e.(type) {
	case *lang.TupleExpr:
		g.convertFields(e.Elems, t, dt, dst, f)
		return
	case *lang.RecordExpr:
		g.convertFields(e.Elems, t, dt, dst, f)
		return
	case *lang.CondExpr, *lang.BlockExpr:
		g.eachBranch(e, func(b lang.Expr) { g.valueTo(b, dt, dst, f) })
		return
	}
	p := g.placeOf(e)
	g.convertPlace(p, t, dst, dt, f)
	g.releasePlace(p)
}

// fieldOf is the member of dt that member i of t becomes: the same
// position in a tuple, the same name in a record.
func fieldOf(t, dt *lang.Type, i int) lang.Field {
	if dt.Kind == lang.KindRecord {
		for _, f := range dt.Fields {
			if f.Name == t.Fields[i].Name {
				return f
			}
		}
	}
	return dt.Fields[i]
}

// convertFields writes a tuple or record literal of type t as type dt.
func (g *gen) convertFields(elems []lang.Expr, t, dt *lang.Type, dst mem, f fill) {
	g.zeroHoles(dt, dst, f)
	for i, x := range elems {
		df := fieldOf(t, dt, i)
		if df.Type.IsScalar() {
			part := dst.sub(df.Offset, storedSizeIn(df.Type))
			g.withReg(func(r asm.Register) {
				g.scalarTo(x, r)
				g.withTemp(func(b asm.Register) {
					reg, off := g.base(part, b)
					g.emit(asm.StoreMem(reg, off, r, sizeOf(storedSizeIn(df.Type))))
				})
			})
			continue
		}
		g.valueTo(x, df.Type, dst.sub(df.Offset, df.Type.StoredSize()), f)
	}
}

// convertPlace copies the value of type st at p into dst as type dt, the
// rest as f says.
func (g *gen) convertPlace(p place, st *lang.Type, dst mem, dt *lang.Type, f fill) {
	switch {
	case (st.Kind == lang.KindTuple || st.Kind == lang.KindRecord) && st.Kind == dt.Kind &&
		len(st.Fields) == len(dt.Fields) && (!st.Equal(dt) || f == zeroRest && hasString(st)):
		// Member by member: to convert, or to zero what follows each
		// string's NUL in a key.
		g.zeroHoles(dt, dst, f)
		for i, sf := range st.Fields {
			df := fieldOf(st, dt, i)
			size := df.Type.StoredSize()
			if df.Type.IsScalar() {
				size = storedSizeIn(df.Type)
			}
			g.convertPlace(p.at(sf.Offset), sf.Type, dst.sub(df.Offset, size), df.Type, f)
		}
	case st.Kind == lang.KindString:
		g.strPlaceTo(p, st.Size, dst, f)
	case st.IsScalar() && dt.IsScalar() && !st.Equal(dt):
		g.withReg(func(r asm.Register) {
			g.readScalar(p, st, r)
			g.withTemp(func(b asm.Register) {
				reg, off := g.base(dst, b)
				g.emit(asm.StoreMem(reg, off, r, sizeOf(storedSizeIn(dt))))
			})
		})
	default:
		n := min(storedSize(st), dst.size)
		g.copyPlace(p, dst, n)
		g.fillTail(dst, n, f)
	}
}

// hasString reports whether a tuple or record holds a string, at any depth.
func hasString(t *lang.Type) bool {
	for _, f := range t.Fields {
		if f.Type.Kind == lang.KindString || (f.Type.Kind == lang.KindTuple || f.Type.Kind == lang.KindRecord) && hasString(f.Type) {
			return true
		}
	}
	return false
}

package codegen

import (
	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// memTo writes the value of e, of any type held in memory (strings,
// tuples, records, structs, arrays, buffers), into dst. With pad, padding
// and unused bytes are zero, as map keys need. Helper calls may be
// emitted: no volatile register may be live.
func (g *gen) memTo(e lang.Expr, dst mem, pad bool) {
	t := g.info.TypeOf(e)
	if t.Kind == lang.KindString {
		g.strTo(e, dst, pad)
		return
	}
	switch e := e.(type) {
	case *lang.TupleExpr:
		g.fieldsTo(e.Elems, t, dst, pad)
		return
	case *lang.RecordExpr:
		g.fieldsTo(e.Elems, t, dst, pad)
		return
	case *lang.CastExpr:
		if t.Kind == lang.KindArray && g.info.TypeOf(e.X).IsScalar() {
			// (uint8[8])x: the integer's bytes.
			g.withReg(func(r asm.Register) {
				g.scalarTo(e.X, r)
				reg, off := g.base(dst, asm.R1)
				g.emit(asm.StoreMem(reg, off, r, sizeOf(t.Size)))
			})
			return
		}
		g.memTo(e.X, dst, pad)
		return
	case *lang.CondExpr:
		end, other := g.newLabel("cond_end"), g.newLabel("cond_else")
		g.jumpIf(e.Cond, false, other)
		g.memTo(e.Then, dst, pad)
		g.emit(asm.Ja.Label(end))
		g.place(other)
		g.memTo(e.Else, dst, pad)
		g.place(end)
		return
	case *lang.BlockExpr:
		g.blockStmts(e)
		g.memTo(e.Value, dst, pad)
		return
	case *lang.Call:
		switch g.info.Funcs[e] {
		case lang.FuncBuf:
			g.bufTo(e, dst)
			return
		case lang.FuncNtop:
			g.ntopTo(e, dst)
			return
		}
	}
	size := storedSize(t)
	if pad && dst.size > size {
		g.zero(dst)
	}
	g.copyPlace(g.placeOf(e), dst, min(size, dst.size))
}

// fieldsTo writes a tuple or record literal member by member.
func (g *gen) fieldsTo(elems []lang.Expr, t *lang.Type, dst mem, pad bool) {
	if pad || holes(t) {
		g.zero(dst.sub(0, t.Size))
	}
	for i, x := range elems {
		f := t.Fields[i]
		part := dst.sub(f.Offset, storedSizeIn(f.Type))
		if f.Type.IsScalar() {
			g.withReg(func(r asm.Register) {
				g.scalarTo(x, r)
				reg, off := g.base(part, asm.R1)
				g.emit(asm.StoreMem(reg, off, r, sizeOf(storedSizeIn(f.Type))))
			})
			continue
		}
		part.size = f.Type.Size
		g.memTo(x, part, pad)
	}
}

// holes reports whether a tuple or record has padding between or after
// its members, which must be zero for comparisons and keys.
func holes(t *lang.Type) bool {
	end := 0
	for _, f := range t.Fields {
		if f.Offset != end {
			return true
		}
		end = f.Offset + f.Type.Size
	}
	return end != t.Size
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

// bufTo evaluates buf(p, n) into dst: the length, then the bytes.
func (g *gen) bufTo(call *lang.Call, dst mem) {
	t := g.info.TypeOf(call)
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
	if at.Kind == lang.KindArray {
		src = g.addressOf(g.placeOf(arg))
	} else {
		src = g.pointerPlace(arg, spaceOf(at))
	}
	g.withTemp(func(r asm.Register) {
		g.emit(asm.LoadMem(r, g.fp, int16(lenSlot.off), asm.DWord))
		reg, off := g.base(dst, asm.R1)
		g.emit(asm.StoreMem(reg, off, r, asm.DWord))
	})
	g.emit(asm.LoadMem(asm.R3, g.fp, int16(src.slot), asm.DWord))
	g.addrTo(dst.sub(8, t.Size), asm.R1)
	g.emit(asm.LoadMem(asm.R2, g.fp, int16(lenSlot.off), asm.DWord))
	g.call(readHelper(src.space, false))
}

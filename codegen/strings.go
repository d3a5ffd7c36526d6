package codegen

import (
	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// strTo writes the string e into dst, NUL-terminated and cut to dst's
// size; f says what the bytes after the NUL get. Helper calls may be
// emitted: no volatile register may be live.
func (g *gen) strTo(e lang.Expr, dst mem, f fill) {
	if k, ok := g.info.Consts[e]; ok && k.IsStr {
		g.constStrTo(k.Str, dst, f)
		return
	}
	switch e := e.(type) {
	case *lang.Ident:
		switch g.info.Builtins[e] {
		case lang.BuiltinProbe:
			g.constStrTo(lang.ProbeName(g.aps[0]), dst, f)
		case lang.BuiltinFunc:
			g.constStrTo(lang.FuncName(g.aps[0]), dst, f)
		default: // comm, which the kernel pads with NULs to n bytes
			n := min(16, dst.size)
			g.addrTo(dst, asm.R1)
			g.emit(asm.Mov.Imm(asm.R2, int32(n)))
			g.call(asm.FnGetCurrentComm)
			g.fillTail(dst, n, f)
		}
		return
	case *lang.Call:
		switch g.info.Funcs[e] {
		case lang.FuncStr:
			g.strCallTo(e, dst, f)
			return
		case lang.FuncComm:
			g.commOfTo(e, dst, f)
			return
		case lang.FuncStrerror, lang.FuncSignalName, lang.FuncSyscallName:
			g.nameTo(e, dst, f)
			return
		case lang.FuncStrConcat:
			g.strConcatTo(e, dst, f)
			return
		case lang.FuncPath:
			g.pathTo(e, dst, f)
			return
		}
	case *lang.CondExpr, *lang.BlockExpr:
		g.eachBranch(e, func(b lang.Expr) { g.strTo(b, dst, f) })
		return
	case *lang.CastExpr:
		// (string[N])s keeps N-1 characters, also when dst is larger.
		n := min(g.info.TypeOf(e).Size, dst.size)
		g.strTo(e.X, dst.sub(0, n), f)
		g.fillTail(dst, n, f)
		return
	}
	g.strPlaceTo(g.placeOf(e), storedSize(g.info.TypeOf(e)), dst, f)
}

// strPlaceTo copies the string of size bytes at p into dst, cut to dst's
// size and then NUL-terminated, the rest as f says. A string that fits
// keeps all its bytes, also when they fill it without a NUL (a char array,
// a str() cut short): printing tells those apart.
func (g *gen) strPlaceTo(p place, size int, dst mem, f fill) {
	n := min(size, dst.size)
	if f == zeroRest {
		// What follows the source's NUL may be left from an older value:
		// copy up to the NUL only, into zeros.
		g.zero(dst)
		if p.direct {
			p = g.addressOf(p)
		}
		g.readInto(p, dst, n, true)
		if size <= dst.size {
			// The helper ends what it copies with a NUL: when it filled
			// all n bytes (r0 == n), the last byte comes from the source.
			done := g.newLabel("str_whole")
			g.emit(asm.JNE.Imm(asm.R0, int32(n), done))
			g.readInto(p.at(n-1), dst.sub(n-1, 1), 1, false)
			g.place(done)
		}
		return
	}
	g.copyPlace(p, dst, n)
	if size > dst.size {
		// Cut short: the last byte must still end the string.
		reg, off := g.base(dst, asm.R1)
		g.emit(asm.StoreImm(reg, off+int16(n-1), 0, asm.Byte))
	}
	g.fillTail(dst, n, f)
}

// constStrTo stores a constant string with immediate stores, each as wide
// as its address's alignment allows, the rest as f says.
func (g *gen) constStrTo(str string, dst mem, f fill) {
	if len(str) >= dst.size {
		str = str[:dst.size-1]
	}
	b := append([]byte(str), 0)
	if f != keepRest {
		// Zeros up to the next 8 bytes ride on the string's last stores.
		for len(b) < dst.size && len(b)%8 != 0 {
			b = append(b, 0)
		}
	}
	g.constBytesTo(b, dst)
	g.fillTail(dst, len(b), f)
}

// constBytesTo stores the bytes b at the start of dst with immediate
// stores, each as wide as its address's alignment allows.
func (g *gen) constBytesTo(b []byte, dst mem) {
	reg, off := g.base(dst, asm.R1)
	for i := 0; i < len(b); {
		at := int(off) + i
		w := 8
		for w > 1 && (at%w != 0 || i+w > len(b)) {
			w /= 2
		}
		var v uint64
		for j := w - 1; j >= 0; j-- {
			v = v<<8 | uint64(b[i+j])
		}
		switch {
		case w < 8:
			g.emit(asm.StoreImm(reg, int16(at), int64(int32(uint32(v))), sizeOf(w)))
		case int64(v) == int64(int32(v)):
			// Eight bytes whose upper four extend the lower's sign.
			g.emit(stDW(reg, int16(at), int32(v)))
		default:
			g.emit(asm.StoreImm(reg, int16(at), int64(int32(uint32(v))), asm.Word))
			w = 4
		}
		i += w
	}
}

// strRef returns memory holding the string e that can be read byte by
// byte: a variable's own home, the read-only data for a constant, a map
// value, or a fresh area it was written to.
func (g *gen) strRef(e lang.Expr) mem {
	if k, ok := g.info.Consts[e]; ok && k.IsStr {
		return mem{base: baseRodata, off: g.rodata.str(k.Str), size: len(k.Str) + 1}
	}
	switch e := e.(type) {
	case *lang.Var, *lang.MapExpr:
		return g.placeOf(e).m
	case *lang.Call:
		if g.info.Funcs[e] == lang.FuncGetopt {
			return g.optionMem(e)
		}
	}
	// The context can only be read at fixed offsets: copy record fields.
	t := g.info.TypeOf(e)
	m := g.allocMem(t.Size)
	m.size = t.Size
	g.strTo(e, m, keepRest) // read up to the NUL only
	return m
}

// strCallTo evaluates str(p[, n]) into dst, the rest as f says.
func (g *gen) strCallTo(call *lang.Call, dst mem, f fill) {
	t := g.info.TypeOf(call)
	arg := call.Args[0]
	if at := g.info.TypeOf(arg); at.Kind == lang.KindString {
		// str(s, n) keeps n-1 characters, also when dst is larger.
		n := min(t.Size, dst.size)
		g.strTo(arg, dst.sub(0, n), f)
		g.fillTail(dst, n, f)
		return
	}
	size := min(t.Size, dst.size)
	if g.strReadsMore(call) && dst.size >= t.Size {
		// As in bpftrace, str() reads one byte more than the string
		// keeps: a string that fills it has no NUL, and prints as cut.
		if dst.size == t.Size {
			tmp := g.allocMem(t.Size + 1)
			tmp.size = t.Size + 1
			// Zeros after the NUL: all of tmp is copied.
			g.strCallTo(call, tmp, zeroRest)
			g.copyMem(dst, tmp, t.Size)
			return
		}
		size = t.Size + 1
	}
	if f != keepRest {
		// The helper writes up to the NUL: the rest keeps what it held.
		g.zero(dst)
	}
	fn := readHelper(g.spaceOf(g.info.TypeOf(arg)), true)
	_, constLen := g.constInt(arg)
	if len(call.Args) == 2 {
		_, constLen = g.constInt(call.Args[1])
	} else {
		constLen = true
	}
	if constLen {
		g.withReg(func(r asm.Register) {
			g.scalarTo(arg, r)
			g.emit(asm.Mov.Reg(asm.R3, r))
		})
		g.emit(asm.Mov.Imm(asm.R2, int32(size)))
	} else {
		// A length known only at run time is clamped to the buffer.
		slot := g.allocSlot()
		g.withReg(func(r asm.Register) {
			g.scalarTo(arg, r)
			g.emit(asm.StoreMem(g.fp, int16(slot), r, asm.DWord))
		})
		g.withReg(func(r asm.Register) {
			g.scalarTo(call.Args[1], r)
			g.emit(asm.Mov.Reg(asm.R2, r))
		})
		ok := g.newLabel("len_ok")
		g.emit(asm.JLE.Imm(asm.R2, int32(size), ok))
		g.emit(asm.Mov.Imm(asm.R2, int32(size)))
		g.place(ok)
		g.emit(asm.LoadMem(asm.R3, g.fp, int16(slot), asm.DWord))
	}
	g.addrTo(dst, asm.R1)
	g.call(fn)
	g.checkRead(fn, arg)
}

// strReadsMore reports whether str() call reads max_strlen characters and
// a NUL, one byte more than its string[max_strlen] keeps, as bpftrace does
// when max_strlen is below 1024: without a length, or with one above
// max_strlen.
func (g *gen) strReadsMore(call *lang.Call) bool {
	n := g.info.Settings.MaxStrlen
	if n >= 1024 || g.info.TypeOf(call).Size != n {
		return false
	}
	if len(call.Args) == 2 {
		k, ok := g.constInt(call.Args[1])
		return ok && k > int64(n)
	}
	return true
}

// strCompareJump compiles a string == or != into a jump.
func (g *gen) strCompareJump(e *lang.BinaryExpr, want bool, label string) {
	equal := want == (e.Op == lang.OpEq) // jump when the strings are equal
	x, y := e.X, e.Y
	if k, ok := g.info.Consts[x]; ok && k.IsStr {
		x, y = y, x
	}
	if k, ok := g.info.Consts[y]; ok && k.IsStr {
		g.strCompareConst(x, k.Str, equal, label)
		return
	}
	// Both areas stay valid across the helper calls that make the other.
	mx := g.strRef(x)
	my := g.strRef(y)
	g.strEqualLoop(mx, my, equal, label)
	g.releaseMem(mx)
	g.releaseMem(my)
}

// strCompareConst compares a string with a constant using bpf_strncmp,
// which needs the constant in frozen read-only memory.
func (g *gen) strCompareConst(x lang.Expr, k string, equal bool, label string) {
	n := len(k) + 1
	var m mem
	if call, ok := x.(*lang.Call); ok && g.info.Funcs[call] == lang.FuncStr && len(call.Args) == 1 &&
		g.info.TypeOf(call.Args[0]).Kind != lang.KindString && g.info.TypeOf(call).Size > n {
		// Only the first len(k)+1 bytes decide, and one more tells a longer
		// string apart: read no more than that.
		m = g.allocMem(n + 1)
		m.size = n + 1
		g.strCallTo(call, m, keepRest) // bpf_strncmp stops at the NUL
	} else {
		m = g.strRef(x)
	}
	defer g.releaseMem(m)
	if m.size < n-1 {
		// x holds fewer characters than k: they cannot be equal.
		if !equal {
			g.emit(asm.Ja.Label(label))
		}
		return
	}
	g.addrTo(m, asm.R1)
	// A string of len(k) bytes has room for k's characters only, without
	// a NUL (a char array): those decide.
	g.emit(asm.Mov.Imm(asm.R2, int32(min(n, m.size))))
	g.loadRodata(asm.R3, g.rodata.str(k))
	g.call(asm.FnStrncmp)
	if equal {
		g.emit(asm.JEq.Imm(asm.R0, 0, label))
	} else {
		g.emit(asm.JNE.Imm(asm.R0, 0, label))
	}
}

// strEqualLoop compares two strings byte by byte up to the first NUL.
func (g *gen) strEqualLoop(a, b mem, equal bool, label string) {
	n := min(a.size, b.size)
	g.addrTo(a, asm.R1)
	g.addrTo(b, asm.R2)
	loop, same, differ := g.newLabel("cmp_loop"), g.newLabel("cmp_same"), g.newLabel("cmp_differ")
	end := same
	if a.size != b.size {
		end = g.newLabel("cmp_end")
	}
	g.emit(asm.Mov.Imm(asm.R3, 0))
	g.place(loop)
	g.emit(asm.JGE.Imm(asm.R3, int32(n), end))
	g.emit(asm.LoadMem(asm.R4, asm.R1, 0, asm.Byte))
	g.emit(asm.LoadMem(asm.R5, asm.R2, 0, asm.Byte))
	g.emit(asm.JNE.Reg(asm.R4, asm.R5, differ))
	g.emit(asm.JEq.Imm(asm.R4, 0, same))
	g.emit(asm.Add.Imm(asm.R1, 1), asm.Add.Imm(asm.R2, 1), asm.Add.Imm(asm.R3, 1))
	g.emit(asm.Ja.Label(loop))
	if a.size != b.size {
		// The shorter string filled its size without a NUL (a char
		// array): equal only if the longer one ends there.
		g.place(end)
		r := asm.R1
		if b.size > a.size {
			r = asm.R2
		}
		g.emit(asm.LoadMem(asm.R4, r, 0, asm.Byte))
		g.emit(asm.JNE.Imm(asm.R4, 0, differ))
		g.emit(asm.Ja.Label(same))
	}
	if equal {
		g.place(same)
		g.emit(asm.Ja.Label(label))
		g.place(differ)
	} else {
		g.place(differ)
		g.emit(asm.Ja.Label(label))
		g.place(same)
	}
}

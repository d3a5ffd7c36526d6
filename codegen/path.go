package codegen

// path(): a struct path's name, written by the kernel's bpf_d_path, which
// takes a pointer the verifier trusts (a BTF pointer). So the pointer is
// a pointer argument or context field, read with a plain load from the
// context, or curtask (bpf_get_current_task_btf), plus the offset of the
// member: not a number bpf_probe_read_kernel read, which the verifier
// cannot follow (lang's btfChain says which expressions qualify).

import (
	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// pathTo writes path(p [, size]) into dst; f says what the bytes after
// the NUL get. A NULL pointer on the way gives an empty string.
func (g *gen) pathTo(call *lang.Call, dst mem, f fill) {
	n := min(g.info.TypeOf(call).Size, dst.size)
	out := dst.sub(0, n)
	g.zero(out)
	null := g.newLabel("path_null")
	g.withReg(func(r asm.Register) {
		arg := call.Args[0]
		if g.info.TypeOf(arg).Kind == lang.KindPointer {
			g.btfPointerTo(arg, r, null)
		} else {
			g.btfAddressTo(arg, r, null)
		}
		g.emit(asm.Mov.Reg(asm.R1, r))
	})
	g.addrTo(out, asm.R2)
	g.emit(asm.Mov.Imm(asm.R3, int32(n)))
	g.call(asm.FnDPath)
	g.place(null)
	g.fillTail(dst, n, f)
}

// btfPointerTo evaluates the pointer e (ctx, curtask, args.f, a pointer
// member, &member) into r with loads the verifier follows; a NULL jumps
// to null.
func (g *gen) btfPointerTo(e lang.Expr, r asm.Register, null string) {
	switch e := e.(type) {
	case *lang.Ident: // curtask: ctx and args are read through their fields
		g.call(asm.FnGetCurrentTaskBtf)
		g.move(r, asm.R0)
	case *lang.UnaryExpr:
		g.btfAddressTo(e.X, r, null)
		return
	case *lang.FieldExpr:
		if isArgs(e.X) {
			fld := g.info.Tracepoints[g.aps[0]].Field(e.Field)
			g.emit(asm.LoadMem(r, g.ctxReg(), int16(fld.Offset), asm.DWord))
		} else if id, ok := e.X.(*lang.Ident); ok && id.Name == "ctx" {
			// The context is read at fixed offsets from its own register.
			g.emit(asm.LoadMem(r, g.ctxReg(), int16(g.info.Fields[e].Offset), asm.DWord))
		} else {
			internal("btfPointerTo: %s is read from a pointer the verifier does not trust", e.Field)
		}
	default:
		internal("btfPointerTo: %T is not a BTF pointer", e)
	}
	g.emit(asm.JEq.Imm(r, 0, null))
}

// btfAddressTo evaluates the address of the member e into r.
func (g *gen) btfAddressTo(e lang.Expr, r asm.Register, null string) {
	fe, ok := e.(*lang.FieldExpr)
	if !ok {
		internal("btfAddressTo: %T is not a member", e)
	}
	if g.info.TypeOf(fe.X).Kind == lang.KindPointer {
		g.btfPointerTo(fe.X, r, null)
	} else {
		g.btfAddressTo(fe.X, r, null)
	}
	if off := g.info.Fields[fe].Offset; off != 0 {
		g.emit(asm.Add.Imm(r, int32(off)))
	}
}

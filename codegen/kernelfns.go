package codegen

import (
	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/hawktrace/hawk/lang"
)

// The functions that reach into the kernel (lang/check_kernelfns.go).

// kernelFnTo evaluates a kernel function with a value into dst.
func (g *gen) kernelFnTo(call *lang.Call, dst asm.Register) {
	switch g.info.Funcs[call] {
	case lang.FuncWriteUser:
		g.writeUserTo(call, dst)
	case lang.FuncSocketCookie:
		g.withReg(func(r asm.Register) {
			g.kernelObjectTo(call.Args[0], r)
			g.move(asm.R1, r)
		})
		g.call(asm.FnGetSocketCookie)
		g.move(dst, asm.R0)
	case lang.FuncSkboutput:
		g.skboutputTo(call, dst)
	case lang.FuncPercpuKaddr:
		g.percpuKaddrTo(call, dst)
	case lang.FuncCgroupPath:
		// The id: user space finds its paths when it prints it.
		g.scalarTo(call.Args[0], dst)
	default:
		internal("kernelFnTo: %s has no value here", call.Name)
	}
}

// kernelFnStmt compiles a kernel function called for its effect.
func (g *gen) kernelFnStmt(call *lang.Call) {
	switch g.info.Funcs[call] {
	case lang.FuncSignalThread:
		g.scalarArg(call.Args[0], asm.R1)
		g.call(asm.FnSendSignalThread)
	case lang.FuncOverride:
		g.scalarArg(call.Args[0], asm.R2)
		g.emit(asm.Mov.Reg(asm.R1, g.ctxReg()))
		g.call(asm.FnOverrideReturn)
	case lang.FuncUnwatch:
		g.unwatch(call)
	default:
		internal("kernelFnStmt: %s", call.Name)
	}
}

// scalarArg evaluates the scalar e into the helper argument register dst.
func (g *gen) scalarArg(e lang.Expr, dst asm.Register) {
	g.withReg(func(r asm.Register) {
		g.scalarTo(e, r)
		g.move(dst, r)
	})
}

// isKernelFn reports whether f is compiled here.
func isKernelFn(f lang.Func) bool {
	switch f {
	case lang.FuncWriteUser, lang.FuncSignalThread, lang.FuncOverride, lang.FuncUnwatch, lang.FuncSocketCookie,
		lang.FuncSkboutput, lang.FuncPercpuKaddr, lang.FuncCgroupPath:
		return true
	}
	return false
}

// valueRef returns memory holding the value of e, which a helper may read:
// a string's or a variable's own, or a copy.
func (g *gen) valueRef(e lang.Expr) mem {
	if g.info.TypeOf(e).Kind == lang.KindString {
		return g.strRef(e)
	}
	return g.memRef(e)
}

// writeUserTo writes len bytes of src at the user address dst with
// bpf_probe_write_user: true when it wrote them. A length past the
// value's size writes the value; a length of 0 writes nothing.
func (g *gen) writeUserTo(call *lang.Call, dst asm.Register) {
	to, n := g.allocSlot(), g.allocSlot()
	g.withReg(func(r asm.Register) {
		g.scalarTo(call.Args[0], r)
		g.emit(asm.StoreMem(g.fp, int16(to), r, asm.DWord))
	})
	src := g.valueRef(call.Args[1])
	fail, done := g.newLabel("write_user_fail"), g.newLabel("write_user_done")
	g.withReg(func(r asm.Register) {
		g.scalarTo(call.Args[2], r)
		short := g.newLabel("write_user_len")
		g.emit(asm.JLE.Imm(r, int32(src.size), short))
		g.emit(asm.Mov.Imm(r, int32(src.size)))
		g.place(short)
		g.emit(asm.JEq.Imm(r, 0, fail))
		g.emit(asm.StoreMem(g.fp, int16(n), r, asm.DWord))
	})
	g.addrTo(src, asm.R2)
	g.emit(asm.LoadMem(asm.R1, g.fp, int16(to), asm.DWord))
	g.emit(asm.LoadMem(asm.R3, g.fp, int16(n), asm.DWord))
	g.call(asm.FnProbeWriteUser)
	g.releaseMem(src)
	g.r0To(dst, false)
	g.emit(asm.Ja.Label(done))
	g.place(fail)
	g.emit(asm.Mov.Imm(dst, 0))
	g.place(done)
}

// percpuKaddrTo sets dst to the address of a per-CPU variable on the
// CPU the call names (bpf_per_cpu_ptr, NULL past the last CPU) or on the
// current one (bpf_this_cpu_ptr). The variable's address is a load of
// its BTF id (BPF_PSEUDO_BTF_ID), which the loader puts in.
func (g *gen) percpuKaddrTo(call *lang.Call, dst asm.Register) {
	name := g.info.Consts[call.Args[0]].Str
	cpu := 0
	if len(call.Args) == 2 {
		cpu = g.allocSlot()
		g.withReg(func(r asm.Register) {
			g.scalarTo(call.Args[1], r)
			g.emit(asm.StoreMem(g.fp, int16(cpu), r, asm.DWord))
		})
	}
	g.emit(KsymVarLoad(asm.R1, name))
	if len(call.Args) == 2 {
		g.emit(asm.LoadMem(asm.R2, g.fp, int16(cpu), asm.DWord))
		g.call(asm.FnPerCpuPtr)
	} else {
		g.call(asm.FnThisCpuPtr)
	}
	g.move(dst, asm.R0)
}

// skbMapName is the perf event array skboutput() sends packets through.
const skbMapName = "hawk_skb"

// SkbOutputMeta is one skboutput() call: the pcap file it writes and how
// many bytes of each packet's data it skips.
type SkbOutputMeta struct {
	Path   string
	Offset uint64
}

// SkbOutputHeaderSize is the size of the header bpf_skb_output sends
// before a packet's data: the call's index in Manifest.Skboutputs, the
// boot-clock time and the length of the data (the kernel pads the
// record), uint64 each.
const SkbOutputHeaderSize = 24

// skboutputTo sends len bytes of a packet's data to user space with
// bpf_skb_output, behind the call's header: dst is 0, or a negative error.
func (g *gen) skboutputTo(call *lang.Call, dst asm.Register) {
	id := len(g.man.Skboutputs)
	g.man.Skboutputs = append(g.man.Skboutputs, &SkbOutputMeta{
		Path: g.info.Consts[call.Args[0]].Str, Offset: g.info.Consts[call.Args[3]].Int,
	})
	g.man.SkbMap = skbMapName
	g.spec.Maps[skbMapName] = &ebpf.MapSpec{Name: skbMapName, Type: ebpf.PerfEventArray}
	hdr := mem{base: baseStack, off: g.frame.alloc(SkbOutputHeaderSize), size: SkbOutputHeaderSize}
	g.storeImm(hdr.sub(0, 8), int64(id))
	g.call(asm.FnKtimeGetBootNs)
	g.storeScalar(hdr.sub(8, 8), asm.R0)
	skb, flags := g.allocSlot(), g.allocSlot()
	g.withReg(func(r asm.Register) {
		g.kernelObjectTo(call.Args[1], r)
		g.emit(asm.StoreMem(g.fp, int16(skb), r, asm.DWord))
	})
	g.withReg(func(r asm.Register) {
		// The length goes in the flags' upper half, BPF_F_CURRENT_CPU in
		// the lower.
		g.scalarTo(call.Args[2], r)
		g.emit(asm.LSh.Imm(r, 32), asm.RSh.Imm(r, 32))
		g.storeScalar(hdr.sub(16, 8), r)
		g.emit(asm.LSh.Imm(r, 32))
		g.withTemp(func(t asm.Register) {
			g.emit(asm.Mov.Imm32(t, -1), asm.Or.Reg(r, t))
		})
		g.emit(asm.StoreMem(g.fp, int16(flags), r, asm.DWord))
	})
	g.emit(asm.LoadMem(asm.R1, g.fp, int16(skb), asm.DWord))
	g.loadMap(asm.R2, skbMapName)
	g.emit(asm.LoadMem(asm.R3, g.fp, int16(flags), asm.DWord))
	g.addrTo(hdr, asm.R4)
	g.emit(asm.Mov.Imm(asm.R5, SkbOutputHeaderSize))
	g.call(asm.FnSkbOutput)
	g.move(dst, asm.R0)
}

// EventUnwatch asks user space to remove the watchpoints on an address:
// the record holds it (uint64) after the header.
const EventUnwatch uint32 = 30

// unwatch sends unwatch(addr)'s address to user space, which detaches the
// watchpoints on it.
func (g *gen) unwatch(call *lang.Call) {
	addr := mem{base: baseStack, off: g.allocSlot(), size: 8}
	g.withReg(func(r asm.Register) {
		g.scalarTo(call.Args[0], r)
		g.storeScalar(addr, r)
	})
	done := g.newLabel("unwatch_done")
	rec := g.reserve(EventHeaderSize+8, EventUnwatch, 0, done)
	g.withTemp(func(t asm.Register) {
		g.emit(asm.LoadMem(t, g.fp, int16(addr.off), asm.DWord))
		g.storeScalar(rec.sub(EventHeaderSize, 8), t)
	})
	g.submit(rec, ringbufForceWakeup)
	g.place(done)
}

// kernelObjectTo evaluates a pointer to a kernel object that a helper
// takes as the kernel typed it: a member of an iterator's context is
// loaded from the context itself, which the verifier types, where reading
// it through the pointer would give a plain number.
func (g *gen) kernelObjectTo(e lang.Expr, dst asm.Register) {
	if f, ok := e.(*lang.FieldExpr); ok && g.kind == lang.ProbeIter {
		if id, ok := f.X.(*lang.Ident); ok && g.info.Builtins[id] == lang.BuiltinCtx {
			if rf := g.info.Fields[f]; rf != nil && rf.BitSize == 0 {
				g.emit(asm.LoadMem(dst, g.ctxReg(), int16(rf.Offset), asm.DWord))
				return
			}
		}
	}
	g.scalarTo(e, dst)
}

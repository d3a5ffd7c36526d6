package codegen

import (
	"strings"

	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// callStmt compiles a call whose value is not used.
func (g *gen) callStmt(call *lang.Call) {
	switch g.info.Funcs[call] {
	case lang.FuncPrintf, lang.FuncCat, lang.FuncSystem, lang.FuncErrorf, lang.FuncWarnf:
		g.printf(call)
	case lang.FuncSignal:
		g.scalarArg(call.Args[0], asm.R1)
		g.call(asm.FnSendSignal)
	case lang.FuncExit:
		g.exitCall(call)
	case lang.FuncPrint:
		g.printCall(call)
	case lang.FuncClear:
		g.mapEvent(EventClear, call.Args[0].(*lang.MapExpr))
	case lang.FuncZero:
		g.mapEvent(EventZero, call.Args[0].(*lang.MapExpr))
	case lang.FuncDelete:
		g.deleteCall(call)
	case lang.FuncTime:
		g.timeCall(call)
	case lang.FuncJoin:
		g.joinCall(call)
	case lang.FuncDebugf:
		g.debugf(call)
	case lang.FuncStaticAssert, lang.FuncFail, lang.FuncAssertStr:
		// Checked at compile time; nothing runs.
	case lang.FuncSignalThread, lang.FuncOverride, lang.FuncUnwatch:
		g.kernelFnStmt(call)
	default:
		// Functions with a value, called for their effects.
		g.discard(call)
	}
}

// reserve reserves size bytes of the ring buffer and writes the event
// header. It returns the record: its address is kept in a callee-saved
// register, or in a stack slot when records nest deeper than there are
// such registers (a printf in a block expression in printf's arguments);
// submit releases it. When the buffer is full the lost counter goes up
// and control jumps to skip.
func (g *gen) reserve(size int, kind uint32, id int64, skip string) mem {
	return g.reserveOr(size, kind, id, skip, nil)
}

// reserveOr is reserve, running full (if not nil) too when the buffer is
// full.
func (g *gen) reserveOr(size int, kind uint32, id int64, skip string, full func()) mem {
	g.records = g.records || kind != EventExit
	g.loadMap(asm.R1, ringbufMapName)
	g.emit(asm.Mov.Imm(asm.R2, int32(size)), asm.Mov.Imm(asm.R3, 0))
	g.call(asm.FnRingbufReserve)
	ok := g.newLabel("reserved")
	g.emit(asm.JNE.Imm(asm.R0, 0, ok))
	g.countLost()
	if full != nil {
		full()
	}
	g.emit(asm.Ja.Label(skip))
	g.place(ok)
	rec := mem{base: baseReg, size: size}
	at := asm.R0 // the header is written through R0 or the record's register
	if reg, held := g.regs.stable(); held {
		rec.reg, at = reg, reg
		g.emit(asm.Mov.Reg(reg, asm.R0))
	} else {
		rec.base, rec.slot = baseSlot, g.allocSlot()
		g.emit(asm.StoreMem(g.fp, int16(rec.slot), asm.R0, asm.DWord))
	}
	g.header(at, 0, kind, id)
	return rec
}

// header writes a record's header at off from the register at.
func (g *gen) header(at asm.Register, off int16, kind uint32, id int64) {
	if id == 0 {
		// One store: the kind, and zero above it for the id.
		g.emit(stDW(at, off+EventKindOffset, int32(kind)))
	} else {
		g.emit(asm.StoreImm(at, off+EventKindOffset, int64(kind), asm.Word))
		g.emit(asm.StoreImm(at, off+EventIDOffset, id, asm.Word))
	}
}

// submit hands a record to user space, waking the reader as flags
// say, or as the reader asks (wakeFlags) when flags are 0.
func (g *gen) submit(rec mem, flags int32) {
	if flags == 0 {
		g.wakeFlags(asm.R2)
	} else {
		g.emit(asm.Mov.Imm(asm.R2, flags))
	}
	g.addrTo(rec.sub(0, 0), asm.R1)
	g.call(asm.FnRingbufSubmit)
	g.releaseMem(rec)
}

// countLost adds one to the count of events the ring buffer had no room
// for: an atomic add on the state map's value, reached directly.
func (g *gen) countLost() {
	g.emit(asm.LoadMapValue(asm.R1, 0, StateLostOffset).WithReference(lostMapName))
	g.emit(asm.Mov.Imm(asm.R2, 1))
	g.emit(asm.StoreXAdd(asm.R1, asm.R2, asm.DWord))
}

// printf sends its arguments to user space, which formats them. Constant
// arguments go into the manifest instead of the record; the others are
// evaluated straight into the reserved record.
func (g *gen) printf(call *lang.Call) {
	if format, ok := g.seqFormat(call); ok {
		g.seqPrintf(call, format)
		return
	}
	src := g.src.For(call)
	meta := &PrintfMeta{Format: g.info.Formats[call], Args: &Layout{}, Pos: src.Pos(call.Pos.Offset),
		End: src.Pos(call.End().Offset), Func: g.info.Funcs[call]}
	if meta.Func == lang.FuncErrorf || meta.Func == lang.FuncWarnf {
		for _, be := range lang.MacroSites(g.probe, call) {
			at := g.src.For(be)
			pos := at.Pos(be.Pos.Offset)
			meta.Expanded = append(meta.Expanded, SourceSite{Pos: pos, End: at.Pos(be.End().Offset), Line: at.Line(pos.Line)})
		}
	}
	args := call.Args[1:]
	for _, a := range args {
		t := g.info.TypeOf(a)
		if k, ok := g.info.Consts[a]; ok {
			k := k
			if k.IsStr { // a string ends at its first NUL, as one sent would
				k.Str, _, _ = strings.Cut(k.Str, "\x00")
			}
			meta.Args.Parts = append(meta.Args.Parts, Part{Type: t, Const: &k})
			continue
		}
		meta.Args.Parts = append(meta.Args.Parts, Part{Offset: meta.Args.Size, Type: t})
		meta.Args.Size += (storedSize(t) + 7) &^ 7
	}
	id := len(g.man.Printfs)
	g.man.Printfs = append(g.man.Printfs, meta)

	done := g.newLabel("printf_done")
	size := EventHeaderSize + meta.Args.Size
	rec, out := g.stackRecord(size, EventPrintf, int64(id))
	if !out {
		rec = g.reserve(size, EventPrintf, int64(id), done)
	}
	for i, a := range args {
		part := meta.Args.Parts[i]
		if part.Const != nil {
			continue
		}
		at := rec.sub(EventHeaderSize+part.Offset, storedSize(part.Type))
		if at.size%8 != 0 {
			// The bytes up to the next argument: the value's own writer
			// fills the rest of this word.
			g.storeImm(rec.sub(EventHeaderSize+part.Offset+at.size&^7, 8), 0)
		}
		if part.Type.IsScalar() {
			g.withReg(func(r asm.Register) {
				g.scalarTo(a, r)
				g.storeScalar(at, r)
			})
		} else {
			g.memTo(a, at, fillRest)
		}
	}
	if out {
		g.output(rec, call)
	} else {
		g.submit(rec, 0)
	}
	g.place(done)
}

// exitCall asks hawk to stop, waking user space at once, and ends the
// probe there, as return does: nothing after exit() runs (bpftrace's exit
// carries an implicit return).
func (g *gen) exitCall(call *lang.Call) {
	var code mem
	if len(call.Args) == 1 {
		code = mem{base: baseStack, off: g.allocSlot(), size: 8}
		g.withReg(func(r asm.Register) {
			g.scalarTo(call.Args[0], r)
			g.storeScalar(code, r)
		})
	}
	done := g.newLabel("exit_done")
	// The other probes stop at once (exited.go), but in an iterator,
	// where exit() ends one object's run.
	var exited int64
	if g.kind != lang.ProbeIter {
		exited = StateExited
		g.markExited(code, exited)
	}
	// With no room for the event, the request waits in the state map,
	// where the runtime finds it: an exit is never lost.
	rec := g.reserveOr(EventHeaderSize, EventExit, 0, done, func() {
		g.markExited(code, exited|StateExitUnsent)
	})
	if code.size > 0 {
		g.emit(asm.LoadMem(asm.R1, g.fp, int16(code.off), asm.DWord))
		g.storeReg(rec.sub(EventIDOffset, 4), asm.R1, asm.Word)
	}
	g.submit(rec, ringbufForceWakeup)
	g.place(done)
	g.leaveProbe()
}

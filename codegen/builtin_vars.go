package codegen

// The builtin variables: the ones a helper returns, and the process and
// thread ids with their pid namespaces.

import (
	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// helperBuiltins are the builtins that are one helper's result.
var helperBuiltins = map[lang.Builtin]asm.BuiltinFunc{
	lang.BuiltinCpu:     asm.FnGetSmpProcessorId,
	lang.BuiltinCurtask: asm.FnGetCurrentTask,
	lang.BuiltinCgroup:  asm.FnGetCurrentCgroupId,
	lang.BuiltinRand:    asm.FnGetPrandomU32,
	lang.BuiltinJiffies: asm.FnJiffies64,
	lang.BuiltinNumaid:  asm.FnGetNumaNodeId,
}

// builtinTo evaluates a builtin variable into dst.
func (g *gen) builtinTo(id *lang.Ident, dst asm.Register) {
	switch g.info.Builtins[id] {
	case lang.BuiltinPid, lang.BuiltinTid:
		g.pidTo(dst, g.info.Builtins[id] == lang.BuiltinPid, g.info.Namespaces[id] == "init")
	case lang.BuiltinUid, lang.BuiltinGid:
		g.call(asm.FnGetCurrentUidGid)
		g.lowOrHigh(dst, g.info.Builtins[id] == lang.BuiltinGid)
	case lang.BuiltinNsecs:
		switch g.info.Clocks[id] {
		case "monotonic":
			g.call(asm.FnKtimeGetNs)
		case "tai":
			g.call(asm.FnKtimeGetTaiNs)
		case "sw_tai":
			// The boot clock plus the TAI clock's distance from it,
			// measured by the runtime (for kernels without
			// bpf_ktime_get_tai_ns, as in bpftrace).
			g.call(asm.FnKtimeGetBootNs)
			g.loadRodata(asm.R1, g.taiDeltaSlot())
			g.emit(asm.LoadMem(asm.R1, asm.R1, 0, asm.DWord))
			g.emit(asm.Add.Reg(asm.R0, asm.R1))
		default:
			g.call(asm.FnKtimeGetBootNs)
		}
		g.move(dst, asm.R0)
	case lang.BuiltinCpu, lang.BuiltinCurtask, lang.BuiltinCgroup, lang.BuiltinRand, lang.BuiltinJiffies, lang.BuiltinNumaid:
		// One helper's result.
		g.call(helperBuiltins[g.info.Builtins[id]])
		g.move(dst, asm.R0)
	case lang.BuiltinElapsed:
		g.call(asm.FnKtimeGetBootNs)
		g.loadRodata(asm.R1, RodataStartTimeOffset)
		g.emit(asm.LoadMem(asm.R1, asm.R1, 0, asm.DWord))
		g.emit(asm.Sub.Reg(asm.R0, asm.R1))
		g.move(dst, asm.R0)
	case lang.BuiltinNcpus, lang.BuiltinCpid:
		off := RodataNcpusOffset
		if g.info.Builtins[id] == lang.BuiltinCpid {
			off = RodataCpidOffset
		}
		g.loadRodata(dst, off)
		g.emit(asm.LoadMem(dst, dst, 0, asm.DWord))
	case lang.BuiltinUsername:
		g.call(asm.FnGetCurrentUidGid)
		g.lowOrHigh(dst, false)
	case lang.BuiltinKstack, lang.BuiltinUstack:
		g.stackTo(g.info.TypeOf(id), dst)
	case lang.BuiltinDwUstack:
		g.dwStackTo(id, g.info.TypeOf(id), dst)
	case lang.BuiltinArg:
		n, _ := lang.ArgIndex(id.Name)
		g.argTo(n, dst)
	case lang.BuiltinRetval:
		g.retvalTo(dst)
	case lang.BuiltinCtx:
		g.move(dst, g.ctxReg())
	case lang.BuiltinUsermode:
		g.usermodeTo(dst)
	default:
		internal("builtinTo: %s is not a scalar", id.Name)
	}
}

// pidTo evaluates pid (the thread group's id) or tid into dst, as seen
// from hawk's pid namespace or, with init, the initial one. The runtime
// stores the namespace's device and inode in the read-only data, zero in
// the initial namespace: the verifier, which knows read-only data, then
// drops the translation as dead code. Without Options.PidNamespace, hawk
// runs in the initial namespace and reads the ids as they are.
func (g *gen) pidTo(dst asm.Register, pid, init bool) {
	if init || !g.opts.PidNamespace {
		g.call(asm.FnGetCurrentPidTgid)
		g.lowOrHigh(dst, pid)
		return
	}
	slot := g.allocSlot() // struct bpf_pidns_info { u32 pid; u32 tgid; }
	plain, done := g.newLabel("pid_init_ns"), g.newLabel("pid_done")
	g.loadRodata(asm.R1, RodataPidNsInoOffset)
	g.emit(asm.LoadMem(asm.R2, asm.R1, 0, asm.DWord))
	g.emit(asm.JEq.Imm(asm.R2, 0, plain))
	g.loadRodata(asm.R1, RodataPidNsDevOffset)
	g.emit(asm.LoadMem(asm.R1, asm.R1, 0, asm.DWord))
	g.emit(asm.Mov.Imm(asm.R3, 0), asm.StoreMem(g.fp, int16(slot), asm.R3, asm.DWord))
	g.emit(asm.Mov.Reg(asm.R3, g.fp), asm.Add.Imm(asm.R3, int32(slot)), asm.Mov.Imm(asm.R4, 8))
	// Outside the namespace the helper fails and leaves zeros: 0.
	g.call(asm.FnGetNsCurrentPidTgid)
	off := 0
	if pid {
		off = 4
	}
	g.emit(asm.LoadMem(dst, g.fp, int16(slot+off), asm.Word))
	g.emit(asm.Ja.Label(done))
	g.place(plain)
	g.call(asm.FnGetCurrentPidTgid)
	g.lowOrHigh(dst, pid)
	g.place(done)
}

// lowOrHigh sets dst to the upper or lower 32 bits of R0.
func (g *gen) lowOrHigh(dst asm.Register, high bool) {
	if high {
		g.move(dst, asm.R0)
		g.emit(asm.RSh.Imm(dst, 32))
		return
	}
	g.emit(asm.Mov.Reg32(dst, asm.R0))
}

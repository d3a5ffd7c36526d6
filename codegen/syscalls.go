package codegen

import (
	"strings"

	"github.com/cilium/ebpf/asm"

	"github.com/hawktrace/hawk/lang"
)

// Syscall tracepoints (tracepoint:syscalls:sys_enter_NAME and
// sys_exit_NAME) are the probes users write most. hawk attaches them to
// the raw tracepoints sys_enter and sys_exit, where the
// program checks the syscall number, instead of to each syscall's perf
// tracepoint. Measured on Linux 6.18 (bench/syscallbench): a probed
// syscall costs about +75-105 ns instead of +150-195 (as tp_btf programs,
// which they were before), reading arguments from the BTF-typed registers
// costs next to nothing (bpf_probe_read_kernel would cost ~30 ns each),
// syscalls no probe asks for pay ~35 ns more than
// under perf tracepoints, and detaching takes 0.1 ms instead of an RCU
// grace period (60-90 ms) per tracepoint. args.* keep the tracepoints'
// types and values: the arguments come from the registers the syscall was
// entered with, the return value from the raw tracepoint.

// rawSyscall describes a program attached to sys_enter or sys_exit.
type rawSyscall struct {
	exit bool
	nrs  []int
	// all is set for raw_syscalls:sys_enter and sys_exit, which fire for
	// every syscall, compat ones included.
	all bool
	// dispatch runs the program, when several share the raw tracepoint
	// (syscalls_dispatch.go): the dispatcher filters on the number.
	dispatch *dispatcher
	// btf is set when the program calls kernel functions (kfuncs), which
	// raw tracepoint programs may not: it is a tp_btf program, whose
	// loading reads the kernel's BTF, as before.
	btf bool
}

// callsKfuncs reports whether insns call a kernel function (kfunc).
func callsKfuncs(insns asm.Instructions) bool {
	for i := range insns {
		if Kfunc(&insns[i]) != "" {
			return true
		}
	}
	return false
}

// tracepoint is the raw tracepoint a syscall tracepoint program is
// attached to: "sys_enter" or "sys_exit".
func (r *rawSyscall) tracepoint() string {
	if r.exit {
		return "sys_exit"
	}
	return "sys_enter"
}

// syscallOf returns the direction and number of a syscall tracepoint hawk
// can serve from the raw tracepoints.
func syscallOf(ap *lang.AttachPoint) (exit bool, nr int, ok bool) {
	if ap.Kind != lang.ProbeTracepoint || ap.Args[0] != "syscalls" {
		return false, 0, false
	}
	name, isEnter := strings.CutPrefix(ap.Args[1], "sys_enter_")
	if !isEnter {
		if name, ok = strings.CutPrefix(ap.Args[1], "sys_exit_"); !ok {
			return false, 0, false
		}
		exit = true
	}
	nr, ok = syscallNumbers[name]
	return exit, nr, ok
}

// rawSyscallOf returns how a program serving aps runs from a raw syscall
// tracepoint, or nil when it must use the perf tracepoints. p is their
// probe.
func rawSyscallOf(p *lang.Probe, aps []*lang.AttachPoint) *rawSyscall {
	if len(aps) == 1 && aps[0].Kind == lang.ProbeTracepoint && aps[0].Args[0] == "raw_syscalls" && readsIDAndRetOnly(p) {
		switch aps[0].Args[1] {
		case "sys_enter":
			return &rawSyscall{all: true}
		case "sys_exit":
			return &rawSyscall{all: true, exit: true}
		}
	}
	var r *rawSyscall
	for _, ap := range aps {
		exit, nr, ok := syscallOf(ap)
		if !ok || r != nil && r.exit != exit {
			return nil
		}
		if r == nil {
			r = &rawSyscall{exit: exit}
		}
		r.nrs = append(r.nrs, nr)
	}
	return r
}

// chooseRawSyscalls marks the programs of the script (groups, by probe)
// that run from the raw syscall tracepoints, unless Options.PerfSyscalls
// says none do, merges those that can share code (syscalls_merge.go),
// and returns the dispatchers that run them where several
// share one.
func (c *compiler) chooseRawSyscalls(prog *lang.Program, groups [][]programGroup) []*dispatcher {
	if c.opts.PerfSyscalls {
		return nil
	}
	for p, probe := range groups {
		for i := range probe {
			probe[i].raw = rawSyscallOf(prog.Probes[p], probe[i].aps)
		}
		groups[p] = c.mergeRawSyscalls(prog.Probes[p], probe)
	}
	return chooseDispatchers(groups, c.opts.DispatchPerProbe)
}

// dir is 0 for sys_enter, 1 for sys_exit.
func (r *rawSyscall) dir() int {
	if r.exit {
		return 1
	}
	return 0
}

// Registers of struct pt_regs that hold a syscall's arguments on x86-64:
// the kernel's calling convention puts the fourth in r10, not rcx.
var syscallArgRegs = []int16{112, 104, 96, 56, 72, 64} // di si dx r10 r8 r9

const (
	ptRegsOrigAx = 120 // orig_ax: the syscall number
	ptRegsCS     = 136 // cs: the code segment (usermode())
	// taskStatus is the offset of thread_info.status in struct
	// task_struct on x86-64, whose thread_info comes first
	// (CONFIG_THREAD_INFO_IN_TASK); TestTaskStatusOffset checks it
	// against the kernel's BTF. tsCompat (TS_COMPAT) is set there while
	// the task makes a 32-bit syscall, which the perf tracepoints skip
	// (in_32bit_syscall()).
	taskStatus = 16
	tsCompat   = 0x0002
)

// The raw syscall programs are BPF_PROG_TYPE_RAW_TRACEPOINT programs,
// attached by name: loading them needs no BTF in user space, where the
// attach BTF id of a tp_btf program cost a parse of the kernel's whole BTF
// (~18 ms, a third of a syscall script's start). Their context is the
// raw tracepoint's arguments, u64 args[]: args[0] the struct pt_regs *
// (a number, which they may not read through), args[1] the number
// (sys_enter) or the return value (sys_exit). What needs the registers
// (arguments, the number on sys_exit) reads them through
// bpf_task_pt_regs(bpf_get_current_task_btf()), a pointer the kernel's
// verifier types from its own BTF, fetched once per run into a stack slot
// (two cheap helper calls; bpf_probe_read_kernel would cost ~30 ns a read);
// the 32-bit check reads the task's TS_COMPAT, in 3 instructions as the
// code segment's check took.

// argsUse says where probe p, run from a raw syscall tracepoint, reads
// what it reads after its filter: the registers (an argument, the number
// on sys_exit; args as a whole counts as both), the context (ret, the
// number on sys_enter, and every builtin that needs it).
func (r *rawSyscall) argsUse(p *lang.Probe) (regs, ctx bool) {
	fields, args := 0, 0
	lang.Inspect(p, func(n lang.Node) bool {
		switch n := n.(type) {
		case *lang.FieldExpr:
			if x, ok := n.X.(*lang.Ident); ok && x.Name == "args" {
				fields++
				nr := n.Field == "__syscall_nr" || r.all && n.Field == "id"
				fromRegs := n.Field != "ret" && (!nr || r.exit)
				regs, ctx = regs || fromRegs, ctx || !fromRegs
			}
		case *lang.Ident:
			if n.Name == "args" {
				args++
			}
		}
		return true
	})
	if fields != args {
		regs, ctx = true, true
	}
	ctx = ctx || lang.UsesName(p, "kstack", "ustack", "ppid", "retval", "argN", "ctx", "usermode", "reg", "override")
	return regs, ctx
}

// placeRegs decides where the program keeps the registers it reads: in
// R6, the context's register, when it needs no context besides them and
// has no callback (which would not see R6), else in a stack slot, which
// callbacks reach.
func (g *gen) placeRegs() {
	if g.raw == nil {
		return
	}
	regs, ctx := g.raw.argsUse(g.probe)
	switch {
	case !regs:
	case !ctx && !hasCallbacks(g.probe):
		g.ctx, g.regsReg = 0, asm.R6
		g.regs.hold(asm.R6)
	default:
		g.regsSlot = g.frame.alloc(8)
	}
}

// keepsRegs reports whether the program reads the registers.
func (g *gen) keepsRegs() bool { return g.regsReg != 0 || g.regsSlot != 0 }

// keepRegs keeps the registers in R0 where the program reads them.
func (g *gen) keepRegs() {
	if g.regsReg != 0 {
		g.emit(asm.Mov.Reg(g.regsReg, asm.R0))
	} else if g.regsSlot != 0 {
		g.emit(asm.StoreMem(g.fp, int16(g.regsSlot), asm.R0, asm.DWord))
	}
}

// syscallRegTo loads the register at offset off of struct pt_regs, from the
// registers the program keeps, into dst (and through it only).
func (g *gen) syscallRegTo(dst asm.Register, off int16) {
	if g.regsReg != 0 {
		g.emit(asm.LoadMem(dst, g.regsReg, off, asm.DWord))
		return
	}
	g.emit(asm.LoadMem(dst, g.fp, int16(g.regsSlot), asm.DWord))
	g.emit(asm.LoadMem(dst, dst, off, asm.DWord))
}

// syscallNrTo loads the number of the syscall a raw syscall program runs
// for: sys_enter passes it, sys_exit leaves it in the registers.
func (g *gen) syscallNrTo(dst asm.Register) {
	if !g.raw.exit {
		g.emit(asm.LoadMem(dst, g.ctxReg(), 8, asm.DWord))
		return
	}
	g.syscallRegTo(dst, ptRegsOrigAx)
}

// compatCheck jumps to out when the task in R0 (bpf_get_current_task_btf's)
// makes a 32-bit syscall: those number another table's. It leaves R0.
func compatCheck(emit func(...asm.Instruction), out string) {
	emit(asm.LoadMem(asm.R2, asm.R0, taskStatus, asm.Word))
	emit(asm.JSet.Imm(asm.R2, tsCompat, out))
}

// taskRegs sets R0 to the registers the syscall was entered with, from
// the task in R0.
func taskRegs(emit func(...asm.Instruction)) {
	emit(asm.Mov.Reg(asm.R1, asm.R0), asm.FnTaskPtRegs.Call())
}

// rawSyscallPrologue starts a raw syscall program: with its filter, or,
// for a dispatcher's section, which the dispatcher filtered for, and for
// raw_syscalls, which serve every syscall, by keeping the registers it
// reads.
func (g *gen) rawSyscallPrologue() {
	if g.raw.dispatch == nil && !g.raw.all {
		g.rawSyscallFilter()
		return
	}
	if g.keepsRegs() {
		g.call(asm.FnGetCurrentTaskBtf)
		g.storeRegs()
	}
}

// rawSyscallFilter returns early unless the syscall is one the program
// serves: one number is compared, several looked up in a bitmap; then,
// where the kernel runs 32-bit processes (not Options.NoIA32), unless the
// process makes 64-bit syscalls, as the perf tracepoints do (32-bit ones
// number another table's). It keeps the registers in their slot when the
// program reads them (keepRegs). It runs first, with the context in R1;
// it calls helpers.
func (g *gen) rawSyscallFilter() {
	ia32 := !g.opts.NoIA32
	if g.raw.exit {
		// The number is in the registers.
		g.call(asm.FnGetCurrentTaskBtf)
		if ia32 {
			compatCheck(g.emit, g.exit)
		}
		taskRegs(g.emit)
		g.keepRegs()
		g.emit(asm.LoadMem(asm.R0, asm.R0, ptRegsOrigAx, asm.DWord))
		g.numberFilter()
		return
	}
	g.emit(asm.LoadMem(asm.R0, asm.R1, 8, asm.DWord))
	g.numberFilter()
	if ia32 || g.keepsRegs() {
		g.call(asm.FnGetCurrentTaskBtf)
	}
	if ia32 {
		compatCheck(g.emit, g.exit)
	}
	g.storeRegs()
}

// storeRegs keeps the registers (keepRegs), from the task in R0, when
// the program reads them.
func (g *gen) storeRegs() {
	if !g.keepsRegs() {
		return
	}
	taskRegs(g.emit)
	g.keepRegs()
}

// maxCompared is the most numbers numberFilter compares one by one (an
// instruction each) rather than look up in a bitmap (11).
const maxCompared = 8

// numberFilter returns early unless the number in R0 is one the program
// serves.
func (g *gen) numberFilter() {
	nrs := g.raw.nrs
	if len(nrs) > maxCompared {
		g.syscallBitmap()
		return
	}
	// Each number but the last jumps over the compares left, by offset:
	// the filter may end the prologue, where no label can follow.
	last := len(nrs) - 1
	for i, nr := range nrs[:last] {
		served := asm.JEq.Imm(asm.R0, int32(nr), "")
		served.Offset = int16(last - i)
		g.emit(served)
	}
	g.emit(asm.JNE.Imm(asm.R0, int32(nrs[last]), g.exit))
}

// syscallBitmap looks the number in R0 up in a bitmap of the numbers the
// program serves.
func (g *gen) syscallBitmap() {
	bitmap := make([]byte, 64)
	for _, nr := range g.raw.nrs {
		bitmap[nr/8] |= 1 << (nr % 8)
	}
	g.emit(asm.JGT.Imm(asm.R0, int32(8*len(bitmap)-1), g.exit))
	g.emit(asm.Mov.Reg(asm.R4, asm.R0), asm.RSh.Imm(asm.R4, 3))
	g.loadRodata(asm.R2, g.rodata.str(string(bitmap)))
	g.emit(asm.Add.Reg(asm.R2, asm.R4))
	g.emit(asm.LoadMem(asm.R2, asm.R2, 0, asm.Byte))
	g.emit(asm.And.Imm(asm.R0, 7), asm.RSh.Reg(asm.R2, asm.R0), asm.And.Imm(asm.R2, 1))
	g.emit(asm.JEq.Imm(asm.R2, 0, g.exit))
}

// rawSyscallFieldTo reads args.NAME of a syscall tracepoint in a raw
// program: __syscall_nr, an argument from its register, or ret.
func (g *gen) rawSyscallFieldTo(f *lang.TracepointField, t *lang.Type, dst asm.Register) {
	size := fieldSize(f, t)
	switch {
	case f.Name == "__syscall_nr", g.raw.all && f.Name == "id":
		g.syscallNrTo(dst)
	case g.raw.exit:
		g.emit(asm.LoadMem(dst, g.ctxReg(), 8, asm.DWord)) // ret
	default:
		// Arguments follow the 8-byte __syscall_nr slot, 8 bytes each.
		// Through dst: other registers may hold the operands of the
		// expression this field is part of, which calls no helper.
		g.syscallRegTo(dst, syscallArgRegs[(f.Offset-16)/8])
	}
	g.narrow(dst, size, t.IsSigned())
}

// readsIDAndRetOnly reports whether the probe reads its raw_syscalls
// tracepoint's fields id and ret only, which the raw tracepoints pass:
// args.args[N] (an array) and args as a whole keep the perf tracepoint.
func readsIDAndRetOnly(p *lang.Probe) bool {
	fields, args := 0, 0
	lang.Inspect(p, func(n lang.Node) bool {
		switch n := n.(type) {
		case *lang.FieldExpr:
			if x, ok := n.X.(*lang.Ident); ok && x.Name == "args" && (n.Field == "id" || n.Field == "ret") {
				fields++
			}
		case *lang.Ident:
			if n.Name == "args" {
				args++
			}
		}
		return true
	})
	return fields == args
}

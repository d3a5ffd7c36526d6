package codegen

import (
	"strings"

	"github.com/cilium/ebpf/asm"

	"github.com/hawktrace/hawk/lang"
)

// Syscall tracepoints (tracepoint:syscalls:sys_enter_NAME and
// sys_exit_NAME) are the probes users write most. hawk attaches them to
// the BTF raw tracepoints (tp_btf) sys_enter and sys_exit, where the
// program checks the syscall number, instead of to each syscall's perf
// tracepoint. Measured on Linux 6.18 (bench/syscallbench): a probed
// syscall costs about +75-105 ns instead of +150-195, reading arguments
// from the BTF-typed registers costs next to nothing (bpf_probe_read_kernel
// would cost ~30 ns each), syscalls no probe asks for pay ~35 ns more than
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
	ptRegsOrigAx = 120  // orig_ax: the syscall number
	ptRegsCS     = 136  // cs: the code segment the syscall came from
	userCS32     = 0x23 // __USER32_CS: a 32-bit process
)

// syscallNrTo loads the number of the syscall a raw syscall program runs
// for: sys_enter passes it, sys_exit leaves it in the registers.
// In the prologue a program that keeps no context reads it from R1.
func (g *gen) syscallNrTo(dst asm.Register) {
	ctx := g.ctx
	if ctx == 0 {
		ctx = asm.R1
	}
	if !g.raw.exit {
		g.emit(asm.LoadMem(dst, ctx, 8, asm.DWord))
		return
	}
	// tp_btf types ctx[0] as struct pt_regs *: its fields load directly.
	g.emit(asm.LoadMem(dst, ctx, 0, asm.DWord))
	g.emit(asm.LoadMem(dst, dst, ptRegsOrigAx, asm.DWord))
}

// rawSyscallFilter returns early unless the syscall is one the program
// serves: one number is compared, several looked up in a bitmap; then,
// where the kernel runs 32-bit processes (not Options.NoIA32), unless the
// process makes 64-bit syscalls, as the perf tracepoints do (32-bit ones
// number another table's). R3 holds the registers from when
// the number needs them (sys_exit) or the number matched (sys_enter).
func (g *gen) rawSyscallFilter() {
	ctx := g.ctx
	if ctx == 0 {
		ctx = asm.R1 // the prologue, before anything else
	}
	if g.raw.all {
		return // every syscall, as raw_syscalls' perf tracepoints
	}
	if g.raw.exit {
		g.emit(asm.LoadMem(asm.R3, ctx, 0, asm.DWord))
		g.emit(asm.LoadMem(asm.R0, asm.R3, ptRegsOrigAx, asm.DWord))
	} else {
		g.emit(asm.LoadMem(asm.R0, ctx, 8, asm.DWord))
	}
	if len(g.raw.nrs) == 1 {
		g.emit(asm.JNE.Imm(asm.R0, int32(g.raw.nrs[0]), g.exit))
	} else {
		g.syscallBitmap()
	}
	if g.opts.NoIA32 {
		return
	}
	if !g.raw.exit {
		g.emit(asm.LoadMem(asm.R3, ctx, 0, asm.DWord))
	}
	g.emit(asm.LoadMem(asm.R2, asm.R3, ptRegsCS, asm.DWord))
	g.emit(asm.JEq.Imm(asm.R2, userCS32, g.exit))
}

// syscallBitmap looks the number in R0 up in a bitmap of the numbers the
// program serves.
func (g *gen) syscallBitmap() {
	bitmap := make([]byte, 64)
	for _, nr := range g.raw.nrs {
		bitmap[nr/8] |= 1 << (nr % 8)
	}
	g.emit(asm.JGT.Imm(asm.R0, int32(8*len(bitmap)-1), g.exit))
	// R1 may still hold the context: use R4 for the byte's index.
	g.emit(asm.Mov.Reg(asm.R4, asm.R0), asm.RSh.Imm(asm.R4, 3))
	g.loadRodata(asm.R2, g.rodata.str(string(bitmap)))
	g.emit(asm.Add.Reg(asm.R2, asm.R4))
	g.emit(asm.LoadMem(asm.R2, asm.R2, 0, asm.Byte))
	g.emit(asm.And.Imm(asm.R0, 7), asm.RSh.Reg(asm.R2, asm.R0), asm.And.Imm(asm.R2, 1))
	// R1 and R3 are left as they were.
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
		g.emit(asm.LoadMem(dst, g.ctxReg(), 0, asm.DWord))
		g.emit(asm.LoadMem(dst, dst, syscallArgRegs[(f.Offset-16)/8], asm.DWord))
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

package codegen

import (
	"fmt"

	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	"github.com/hawktrace/hawk/lang"
)

// gen compiles one program.
type gen struct {
	*compiler
	emitter
	regs    regs
	frame   frame
	scratch scratch

	name  string // the program's name
	index int    // the program's place in Manifest.Programs
	// hitSlot is the stack slot of the hits map's key (Options.CountHits).
	hitSlot int
	probe   *lang.Probe
	aps     []*lang.AttachPoint
	kind    lang.ProbeKind
	site    *lang.USDTProbe // the usdt site whose arguments argN reads
	raw     *rawSyscall     // set when syscall tracepoints run from sys_enter or sys_exit

	ctx asm.Register // holds the context pointer, or 0
	// fp reaches the probe's stack frame: R10 in the program, a register
	// holding the program's R10 in loop callbacks.
	fp          asm.Register
	scratchSlot int // stack slot holding the scratch area's address
	scratchKey  int // this program's first entry in the scratch map
	// regionSlots are the stack slots holding the addresses of the scratch
	// regions past the first, set once the body is compiled.
	regionSlots []int
	vars        map[*lang.VarInfo]mem
	// The variables' homes: bytes [from, to) below the frame pointer, and
	// of the scratch area.
	varStack, varScratch [2]int
	exit                 string // label of the program's epilogue
	// registers holding map value addresses until the statement ends
	stmtRegs []asm.Register
	// Loops and callbacks.
	loops      []loop
	inCallback bool
	local      frame // a callback's own stack, below its R10
	// cbStack is the deepest chain of callback frames below the running
	// function, as the kernel counts them (roundStack).
	cbStack     int
	subprogs    asm.Instructions // callbacks, after the program
	usesReturn  bool             // a return inside a callback
	truncated   bool             // compiling stopped: the program is past MaxInsns
	retSlot     int              // set when a callback returns from the probe
	retValSlot  int              // the value `return EXPR;` gives the program's caller; 0 when none does
	ctxSlot     int              // the context, for callbacks
	hasCallMemo map[lang.Expr]bool
	// incrSites counts the updates that may share incrFunc; incrEmitted
	// is set once the program has it (counter.go).
	incrSites   int
	incrEmitted bool

	// A raw syscall program's registers (syscalls.go) are in regsReg or
	// regsSlot, when it reads them.
	regsReg  asm.Register
	regsSlot int
}

func newGen(c *compiler, name string, p *lang.Probe, aps []*lang.AttachPoint, scratchKey int) *gen {
	g := &gen{
		compiler: c, name: name, probe: p, aps: aps, kind: aps[0].Kind,
		scratchKey: scratchKey, vars: map[*lang.VarInfo]mem{},
		hasCallMemo: map[lang.Expr]bool{}, fp: asm.RFP,
	}
	g.alias = map[string]string{}
	g.exit = g.newLabel("exit")
	return g
}

// program compiles the probe's body and returns the instructions and how
// many bytes of scratch area the program uses.
func (g *gen) program() (asm.Instructions, int) {
	if usesCtx(g.probe) {
		g.ctx = asm.R6
		g.regs.hold(g.ctx)
	}
	g.scratchSlot = g.frame.alloc(8)
	g.placeRegs()
	if hasCallbacks(g.probe) {
		g.retSlot, g.ctxSlot = g.frame.alloc(8), g.frame.alloc(8)
		g.usesReturn = true
	}
	if g.opts.CountHits {
		g.hitSlot = g.frame.alloc(8)
	}
	if returnsValue(g.probe) {
		g.retValSlot = g.frame.alloc(8)
	}
	g.declareVars()
	g.incrSites = g.countIncrSites()

	if p := g.probe.Pred; p != nil {
		g.setSource(g.src, p)
		g.jumpIf(p.Cond, false, g.exit)
	}
	if g.opts.CountHits {
		if g.probe.Pred == nil {
			g.setSource(g.src, g.probe) // the program's first line
		}
		g.countHit()
	}
	g.block(g.probe.Body)
	g.place(g.exit)
	g.emitReturn()

	// The prologue depends on what the body needed.
	g.placeRegionSlots()
	body := g.insns
	g.insns = nil
	g.prologue()
	g.insns = append(g.insns, body...)
	g.insns = append(g.insns, g.subprogs...)
	g.insns[0] = withFunc(g.insns[0], g.name, true)
	if need := g.stackNeed(); need > StackSize {
		g.probeError("this probe needs %d bytes of stack, more than the kernel's %d", need, StackSize)
	}
	if g.scratch.largest > MaxScratch {
		g.probeError("this probe needs %d bytes of per-CPU scratch memory in one piece, more than the kernel's %d", g.scratch.largest, MaxScratch)
	} else if n := g.scratch.regions(); n > MaxScratchRegions {
		g.probeError("this probe needs %d bytes of per-CPU scratch memory, more than hawk's %d", g.scratch.peak, MaxScratchRegions*ScratchRegion)
	}
	need := g.scratch.peak
	if g.scratch.regions() > 1 {
		need = ScratchRegion
	}
	if g.truncated {
		// Compiling stopped past the limit: the rest would only add to it.
		g.probeError("program too large (over %d instructions, limit %d)", len(g.insns), MaxInsns)
		return nil, need
	}
	insns := g.finish()
	if n := insns.Size() / asm.InstructionSize; n > MaxInsns {
		g.probeError("program too large (%d instructions, limit %d)", n, MaxInsns)
	}
	if n := countFuncs(insns); n > MaxFuncs {
		g.probeError("this probe needs %d functions (itself and a callback for each loop), more than the kernel's %d", n, MaxFuncs)
	}
	if n := countMaps(insns); n > MaxMaps {
		g.probeError("this probe uses %d maps (the script's and hawk's own), more than the kernel's %d per program", n, MaxMaps)
	}
	return insns, need
}

// MaxMaps is the most maps one program may use (the kernel's
// MAX_USED_MAPS).
const MaxMaps = 64

// countMaps counts the maps insns use.
func countMaps(insns asm.Instructions) int {
	maps := map[string]bool{}
	for _, ins := range insns {
		if ins.IsLoadFromMap() {
			maps[ins.Reference()] = true
		}
	}
	return len(maps)
}

// MaxFuncs is the most functions one program may have: itself and its
// callbacks (the kernel's BPF_MAX_SUBPROGS).
const MaxFuncs = 256

// countFuncs counts the functions in insns: the program and its callbacks.
func countFuncs(insns asm.Instructions) int {
	n := 0
	for i := range insns {
		if btf.FuncMetadata(&insns[i]) != nil {
			n++
		}
	}
	return n
}

// MaxInsns is the most instructions the kernel takes in one program (wide
// loads count two).
const MaxInsns = 1_000_000

// probeError reports a limit the probe's program breaks, at its first
// attach point.
func (g *gen) probeError(format string, args ...any) {
	g.diags.AddSpan(g.src.For(g.probe), g.probe.Pos.Offset, g.probe.Pos.Offset+len(g.aps[0].Raw), format, args...)
}

// prologue saves the context and looks up the scratch area.
func (g *gen) prologue() {
	g.source = &Source{Pos: g.src.For(g.probe).Pos(g.probe.Pos.Offset), Text: g.aps[0].Raw, End: g.probe.Pos.Offset + len(g.aps[0].Raw)}
	if g.ctx != 0 {
		g.emit(asm.Mov.Reg(g.ctx, asm.R1))
	}
	if g.retValSlot != 0 { // before the kind's prologue, which may leave
		g.emit(stDW(g.fp, int16(g.retValSlot), 0))
	}
	g.kindPrologue()
	g.stopAfterExit()
	if g.usesReturn {
		g.emit(stDW(g.fp, int16(g.retSlot), 0))
		if g.ctx != 0 {
			g.emit(asm.StoreMem(g.fp, int16(g.ctxSlot), g.ctx, asm.DWord))
		}
	}
	if g.scratch.peak > 0 {
		for r, slot := range append([]int{g.scratchSlot}, g.regionSlots...) {
			g.emit(asm.StoreImm(asm.RFP, int16(slot), int64(g.scratchKey+r), asm.Word))
			g.emit(asm.LoadMapPtr(asm.R1, 0).WithReference(scratchMapName))
			g.emit(asm.Mov.Reg(asm.R2, asm.RFP), asm.Add.Imm(asm.R2, int32(slot)))
			g.emit(asm.FnMapLookupElem.Call())
			g.emit(asm.JEq.Imm(asm.R0, 0, g.exit))
			g.emit(asm.StoreMem(asm.RFP, int16(slot), asm.R0, asm.DWord))
		}
	}
	// Scratch variables start out zero (strings empty), every byte: the
	// stack holds what earlier calls left, the scratch map what earlier
	// runs did. Their homes are the first of each area.
	if n := g.varStack[1] - g.varStack[0]; n > 0 {
		g.storeZeros(g.fp, int16(-g.varStack[1]), n)
	}
	for off := g.varScratch[0]; off < g.varScratch[1]; {
		// Region by region: an area is in one.
		end := min(g.varScratch[1], (off/ScratchRegion+1)*ScratchRegion)
		g.zero(mem{base: baseScratch, off: off, size: end - off})
		off = end
	}
}

// declareVars gives every scratch variable of the probe its home, in the
// stack and scratch ranges varStack and varScratch.
func (g *gen) declareVars() {
	g.varStack[0], g.varScratch[0] = g.frame.top, g.scratch.top
	defer func() { g.varStack[1], g.varScratch[1] = g.frame.top, g.scratch.top }()
	seen := map[*lang.VarInfo]bool{}
	carried := g.loopCarried()
	lang.Inspect(g.probe, func(n lang.Node) bool {
		var info *lang.VarInfo
		switch n := n.(type) {
		case *lang.Var:
			info = g.info.Vars[n]
		case *lang.LetStmt:
			info = g.info.Vars[n.Var]
		case *lang.ForStmt:
			info = g.info.Vars[n.Var]
		}
		if info != nil && !seen[info] {
			seen[info] = true
			t := info.Type
			if t == nil {
				t = lang.Int64
			}
			m := g.allocMem(storedSize(t))
			if carried[info] && m.base == baseStack {
				m = mem{base: baseScratch, off: g.scratch.alloc(m.size)}
			}
			m.size = storedSize(t)
			g.vars[info] = m
		}
		return true
	})
}

// hasCallbacks reports whether a probe has loops compiled as callbacks.
func hasCallbacks(p *lang.Probe) bool {
	found := false
	lang.Inspect(p, func(n lang.Node) bool {
		switch n.(type) {
		case *lang.ForStmt, *lang.WhileStmt:
			found = true
		}
		return !found
	})
	return found
}

// hasCall reports whether evaluating e may call a helper, which clobbers
// R0-R5. It errs on the side of yes.
func (g *gen) hasCall(e lang.Expr) bool {
	if _, ok := g.info.Consts[e]; ok {
		return false
	}
	if v, ok := g.hasCallMemo[e]; ok {
		return v
	}
	v := true
	switch e := e.(type) {
	case *lang.Var:
		v = false
	case *lang.FieldExpr:
		v = !isArgs(e.X) || g.info.TypeOf(e).Kind == lang.KindString
	case *lang.UnaryExpr:
		v = g.hasCall(e.X) || e.Op.IsIncDec() || e.Op == lang.OpDeref
	case *lang.BinaryExpr:
		v = g.hasCall(e.X) || g.hasCall(e.Y) || !g.info.TypeOf(e.X).IsScalar()
	case *lang.CondExpr:
		v = g.hasCall(e.Cond) || (e.Then != nil && g.hasCall(e.Then)) || g.hasCall(e.Else)
	case *lang.CastExpr:
		v = g.hasCall(e.X) || !g.info.TypeOf(e.X).IsScalar()
	}
	g.hasCallMemo[e] = v
	return v
}

func isArgs(e lang.Expr) bool {
	id, ok := e.(*lang.Ident)
	return ok && id.Name == "args"
}

// call emits a helper call.
func (g *gen) call(fn asm.BuiltinFunc) { g.emit(fn.Call()) }

// loadImm sets dst to v.
func (g *gen) loadImm(dst asm.Register, v int64) {
	if v >= -1<<31 && v < 1<<31 {
		g.emit(asm.Mov.Imm(dst, int32(v)))
	} else {
		g.emit(asm.LoadImm(dst, v, asm.DWord))
	}
}

// loadMap sets dst to the address of a map.
func (g *gen) loadMap(dst asm.Register, name string) {
	g.emit(asm.LoadMapPtr(dst, 0).WithReference(name))
}

// loadRodata sets dst to the address of offset off in the read-only data.
func (g *gen) loadRodata(dst asm.Register, off int) {
	g.emit(asm.LoadMapValue(dst, 0, uint32(off)).WithReference(rodataMapName))
}

// internal reports a broken invariant of the code generator.
func internal(format string, args ...any) {
	panic(fmt.Sprintf(format, args...))
}

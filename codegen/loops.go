package codegen

import (
	"strings"

	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// loop is where break and continue go in the loop being compiled.
type loop struct {
	breakTo, continueTo string
}

// maxLoopIterations is the most iterations bpf_loop runs.
const maxLoopIterations = 1 << 23

// whileStmt compiles a while loop with bpf_loop: the body is a callback
// that stops when the condition fails. The verifier checks the callback
// once, so no loop is too long for it to follow; bpf_loop ends a loop
// that has not stopped by itself after 2^23 iterations.
func (g *gen) whileStmt(s *lang.WhileStmt) {
	cb := g.callback(asm.R2, s.Cond, func() {
		g.jumpIf(s.Cond, false, g.loops[0].breakTo)
		g.block(s.Body)
	})
	g.emit(asm.Mov.Imm(asm.R1, maxLoopIterations))
	g.loadFunc(asm.R2, cb)
	g.frameArg(asm.R3)
	g.emit(asm.Mov.Imm(asm.R4, 0))
	g.call(asm.FnLoop)
	g.afterCallback()
}

// unrollStmt repeats the body.
func (g *gen) unrollStmt(s *lang.UnrollStmt) {
	n, _ := g.constInt(s.Count)
	for i := int64(0); i < n && !g.tooLarge(); i++ {
		// Nested unrolls multiply: stop once the program is too long.
		g.block(s.Body)
	}
}

// cbState is what a callback changes in the generator, saved around it.
type cbState struct {
	emitter    emitter
	regs       regs
	fp, ctx    asm.Register
	exit       string
	loops      []loop
	stmtRegs   []asm.Register
	inCallback bool
	local      frame
	cbStack    int
}

func (g *gen) saveState() cbState {
	return cbState{emitter: g.emitter, regs: g.regs, fp: g.fp, ctx: g.ctx, exit: g.exit, loops: g.loops,
		stmtRegs: g.stmtRegs, inCallback: g.inCallback, local: g.local, cbStack: g.cbStack}
}

func (g *gen) restoreState(s cbState) {
	// The label counter and aliases carry on.
	s.emitter.nlabels, s.emitter.alias = g.emitter.nlabels, g.emitter.alias
	g.emitter, g.regs, g.fp, g.ctx, g.exit, g.loops = s.emitter, s.regs, s.fp, s.ctx, s.exit, s.loops
	g.stmtRegs, g.inCallback, g.local = s.stmtRegs, s.inCallback, s.local
}

// callback compiles body as a BPF function that a helper calls with the
// program's frame pointer as its context argument (argument register
// ctxArg). Inside it, break returns 1 (stop) and continue returns 0; the
// caller checks whether `return` was asked for. It returns the function's
// label; the instructions go after the program's.
func (g *gen) callback(ctxArg asm.Register, source lang.Node, body func()) string {
	saved := g.saveState()
	name := g.newLabel("hawk_cb")
	g.emitter = emitter{alias: saved.emitter.alias, nlabels: saved.emitter.nlabels, prefix: saved.emitter.prefix}
	g.regs = regs{}
	g.stmtRegs = nil
	g.inCallback = true
	g.local = frame{}
	g.fp = asm.R9
	g.regs.hold(asm.R9)
	ret, stop := g.newLabel("cb_continue"), g.newLabel("cb_break")
	g.exit = stop
	g.place(name)
	g.setSource(g.src, source)
	g.emit(asm.Mov.Reg(asm.R9, ctxArg))
	g.ctx = 0
	if saved.ctx != 0 && g.ctxSlot != 0 {
		// The context, kept by the program in its frame (len()'s empty
		// callback, in a program without loops, needs none).
		g.ctx = asm.R8
		g.regs.hold(asm.R8)
		g.emit(asm.LoadMem(asm.R8, asm.R9, int16(g.ctxSlot), asm.DWord))
	}
	g.loops = []loop{{breakTo: stop, continueTo: ret}}
	g.cbStack = 0
	body()
	g.place(ret)
	g.emit(asm.Mov.Imm(asm.R0, 0), asm.Return())
	g.place(stop)
	g.emit(asm.Mov.Imm(asm.R0, 1), asm.Return())
	insns := g.finishCallback(g.emitter.insns)
	insns[0] = withFunc(insns[0], strings.TrimPrefix(name, g.prefix), false) // its label's, without a section's prefix
	g.subprogs = append(g.subprogs, insns...)
	chain := roundStack(g.local.peak) + g.cbStack
	g.restoreState(saved)
	g.cbStack = max(saved.cbStack, chain)
	return name
}

// finishCallback resolves the callback's label aliases.
func (g *gen) finishCallback(insns asm.Instructions) asm.Instructions {
	e := emitter{insns: insns, alias: g.emitter.alias}
	for i, in := range e.insns {
		if ref := in.Reference(); ref != "" {
			if to, ok := e.alias[ref]; ok {
				e.insns[i] = in.WithReference(to)
			}
		}
	}
	return e.insns
}

// afterCallback goes to the program's end when the callback asked to
// return from the probe.
func (g *gen) afterCallback() {
	if !g.usesReturn {
		return
	}
	g.withTemp(func(t asm.Register) {
		g.emit(asm.LoadMem(t, g.fp, int16(g.retSlot), asm.DWord))
		g.emit(asm.JNE.Imm(t, 0, g.exit))
	})
}

// loadFunc sets dst to the address of a function, for helpers that take
// callbacks.
func (g *gen) loadFunc(dst asm.Register, label string) {
	// Constant -1 asks the assembler to fill in the offset.
	g.emit(asm.Instruction{OpCode: asm.LoadImmOp(asm.DWord), Dst: dst, Src: asm.PseudoFunc, Constant: -1}.WithReference(label))
}

// loopCarried finds the variables that a loop's callback assigns (in its
// body, or in a while loop's condition, which the callback evaluates) but
// that are declared outside it. They live in the scratch map, whose
// contents the verifier does not track: on the stack, a counter the
// program later compares (for (...) { $n++; } if ($n == 2)), or one the
// condition counts down (while ($i-- > 0)), would make the verifier walk
// the callback once per value, past its limit, since it does not know that
// bpf_loop stops when the callback asks it to.
func (g *gen) loopCarried() map[*lang.VarInfo]bool {
	carried := map[*lang.VarInfo]bool{}
	lang.Inspect(g.probe, func(n lang.Node) bool {
		var parts []lang.Node
		inside := map[lang.Node]bool{}
		switch n := n.(type) {
		case *lang.ForStmt:
			parts, inside[n.Var] = []lang.Node{n.Body}, true
		case *lang.WhileStmt:
			parts = []lang.Node{n.Cond, n.Body}
		default:
			return true
		}
		for _, part := range parts {
			lang.Inspect(part, func(n lang.Node) bool {
				inside[n] = true
				return true
			})
		}
		for _, part := range parts {
			g.assignedOutside(part, inside, carried)
		}
		return true
	})
	return carried
}

// assignedOutside adds to carried the variables that part assigns and
// whose declaration is not inside.
func (g *gen) assignedOutside(part lang.Node, inside map[lang.Node]bool, carried map[*lang.VarInfo]bool) {
	lang.Inspect(part, func(n lang.Node) bool {
		var target lang.Expr
		switch n := n.(type) {
		case *lang.ExprStmt:
			if n.Op != "" {
				target = n.X
			}
		case *lang.UnaryExpr:
			if n.Op.IsIncDec() {
				target = n.X
			}
		}
		if v, ok := target.(*lang.Var); ok {
			if info := g.info.Vars[v]; info != nil && !inside[info.Decl] {
				carried[info] = true
			}
		}
		return true
	})
}

// forRange compiles for ($i : a..b) with bpf_loop: the bounds are read
// once; the body is a callback that sets $i from the iteration number.
func (g *gen) forRange(s *lang.ForStmt) {
	home := g.vars[g.info.Vars[s.Var]]
	from := g.allocSlot()
	count := g.allocSlot()
	g.withReg(func(r asm.Register) {
		g.scalarTo(s.From, r)
		g.emit(asm.StoreMem(g.fp, int16(from), r, asm.DWord))
	})
	g.withReg(func(r asm.Register) {
		g.scalarTo(s.To, r)
		g.withTemp(func(t asm.Register) {
			g.emit(asm.LoadMem(t, g.fp, int16(from), asm.DWord))
			g.emit(asm.Sub.Reg(r, t))
		})
		// An empty or reversed range runs no iteration; bpf_loop stops at
		// 2^23.
		positive, capped := g.newLabel("range_pos"), g.newLabel("range_capped")
		g.emit(asm.JSGT.Imm(r, 0, positive))
		g.emit(asm.Mov.Imm(r, 0))
		g.place(positive)
		g.emit(asm.JLE.Imm(r, maxLoopIterations, capped))
		g.emit(asm.Mov.Imm(r, maxLoopIterations))
		g.place(capped)
		g.emit(asm.StoreMem(g.fp, int16(count), r, asm.DWord))
	})
	cb := g.callback(asm.R2, s, func() {
		// $i = from + index (R1)
		g.emit(asm.LoadMem(asm.R3, g.fp, int16(from), asm.DWord))
		g.emit(asm.Add.Reg(asm.R3, asm.R1))
		g.storeScalar(home, asm.R3)
		g.block(s.Body)
	})
	// An empty range skips bpf_loop: when the verifier knows the count is
	// 0 it never walks the callback, and a kernel (6.18) that then drops
	// two such callbacks as dead code fails to load the program ("No
	// program to jit").
	skip := g.newLabel("range_empty")
	g.emit(asm.LoadMem(asm.R1, g.fp, int16(count), asm.DWord))
	g.emit(asm.JEq.Imm(asm.R1, 0, skip))
	g.loadFunc(asm.R2, cb)
	g.frameArg(asm.R3)
	g.emit(asm.Mov.Imm(asm.R4, 0))
	g.call(asm.FnLoop)
	g.afterCallback()
	g.place(skip)
}

// frameArg passes the program's frame pointer to a callback.
func (g *gen) frameArg(dst asm.Register) { g.emit(asm.Mov.Reg(dst, g.fp)) }

// forMap compiles for ($kv : @m) with bpf_for_each_map_elem: the body is a
// callback that copies the key and the value into $kv. Per-CPU values
// are summed over the CPUs.
func (g *gen) forMap(s *lang.ForStmt) {
	m := s.From.(*lang.MapExpr)
	meta := g.maps[m.Name]
	home := g.vars[g.info.Vars[s.Var]]
	kvType := g.info.Vars[s.Var].Type
	keyField, valField := kvType.Fields[0], kvType.Fields[1]
	cb := g.callback(asm.R4, s, func() {
		// R2: the key, R3: the value. Keep them across the copies.
		keySlot, valSlot := g.allocSlot(), g.allocSlot()
		g.emit(asm.StoreMem(g.fp, int16(keySlot), asm.R2, asm.DWord))
		g.emit(asm.StoreMem(g.fp, int16(valSlot), asm.R3, asm.DWord))
		key := mem{base: baseSlot, slot: keySlot, size: meta.Key.Size}
		g.copyMem(home.sub(keyField.Offset, keyField.Type.Size), key, keyField.Type.Size)
		dst := home.sub(valField.Offset, storedSizeIn(valField.Type))
		if meta.PerCPU {
			g.percpuTotal(m.Name, key, dst)
		} else {
			val := mem{base: baseSlot, slot: valSlot, size: meta.ValueSize}
			n := storedSize(valField.Type)
			if valField.Type.IsScalar() {
				n = storedSizeIn(valField.Type)
			}
			g.copyMem(dst, val, n)
		}
		g.block(s.Body)
	})
	g.loadMap(asm.R1, meta.SpecName)
	g.loadFunc(asm.R2, cb)
	g.frameArg(asm.R3)
	g.emit(asm.Mov.Imm(asm.R4, 0))
	g.call(asm.FnForEachMapElem)
	g.afterCallback()
}

// percpuTotal writes to dst the value over all CPUs of an aggregation
// map's entry for key (count and sum add up, avg divides the sums, min
// and max pick), read with bpf_map_lookup_percpu_elem. The CPU count comes
// from the read-only data, so the verifier knows the loop's bound.
func (g *gen) percpuTotal(name string, key mem, dst mem) {
	meta := g.maps[name]
	total, aux, cpu := g.allocSlot(), g.allocSlot(), g.allocSlot()
	g.emit(stDW(g.fp, int16(total), 0), stDW(g.fp, int16(aux), 0), stDW(g.fp, int16(cpu), 0))
	loop, next, done := g.newLabel("percpu"), g.newLabel("percpu_next"), g.newLabel("percpu_done")
	g.place(loop)
	g.loadRodata(asm.R1, RodataNcpusOffset)
	g.emit(asm.LoadMem(asm.R1, asm.R1, 0, asm.DWord))
	g.emit(asm.LoadMem(asm.R3, g.fp, int16(cpu), asm.DWord))
	g.emit(asm.JGE.Reg(asm.R3, asm.R1, done))
	g.loadMap(asm.R1, meta.SpecName)
	g.addrTo(key, asm.R2)
	g.call(asm.FnMapLookupPercpuElem)
	g.emit(asm.JEq.Imm(asm.R0, 0, next))
	g.emit(asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord))
	g.emit(asm.LoadMem(asm.R2, g.fp, int16(total), asm.DWord))
	switch meta.Agg {
	case AggMin, AggMax:
		// aux says whether total holds a value yet.
		g.emit(asm.LoadMem(asm.R3, asm.R0, 8, asm.DWord))
		g.emit(asm.JEq.Imm(asm.R3, 0, next))
		take := g.newLabel("take")
		g.emit(asm.LoadMem(asm.R3, g.fp, int16(aux), asm.DWord))
		g.emit(asm.JEq.Imm(asm.R3, 0, take))
		keep := map[[2]bool]asm.JumpOp{
			{false, false}: asm.JGE, {false, true}: asm.JSGE,
			{true, false}: asm.JLE, {true, true}: asm.JSLE,
		}[[2]bool{meta.Agg == AggMax, meta.Value.Signed}]
		g.emit(keep.Reg(asm.R1, asm.R2, next))
		g.place(take)
		g.emit(asm.StoreMem(g.fp, int16(total), asm.R1, asm.DWord))
		g.emit(stDW(g.fp, int16(aux), 1))
	case AggAvg:
		g.emit(asm.Add.Reg(asm.R2, asm.R1))
		g.emit(asm.StoreMem(g.fp, int16(total), asm.R2, asm.DWord))
		g.emit(asm.LoadMem(asm.R1, asm.R0, 8, asm.DWord))
		g.emit(asm.LoadMem(asm.R2, g.fp, int16(aux), asm.DWord))
		g.emit(asm.Add.Reg(asm.R2, asm.R1))
		g.emit(asm.StoreMem(g.fp, int16(aux), asm.R2, asm.DWord))
	default:
		g.emit(asm.Add.Reg(asm.R2, asm.R1))
		g.emit(asm.StoreMem(g.fp, int16(total), asm.R2, asm.DWord))
	}
	g.place(next)
	g.incSlot(cpu, asm.R3)
	g.emit(asm.Ja.Label(loop))
	g.place(done)
	g.emit(asm.LoadMem(asm.R1, g.fp, int16(total), asm.DWord))
	if meta.Agg == AggAvg {
		g.emit(asm.LoadMem(asm.R2, g.fp, int16(aux), asm.DWord))
		div := asm.Div
		if meta.Value.Signed {
			div = asm.SDiv
		}
		g.emit(div.Reg(asm.R1, asm.R2)) // by zero: 0
	}
	reg, off := g.base(dst, asm.R2)
	g.emit(asm.StoreMem(reg, off, asm.R1, asm.DWord))
}

// jump compiles break, continue and return.
func (g *gen) jump(s *lang.JumpStmt) {
	switch s.Kind {
	case "break":
		g.emit(asm.Ja.Label(g.loops[len(g.loops)-1].breakTo))
	case "continue":
		g.emit(asm.Ja.Label(g.loops[len(g.loops)-1].continueTo))
	default: // return
		g.returnValue(s.Value)
		g.leaveProbe()
	}
}

// leaveProbe ends the probe's run, from a callback too: return and exit().
func (g *gen) leaveProbe() {
	if g.inCallback {
		g.emit(stDW(g.fp, int16(g.retSlot), 1))
	}
	g.emit(asm.Ja.Label(g.exit))
}

// ctxReg returns the register holding the probe's context.
func (g *gen) ctxReg() asm.Register {
	if g.ctx == 0 {
		internal("the context is not available here")
	}
	return g.ctx
}

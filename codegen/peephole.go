package codegen

import (
	"fmt"
	"slices"

	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// The peephole pass.
//
// Code is emitted one expression and statement at a time, each with its
// own registers, so a program holds writes that nothing reads, moves and
// constants already where they are going, and jumps to jumps. peephole
// removes them from a finished program (labels resolved by name, before
// relax measures distances):
//
//   - a jump to an unconditional jump goes to that jump's target;
//   - an instruction without effects (ALU, a load, a wide constant) whose
//     register nothing reads before it is written again (liveness over
//     the whole program, calls clobbering R0-R5) goes;
//   - after mov rX, rY, the reads of rX in the same straight run of
//     instructions, before either is written again, read rY (so that the
//     move may die);
//   - mov rX, rX; a mov that copies back what the one before it copied;
//     a constant already in its register (known within a straight run of
//     instructions) go;
//   - where the kernel ignores what the program returns (raw tracepoints,
//     BTF raw tracepoints, BEGIN and END), the `r0 = K` before the main
//     function's exit goes when R0 is set on every path to it: the
//     verifier only wants R0 readable there;
//
// and it drops the jumps to the next instruction and the code no path
// reaches that this leaves. A
// removed instruction's label and script line go to the next instruction
// kept, so `-d asm` stays source-mapped. It is deterministic.
func peephole(insns asm.Instructions, ignoresReturn bool) asm.Instructions {
	f := flows.Get().(*flow)
	defer flows.Put(f)
	for range 8 {
		n := len(insns)
		f.resolve(insns)
		threadJumps(insns, f)
		insns = f.dropUnreached(insns)
		propagateCopies(insns)
		f.dead = sized(f.dead, len(insns))
		clear(f.dead)
		markRedundant(insns, f.dead)
		markDead(insns, f.dead, f)
		if ignoresReturn {
			markReturnZero(insns, f.dead, f)
		}
		insns = dropJumpsToNext(removeInsns(insns, f.dead))
		if len(insns) == n {
			break
		}
	}
	return insns
}

// regMask is a set of registers, R0-R10.
type regMask uint16

func bit(r asm.Register) regMask { return 1 << r }

const callClobbers = regMask(1<<asm.R0 | 1<<asm.R1 | 1<<asm.R2 | 1<<asm.R3 | 1<<asm.R4 | 1<<asm.R5)
const callArgs = callClobbers &^ regMask(1<<asm.R0)
const allRegs = regMask(1<<11 - 1)

// useDef returns the registers an instruction reads and those it writes,
// and whether it has no effect but its write (so that it may go when
// nothing reads what it writes). Where unsure, it says more registers are
// read and fewer written.
func useDef(in asm.Instruction) (use, def regMask, pure bool) {
	op := in.OpCode
	switch cls := op.Class(); {
	case op == asm.LoadImmOp(asm.DWord):
		return 0, bit(in.Dst), true
	case cls.IsALU():
		use = 0
		if op.ALUOp() != asm.Mov {
			use |= bit(in.Dst)
		}
		if op.Source() == asm.RegSource && op.ALUOp() != asm.Neg && op.ALUOp() != asm.Swap {
			use |= bit(in.Src)
		}
		return use, bit(in.Dst), in.Dst != asm.R10
	case cls == asm.LdXClass && (op.Mode() == asm.MemMode || op.Mode() == asm.MemSXMode):
		return bit(in.Src), bit(in.Dst), in.Dst != asm.R10
	case cls == asm.StClass && op.Mode() == asm.MemMode:
		return bit(in.Dst), 0, false
	case cls == asm.StXClass && op.Mode() == asm.MemMode:
		return bit(in.Dst) | bit(in.Src), 0, false
	case cls == asm.StXClass && op.Mode() == asm.AtomicMode:
		return bit(in.Dst) | bit(in.Src) | bit(asm.R0), 0, false
	case cls.IsJump():
		switch jop := op.JumpOp(); jop {
		case asm.Exit:
			return bit(asm.R0), 0, false
		case asm.Call:
			return callArgs, callClobbers, false
		case asm.Ja, asm.JCOND:
			return 0, 0, false
		default:
			use = bit(in.Dst)
			if op.Source() == asm.RegSource {
				use |= bit(in.Src)
			}
			return use, 0, false
		}
	}
	return allRegs, 0, false
}

// markDead marks the instructions without effects whose register is not
// read before it is written again.
func markDead(insns asm.Instructions, dead []bool, f *flow) {
	n := len(insns)
	f.use, f.def, f.pure = sized(f.use, n), sized(f.def, n), sized(f.pure, n)
	f.succs = sized(f.succs, n) // at most two each; -1 for none
	use, def, pure, succs := f.use, f.def, f.pure, f.succs
	for i, in := range insns {
		use[i], def[i], pure[i] = useDef(in)
		a, b := f.successors(insns, i)
		succs[i] = [2]int32{int32(a), int32(b)}
	}
	f.liveIn, f.liveOut = sized(f.liveIn, n), sized(f.liveOut, n)
	liveIn, liveOut := f.liveIn, f.liveOut
	clear(liveIn)
	clear(liveOut)
	for changed := true; changed; {
		changed = false
		for i := n - 1; i >= 0; i-- {
			var out regMask
			for _, s := range succs[i] {
				if s >= 0 && int(s) < n {
					out |= liveIn[s]
				}
			}
			in := use[i] | out&^def[i]
			if dead[i] { // already going: passes liveness through
				in = out
			}
			if in != liveIn[i] || out != liveOut[i] {
				liveIn[i], liveOut[i], changed = in, out, true
			}
		}
	}
	for i := range insns {
		if pure[i] && def[i]&liveOut[i] == 0 && !insns[i].IsLoadOfFunctionPointer() {
			dead[i] = true
		}
	}
}

// markRedundant marks, within straight runs of instructions, moves that
// change nothing and constants already in their register.
func markRedundant(insns asm.Instructions, dead []bool) {
	type known struct {
		ok bool
		n  int64
	}
	var consts [11]known
	var lastMov asm.Instruction
	reset := func() {
		consts = [11]known{}
		lastMov = asm.Instruction{OpCode: asm.InvalidOpCode}
	}
	reset()
	for i, in := range insns {
		if in.Symbol() != "" {
			reset() // a jump may land here
		}
		op := in.OpCode
		if op.Class().IsJump() && in.Reference() != "" && i+1 < len(insns) && insns[i+1].Symbol() == in.Reference() {
			switch op.JumpOp() {
			case asm.Call, asm.Exit, asm.JCOND:
			default: // a branch to the next instruction
				dead[i] = true
				reset()
				continue
			}
		}
		isMov64 := op.Class() == asm.ALU64Class && op.ALUOp() == asm.Mov && in.Offset == 0
		switch {
		case isMov64 && op.Source() == asm.RegSource && in.Dst == in.Src:
			dead[i] = true
			continue
		case isMov64 && op.Source() == asm.RegSource && lastMov.OpCode == op &&
			lastMov.Dst == in.Src && lastMov.Src == in.Dst:
			dead[i] = true
			continue
		case isMov64 && op.Source() == asm.ImmSource && consts[in.Dst].ok && consts[in.Dst].n == in.Constant:
			dead[i] = true
			continue
		}
		_, def, _ := useDef(in)
		for r := asm.R0; r <= asm.R10; r++ {
			if def&bit(r) != 0 {
				consts[r] = known{}
			}
		}
		if op.Class() == asm.StXClass && op.Mode() == asm.AtomicMode {
			consts[in.Src], consts[asm.R0] = known{}, known{} // fetching atomics write them
		}
		lastMov = asm.Instruction{OpCode: asm.InvalidOpCode}
		switch {
		case isMov64 && op.Source() == asm.ImmSource:
			consts[in.Dst] = known{true, in.Constant}
		case isMov64:
			lastMov = in
		}
		if op.Class().IsJump() {
			reset()
		}
	}
}

// propagateCopies makes the reads of rX that follow mov rX, rY read rY,
// up to a label, a jump, a call or an exit, or a write of either.
func propagateCopies(insns asm.Instructions) {
	for i, in := range insns {
		op := in.OpCode
		if op.Class() != asm.ALU64Class || op.ALUOp() != asm.Mov || op.Source() != asm.RegSource ||
			in.Offset != 0 || in.Dst == in.Src || in.Dst == asm.R10 {
			continue
		}
		x, y := in.Dst, in.Src
	scan:
		for j := i + 1; j < len(insns); j++ {
			n := insns[j]
			if n.Symbol() != "" {
				break // another path may come in here
			}
			nop := n.OpCode
			cls := nop.Class()
			switch {
			case cls == asm.StXClass && nop.Mode() == asm.AtomicMode:
				// A fetching atomic writes its source (cmpxchg R0).
				if n.Src == x || n.Src == y || x == asm.R0 || y == asm.R0 {
					break scan
				}
			case nop == asm.LoadImmOp(asm.DWord):
			case cls.IsALU():
				if nop.Source() == asm.RegSource && n.Src == x && nop.ALUOp() != asm.Neg && nop.ALUOp() != asm.Swap {
					n.Src = y
				}
			case cls == asm.LdXClass && (nop.Mode() == asm.MemMode || nop.Mode() == asm.MemSXMode):
				if n.Src == x {
					n.Src = y
				}
			case (cls == asm.StClass || cls == asm.StXClass) && nop.Mode() == asm.MemMode:
				if n.Dst == x {
					n.Dst = y
				}
				if cls == asm.StXClass && n.Src == x {
					n.Src = y
				}
			case cls.IsJump() && nop.JumpOp() != asm.Call && nop.JumpOp() != asm.Exit && nop.JumpOp() != asm.Ja && nop.JumpOp() != asm.JCOND:
				if n.Dst == x {
					n.Dst = y
				}
				if nop.Source() == asm.RegSource && n.Src == x {
					n.Src = y
				}
			}
			insns[j] = n
			use, def, _ := useDef(n)
			if def&(bit(x)|bit(y)) != 0 || cls.IsJump() || use == allRegs {
				break
			}
		}
	}
}

// markReturnZero marks the `r0 = K` before an exit of the main function
// when R0 is set on every path to it.
func markReturnZero(insns asm.Instructions, dead []bool, f *flow) {
	n := len(insns)
	end := n // the main function ends where the first subprogram begins
	for i := 1; i < n; i++ {
		if btf.FuncMetadata(&insns[i]) != nil {
			end = i
			break
		}
	}
	candidates := false
	for i := 0; i+1 < end && !candidates; i++ {
		candidates = returnsConstant(insns, i)
	}
	if !candidates {
		return // no r0 = K to drop: no need to know where R0 is set
	}
	// set[i]: R0 is written on every path from the entry to insns[i].
	f.set = sized(f.set, end)
	set := f.set
	for i := range set {
		set[i] = i > 0
	}
	// The predecessors of i are preds[first[i]:first[i+1]].
	f.first = sized(f.first, end+2)
	first := f.first
	clear(first)
	for i := range end {
		a, b := f.successors(insns, i)
		for _, s := range [2]int{a, b} {
			if s > 0 && s < end {
				first[s+2]++
			}
		}
	}
	for i := 2; i < len(first); i++ {
		first[i] += first[i-1]
	}
	f.preds = sized(f.preds, int(first[end+1]))
	preds := f.preds
	for i := range end {
		a, b := f.successors(insns, i)
		for _, s := range [2]int{a, b} {
			if s > 0 && s < end {
				preds[first[s+1]] = int32(i)
				first[s+1]++
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for i := 1; i < end; i++ {
			ps := preds[first[i]:first[i+1]]
			v := len(ps) > 0
			for _, p := range ps {
				if !r0After(insns[p], set[p]) {
					v = false
					break
				}
			}
			if v != set[i] {
				set[i], changed = v, true
			}
		}
	}
	for i := 0; i+1 < end; i++ {
		if set[i] && returnsConstant(insns, i) {
			dead[i] = true
		}
	}
}

// returnsConstant reports whether insns[i], one of insns but their last,
// is `r0 = K` right before an exit that no jump goes to.
func returnsConstant(insns asm.Instructions, i int) bool {
	in, next := &insns[i], &insns[i+1]
	return in.OpCode == asm.Mov.Op(asm.ImmSource) && in.Dst == asm.R0 &&
		next.OpCode.Class().IsJump() && next.OpCode.JumpOp() == asm.Exit && next.Symbol() == ""
}

// r0After reports whether the verifier sees R0 readable after in, given
// whether it was before: a call of a helper that returns nothing (void in
// the kernel's prototype) leaves it unreadable, and so may a kfunc's.
func r0After(in asm.Instruction, before bool) bool {
	op := in.OpCode
	if op.Class().IsJump() && op.JumpOp() == asm.Call {
		switch {
		case in.IsFunctionCall():
			return true
		case in.IsBuiltinCall():
			switch asm.BuiltinFunc(in.Constant) {
			case asm.FnRingbufSubmit, asm.FnRingbufDiscard, asm.FnRingbufSubmitDynptr, asm.FnRingbufDiscardDynptr,
				asm.FnSpinLock, asm.FnSpinUnlock, asm.FnTailCall:
				return false
			}
			return true
		}
		return false
	}
	_, def, _ := useDef(in)
	return before || def&bit(asm.R0) != 0
}

// threadJumps makes a jump to an unconditional jump go to its target
// (f resolves insns' references, and goes on doing so).
func threadJumps(insns asm.Instructions, f *flow) {
	for i, in := range insns {
		if !in.OpCode.Class().IsJump() || f.tgt[i] < 0 {
			continue
		}
		switch in.OpCode.JumpOp() {
		case asm.Call, asm.Exit, asm.JCOND:
			continue
		}
		orig := in.Reference()
		ref, t := orig, f.tgt[i]
		for hops := 0; hops < 8 && t >= 0; hops++ {
			to := &insns[t]
			if to.OpCode != asm.Ja.Op(asm.ImmSource) {
				break
			}
			next := to.Reference()
			if next == "" || next == ref {
				break
			}
			ref, t = next, f.tgt[t]
		}
		if ref != orig {
			insns[i], f.tgt[i] = in.WithReference(ref), t
		}
	}
}

// removeInsns drops the instructions marked dead; the label, the script
// line and the function (BTF func info) of one go to the next instruction
// kept (a label to an instruction that has one is renamed to it).
func removeInsns(insns asm.Instructions, dead []bool) asm.Instructions {
	if !slices.Contains(dead, true) {
		return insns
	}
	renamed := map[string]string{}
	kept := insns[:0] // in place: an instruction is read before its slot is written
	var sym string
	var src fmt.Stringer
	var fn *btf.Func
	for i, in := range insns {
		if dead[i] && i+1 < len(insns) {
			if s := in.Symbol(); s != "" {
				if sym == "" {
					sym = s
				} else {
					renamed[s] = sym
				}
			}
			if s := in.Source(); s != nil && src == nil {
				src = s
			}
			if f := btf.FuncMetadata(&insns[i]); f != nil {
				fn = f
			}
			continue
		}
		if sym != "" {
			if s := in.Symbol(); s != "" {
				renamed[sym] = s
			} else {
				in = in.WithSymbol(sym)
			}
			sym = ""
		}
		if src != nil {
			if in.Source() == nil {
				in = in.WithSource(src)
			}
			src = nil
		}
		if fn != nil {
			in = btf.WithFuncMetadata(in, fn)
			fn = nil
		}
		kept = append(kept, in)
	}
	retarget(kept, renamed)
	return kept
}

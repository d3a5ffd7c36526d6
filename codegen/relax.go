package codegen

import (
	"math"

	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// Branch relaxation.
//
// A jump keeps its distance in a 16-bit field, so it reaches 32,767
// instructions forward and 32,768 back; cilium/ebpf's assembler cuts a
// longer distance to 16 bits without a word. gotol, JA in the JMP32 class
// (kernel 6.3), keeps its distance in the 32-bit immediate. Code is emitted
// with short jumps to labels; once the labels are final, relax makes long
// the jumps that may not reach:
//
//	ja L            ->  gotol L
//	jeq r1, 5, L    ->  jne r1, 5, +1; gotol L
//	jset r1, 4, L   ->  jset r1, 4, +1; ja +1; gotol L
//
// (JSET has no inverse, nor may_goto). Growth moves other jumps' targets,
// so it goes on until no more jumps need it. A program with no far jump
// is left as it was.
//
// The kernel rewrites some instructions into several after the program is
// loaded (it inlines helpers such as map lookups and bpf_loop, guards
// divisions) and refuses the program when a short jump then no longer
// reaches ("cannot be patched due to 16-bit range"). So distances are
// measured in what each instruction may become (kernelSize), not in what
// it is.

// kernelSize is the most instructions the kernel may make of ins.
func kernelSize(ins asm.Instruction) int64 {
	op := ins.OpCode
	switch cls := op.Class(); {
	case ins.IsBuiltinCall() || ins.IsKfuncCall():
		// An inlined helper (bpf_loop's loop, a map's lookup) or
		// kfunc: the verifier patches one instruction with at most
		// its buffer's 32 (INSN_BUF_SIZE).
		return 32
	case op.ALUOp() == asm.Div || op.ALUOp() == asm.SDiv || op.ALUOp() == asm.Mod || op.ALUOp() == asm.SMod:
		// Guards against a zero divisor and a signed -1.
		return 12
	case cls.IsJump() && op.JumpOp() == asm.JCOND:
		// may_goto counts down in the frame.
		return 8
	case cls == asm.LdXClass, cls == asm.ALUClass:
		// A context field read through another structure; an
		// explicit zero extension where the JIT needs it.
		return 2
	}
	return int64(ins.Width())
}

// rawSize is the instructions' own size: wide loads are two.
func rawSize(ins asm.Instruction) int64 { return int64(ins.Width()) }

// relax makes long the jumps to labels that do not reach their target when
// each instruction has the size size gives it.
func relax(insns asm.Instructions, size func(asm.Instruction) int64) asm.Instructions {
	f := flows.Get().(*flow)
	fits := fitsShortJumps(insns, size, f)
	flows.Put(f)
	if fits {
		// A jump stays in its function: every jump reaches (checkJumps
		// checks the labels, and any jump that would not).
		return insns
	}
	long := make([]bool, len(insns))
	pos := make([]int64, len(insns)+1)
	at := labels(insns)
	grown := false
	for {
		positions(insns, long, size, pos)
		changed := false
		for i, in := range insns {
			if long[i] || !isJump(in) || isLongJump(in) {
				continue
			}
			if in.Reference() == "" {
				internal("jump %d has no label: relaxation would move its target", i)
			}
			if d := pos[target(at, in)] - pos[i] - 1; d < math.MinInt16 || d > math.MaxInt16 {
				long[i], changed = true, true
			}
		}
		if !changed {
			break
		}
		grown = true
	}
	if !grown {
		return insns
	}
	out := make(asm.Instructions, 0, len(insns)+len(insns)/8)
	for i, in := range insns {
		if long[i] {
			out = append(out, lengthen(in)...)
		} else {
			out = append(out, in)
		}
	}
	return out
}

// fitsShortJumps reports whether no function of insns is longer, by
// size, than a short jump reaches (f lends the arrays).
func fitsShortJumps(insns asm.Instructions, size func(asm.Instruction) int64, f *flow) bool {
	f.noLong = sized(f.noLong, len(insns))
	clear(f.noLong)
	f.pos = sized(f.pos, len(insns)+1)
	positions(insns, f.noLong, size, f.pos)
	return longestFunc(insns, f.pos) <= math.MaxInt16
}

// longestFunc is how long the longest function (BTF func info starts
// one) of insns is, measured by pos.
func longestFunc(insns asm.Instructions, pos []int64) int64 {
	var longest, start int64
	for i := 1; i < len(insns); i++ {
		if btf.FuncMetadata(&insns[i]) != nil {
			longest, start = max(longest, pos[i]-start), pos[i]
		}
	}
	return max(longest, pos[len(insns)]-start)
}

// positions sets pos[i] to where instruction i starts, and pos[len] to
// the end, each long jump counting as what lengthen makes of it.
func positions(insns asm.Instructions, long []bool, size func(asm.Instruction) int64, pos []int64) {
	var p int64
	for i, in := range insns {
		pos[i] = p
		if long[i] {
			p += lengthened(in)
		} else {
			p += size(in)
		}
	}
	pos[len(insns)] = p
}

// lengthen returns what a jump becomes when it must reach further than 16
// bits: its first instruction keeps in's metadata (label, source line,
// function), the last is a gotol to in's label.
func lengthen(in asm.Instruction) asm.Instructions {
	long := asm.LongJump(in.Reference())
	op := in.OpCode.JumpOp()
	if op == asm.Ja {
		long.Metadata = in.Metadata
		return asm.Instructions{long}
	}
	skip := in.WithReference("")
	if inv, ok := inverse[op]; ok {
		// The inverse condition skips the gotol.
		skip.OpCode, skip.Offset = in.OpCode.SetJumpOp(inv), 1
		return asm.Instructions{skip, long}
	}
	// The condition jumps to a gotol that otherwise is jumped over.
	skip.Offset = 1
	return asm.Instructions{skip, asm.Instruction{OpCode: asm.Ja.Op(asm.ImmSource), Offset: 1}, long}
}

// lengthened is how many instructions lengthen makes of in.
func lengthened(in asm.Instruction) int64 {
	op := in.OpCode.JumpOp()
	if op == asm.Ja {
		return 1
	}
	if _, ok := inverse[op]; ok {
		return 2
	}
	return 3
}

// inverse maps each conditional jump to the one taken exactly when it is
// not, for the same operands and width.
var inverse = map[asm.JumpOp]asm.JumpOp{
	asm.JEq: asm.JNE, asm.JNE: asm.JEq,
	asm.JGT: asm.JLE, asm.JLE: asm.JGT, asm.JGE: asm.JLT, asm.JLT: asm.JGE,
	asm.JSGT: asm.JSLE, asm.JSLE: asm.JSGT, asm.JSGE: asm.JSLT, asm.JSLT: asm.JSGE,
}

// isJump reports whether ins jumps within its function: not a call or an
// exit.
func isJump(ins asm.Instruction) bool {
	op := ins.OpCode.JumpOp()
	return ins.OpCode.Class().IsJump() && op != asm.Call && op != asm.Exit
}

// isLongJump reports whether ins is gotol.
func isLongJump(ins asm.Instruction) bool {
	return ins.OpCode.Class() == asm.Jump32Class && ins.OpCode.JumpOp() == asm.Ja
}

// labels maps each label to its instruction's index.
func labels(insns asm.Instructions) map[string]int {
	at := map[string]int{}
	for i, in := range insns {
		if sym := in.Symbol(); sym != "" {
			if _, dup := at[sym]; dup {
				internal("label %s is placed twice", sym)
			}
			at[sym] = i
		}
	}
	return at
}

// target is the index of the instruction in refers to.
func target(at map[string]int, in asm.Instruction) int {
	t, ok := at[in.Reference()]
	if !ok {
		internal("reference to %s, which is not placed", in.Reference())
	}
	return t
}

// checkJumps asserts that every jump and function reference in insns
// resolves, that no distance overflows its field, and that every short
// jump to a label reaches it even when the kernel makes of each
// instruction the most that size allows.
func checkJumps(insns asm.Instructions, size func(asm.Instruction) int64) {
	f := flows.Get().(*flow)
	defer flows.Put(f)
	if f.resolve(insns); len(f.at) != f.symbols {
		labels(insns) // says which label is placed twice
	}
	target := func(i int) int {
		if f.tgt[i] < 0 {
			internal("reference to %s, which is not placed", insns[i].Reference())
		}
		return int(f.tgt[i])
	}
	f.noLong = sized(f.noLong, len(insns))
	clear(f.noLong)
	f.raw, f.pos = sized(f.raw, len(insns)+1), sized(f.pos, len(insns)+1)
	raw, worst := f.raw, f.pos
	positions(insns, f.noLong, rawSize, raw)
	positions(insns, f.noLong, size, worst)
	var starts []bool // where an instruction starts, made at the first fixed jump
	for i, in := range insns {
		switch {
		case in.IsFunctionReference():
			if d := raw[target(i)] - raw[i] - 1; d < math.MinInt32 || d > math.MaxInt32 {
				internal("call %d reaches %d instructions, past 32 bits", i, d)
			}
		case !isJump(in):
		case in.Reference() == "":
			// A fixed distance: relax's own skips.
			d := int64(in.Offset)
			if isLongJump(in) {
				d = in.Constant
			}
			if starts == nil {
				starts = make([]bool, raw[len(insns)]+1)
				for _, p := range raw {
					starts[p] = true
				}
			}
			if to := raw[i] + 1 + d; to < 0 || to >= raw[len(insns)] || !starts[to] {
				internal("jump %d goes to %d, not to an instruction", i, to)
			}
		case isLongJump(in):
			if d := raw[target(i)] - raw[i] - 1; d < math.MinInt32 || d > math.MaxInt32 {
				internal("gotol %d reaches %d instructions, past 32 bits", i, d)
			}
		default:
			if d := worst[target(i)] - worst[i] - 1; d < math.MinInt16 || d > math.MaxInt16 {
				internal("jump %d to %s may reach %d instructions, past 16 bits", i, in.Reference(), d)
			}
		}
	}
}

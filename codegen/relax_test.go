package codegen

import (
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// filler returns n instructions that are not jumps.
func filler(n int) asm.Instructions {
	insns := make(asm.Instructions, n)
	for i := range insns {
		insns[i] = asm.Mov.Imm(asm.R0, int32(i))
	}
	return insns
}

func concat(parts ...asm.Instructions) asm.Instructions {
	var out asm.Instructions
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// assemble resolves references as loading does (a copy: cilium/ebpf
// writes the distances into the instructions) and returns the
// instructions with each one's raw position.
func assemble(t *testing.T, insns asm.Instructions) (asm.Instructions, []int64) {
	t.Helper()
	out := make(asm.Instructions, len(insns))
	copy(out, insns)
	if err := out.Marshal(io.Discard, binary.LittleEndian); err != nil {
		t.Fatal(err)
	}
	pos := make([]int64, len(out)+1)
	positions(out, make([]bool, len(out)), rawSize, pos)
	return out, pos
}

// rawTarget is the raw position a label names.
func rawTarget(t *testing.T, insns asm.Instructions, pos []int64, label string) int64 {
	t.Helper()
	for i, in := range insns {
		if in.Symbol() == label {
			return pos[i]
		}
	}
	t.Fatalf("no label %s", label)
	return 0
}

// run follows the jumps from the first instruction, as the kernel would
// with registers regs, and returns the raw position of the first
// instruction that is not a jump.
func run(t *testing.T, insns asm.Instructions, pos []int64, regs map[asm.Register]uint64) int64 {
	t.Helper()
	pc := int64(0)
	for steps := 0; ; steps++ {
		i, ok := slices.BinarySearch(pos[:len(insns)], pc)
		if !ok || steps > 10 {
			t.Fatalf("jumped to %d, not an instruction", pc)
		}
		in := insns[i]
		if !isJump(in) {
			return pc
		}
		d := int64(in.Offset)
		if isLongJump(in) {
			d = in.Constant
		}
		pc++
		if taken(in, regs) {
			pc += d
		}
	}
}

// taken evaluates a jump's condition as the BPF instruction set defines it.
func taken(in asm.Instruction, regs map[asm.Register]uint64) bool {
	op := in.OpCode.JumpOp()
	if op == asm.Ja {
		return true
	}
	x, y := regs[in.Dst], uint64(in.Constant)
	if in.OpCode.Source() == asm.RegSource {
		y = regs[in.Src]
	}
	sx, sy := int64(x), int64(y)
	if in.OpCode.Class() == asm.Jump32Class {
		x, y = uint64(uint32(x)), uint64(uint32(y))
		sx, sy = int64(int32(x)), int64(int32(y))
	}
	// Signed jumps compare as signed numbers; less, and equal, decide
	// every ordering.
	less := x < y
	switch op {
	case asm.JSGT, asm.JSGE, asm.JSLT, asm.JSLE:
		less = sx < sy
	}
	switch op {
	case asm.JEq:
		return x == y
	case asm.JNE:
		return x != y
	case asm.JSet:
		return x&y != 0
	case asm.JLT, asm.JSLT:
		return less
	case asm.JLE, asm.JSLE:
		return less || x == y
	case asm.JGT, asm.JSGT:
		return !less && x != y
	case asm.JGE, asm.JSGE:
		return !less
	}
	panic(fmt.Sprintf("no semantics for %v", op))
}

// TestRelaxBoundaries: a jump reaching 32,767 instructions forward or
// 32,768 back keeps its 16-bit offset; one instruction further it becomes
// gotol, whose 32-bit distance lands on the label.
func TestRelaxBoundaries(t *testing.T) {
	for _, tc := range []struct {
		name     string
		insns    asm.Instructions
		distance int64
		long     bool
	}{
		{"forward 32767", concat(asm.Instructions{asm.Ja.Label("L")}, filler(32767), asm.Instructions{asm.Return().WithSymbol("L")}), 32767, false},
		{"forward 32768", concat(asm.Instructions{asm.Ja.Label("L")}, filler(32768), asm.Instructions{asm.Return().WithSymbol("L")}), 32768, true},
		{"backward 32768", concat(asm.Instructions{asm.Mov.Imm(asm.R0, 0).WithSymbol("L")}, filler(32766), asm.Instructions{asm.Ja.Label("L")}), -32768, false},
		{"backward 32769", concat(asm.Instructions{asm.Mov.Imm(asm.R0, 0).WithSymbol("L")}, filler(32767), asm.Instructions{asm.Ja.Label("L")}), -32769, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := relax(tc.insns, rawSize)
			checkJumps(out, rawSize)
			if len(out) != len(tc.insns) {
				t.Fatalf("%d instructions, want %d: an unconditional jump does not grow", len(out), len(tc.insns))
			}
			i := 0
			if tc.distance < 0 {
				i = len(out) - 1
			}
			if got := isLongJump(out[i]); got != tc.long {
				t.Fatalf("long jump %v, want %v: %v", got, tc.long, out[i])
			}
			asmd, pos := assemble(t, out)
			d := int64(asmd[i].Offset)
			if tc.long {
				d = asmd[i].Constant
			}
			if d != tc.distance {
				t.Errorf("distance %d, want %d", d, tc.distance)
			}
			if got, want := run(t, asmd, pos, nil), rawTarget(t, asmd, pos, "L"); got != want {
				t.Errorf("went to %d, want the label at %d", got, want)
			}
		})
	}
}

// TestRelaxConditions: every conditional jump, on 64 and 32 bits, against
// an immediate and a register, made long still goes to its label exactly
// when its condition holds, forward and backward.
func TestRelaxConditions(t *testing.T) {
	ops := []asm.JumpOp{asm.JEq, asm.JNE, asm.JGT, asm.JGE, asm.JLT, asm.JLE, asm.JSet, asm.JSGT, asm.JSGE, asm.JSLT, asm.JSLE}
	values := []uint64{0, 1, 2, 5, 0x7fffffff, 0x80000000, 0xffffffff, 1 << 32, 1<<32 | 5, 1 << 63, ^uint64(0), ^uint64(0) - 4}
	far := filler(32800)
	for _, op := range ops {
		for _, class := range []asm.Class{asm.JumpClass, asm.Jump32Class} {
			for _, src := range []asm.Source{asm.ImmSource, asm.RegSource} {
				for _, backward := range []bool{false, true} {
					name := fmt.Sprintf("%v/%v/%v/backward=%v", op, class, src, backward)
					t.Run(name, func(t *testing.T) {
						for _, imm := range []int32{0, 5, -1, -1 << 31} {
							jump := asm.Instruction{OpCode: asm.OpCode(class).SetJumpOp(op).SetSource(src), Dst: asm.R1, Src: asm.R2, Offset: -1, Constant: int64(imm)}.WithReference("L")
							jump = jump.WithSymbol("J").WithSource(&Source{Text: "the condition"})
							var insns asm.Instructions
							if backward {
								// The label, far back; the jump; then where it falls through.
								insns = concat(asm.Instructions{asm.Ja.Label("J"), asm.Return().WithSymbol("L")}, far, asm.Instructions{jump, asm.Mov.Imm(asm.R0, 1).WithSymbol("next"), asm.Return()})
							} else {
								insns = concat(asm.Instructions{asm.Ja.Label("J"), jump, asm.Mov.Imm(asm.R0, 1).WithSymbol("next")}, far, asm.Instructions{asm.Return().WithSymbol("L")})
							}
							out := relax(insns, rawSize)
							checkJumps(out, rawSize)
							grow := 1
							if op == asm.JSet {
								grow = 2 // no inverse: a trampoline
							}
							if len(out) != len(insns)+grow {
								t.Fatalf("%d instructions, want %d", len(out), len(insns)+grow)
							}
							first := out[1]
							if backward {
								first = out[len(far)+2]
							}
							if first.Symbol() != "J" || first.Source() == nil || first.Source().String() != "the condition" {
								t.Fatalf("the relaxed jump lost its label or source: %v %v", first.Symbol(), first.Source())
							}
							asmd, pos := assemble(t, out)
							next, label := rawTarget(t, asmd, pos, "next"), rawTarget(t, asmd, pos, "L")
							for _, x := range values {
								for _, y := range values {
									if src == asm.ImmSource && y != values[0] {
										continue // the immediate is the operand
									}
									regs := map[asm.Register]uint64{asm.R1: x, asm.R2: y}
									want := next
									if taken(jump, regs) {
										want = label
									}
									// Enter at the jump's label through the first ja.
									if got := run(t, asmd, pos, regs); got != want {
										t.Fatalf("imm %d r1=%#x r2=%#x: went to %d, want %d\n%v", imm, x, y, got, want, out[:5])
									}
								}
							}
						}
					})
				}
			}
		}
	}
}

// TestRelaxChain: making one jump long moves the targets of the jumps
// around it; those that no longer reach become long too, until all do.
func TestRelaxChain(t *testing.T) {
	// a reaches exactly 32,767 ahead and c exactly 32,768 back, both over
	// b, which does not reach its label: b's growth pushes both past 16
	// bits.
	insns := concat(
		asm.Instructions{asm.Mov.Imm(asm.R0, 0)},
		asm.Instructions{asm.JEq.Imm(asm.R1, 1, "A").WithSymbol("C")},
		asm.Instructions{asm.JNE.Imm(asm.R1, 2, "B")},
		filler(32765),
		asm.Instructions{asm.JGT.Reg(asm.R1, asm.R2, "C")},
		asm.Instructions{asm.Mov.Imm(asm.R0, 0).WithSymbol("A")},
		filler(40000),
		asm.Instructions{asm.Return().WithSymbol("B")},
	)
	out := relax(insns, rawSize)
	checkJumps(out, rawSize)
	if want := len(insns) + 3; len(out) != want {
		t.Fatalf("%d instructions, want %d (three conditional jumps made long)", len(out), want)
	}
	longs := 0
	for _, in := range out {
		if isLongJump(in) {
			longs++
		}
	}
	if longs != 3 {
		t.Errorf("%d long jumps, want 3", longs)
	}
	asmd, pos := assemble(t, out)
	for _, in := range asmd {
		if isLongJump(in) && in.Constant == -1 {
			t.Errorf("unresolved: %v", in)
		}
	}
	// Without b's growth, a and c reach.
	insns[2] = asm.JNE.Imm(asm.R1, 2, "A")
	if out := relax(insns, rawSize); len(out) != len(insns) {
		t.Errorf("nothing is far: %d instructions, want %d", len(out), len(insns))
	}
	_ = pos
}

// TestRelaxNothingFar: a program whose jumps all reach is returned as it
// is: no cost for code that does not need long jumps.
func TestRelaxNothingFar(t *testing.T) {
	insns := concat(asm.Instructions{asm.JEq.Imm(asm.R1, 0, "end"), asm.JSet.Imm(asm.R1, 4, "end")}, filler(1000), asm.Instructions{asm.Return().WithSymbol("end")})
	out := relax(insns, kernelSize)
	if len(out) != len(insns) || &out[0] != &insns[0] {
		t.Errorf("the program changed")
	}
}

// TestRelaxKernelSizes: distances are measured in what the kernel may
// make of each instruction, so a jump over helper calls is made long
// before its own offset overflows (the kernel's inlining would), and one
// over plain instructions is not.
func TestRelaxKernelSizes(t *testing.T) {
	body := func(in asm.Instruction, n int) asm.Instructions {
		insns := make(asm.Instructions, n)
		for i := range insns {
			insns[i] = in
		}
		return concat(asm.Instructions{asm.JEq.Imm(asm.R1, 0, "end")}, insns, asm.Instructions{asm.Return().WithSymbol("end")})
	}
	// 20,000 instructions: 16 bits reach over them.
	if out := relax(body(asm.FnGetPrandomU32.Call(), 20000), kernelSize); !isLongJump(out[1]) {
		t.Errorf("a jump over 20,000 helper calls is short: %v", out[0])
	}
	if out := relax(body(asm.Mov.Imm(asm.R0, 0), 20000), kernelSize); len(out) != 20002 {
		t.Errorf("a jump over 20,000 moves was made long")
	}
	// A 32-bit load is read twice over (zero extension, context
	// rewrites); so is a 32-bit operation.
	if out := relax(body(asm.LoadMem(asm.R0, asm.R1, 0, asm.Word), 20000), kernelSize); !isLongJump(out[1]) {
		t.Errorf("a jump over 20,000 loads is short")
	}
	for _, div := range []asm.ALUOp{asm.Div, asm.SDiv, asm.Mod, asm.SMod} {
		if out := relax(body(div.Reg32(asm.R0, asm.R1), 3000), kernelSize); !isLongJump(out[1]) {
			t.Errorf("a jump over 3,000 %v is short", div)
		}
	}
}

// TestRelaxFunctions: bpf-to-bpf calls and callback addresses, 32-bit
// distances to function symbols, still resolve after instructions are
// inserted before them, and a function's BTF and first label stay on its
// first instruction.
func TestRelaxFunctions(t *testing.T) {
	main := concat(
		asm.Instructions{withFunc(asm.JEq.Imm(asm.R1, 0, "out").WithSymbol("main"), "main", true)},
		asm.Instructions{asm.Instruction{OpCode: asm.LoadImmOp(asm.DWord), Dst: asm.R2, Src: asm.PseudoFunc, Constant: -1}.WithReference("cb")},
		asm.Instructions{asm.Call.Label("cb")},
		filler(40000),
		asm.Instructions{asm.Mov.Imm(asm.R0, 0).WithSymbol("out"), asm.Return()},
	)
	cb := asm.Instructions{withFunc(asm.JSet.Imm(asm.R1, 1, "cbout").WithSymbol("cb"), "cb", false)}
	cb = concat(cb, filler(40000), asm.Instructions{asm.Mov.Imm(asm.R0, 0).WithSymbol("cbout"), asm.Return()})
	out := relax(concat(main, cb), rawSize)
	checkJumps(out, rawSize)
	asmd, pos := assemble(t, out)
	cbAt := rawTarget(t, asmd, pos, "cb")
	for i, in := range asmd {
		switch {
		case in.IsLoadOfFunctionPointer(), in.IsFunctionCall():
			if got := pos[i] + 1 + in.Constant; got != cbAt {
				t.Errorf("%v reaches %d, want the callback at %d", in, got, cbAt)
			}
		case in.Symbol() == "main" || in.Symbol() == "cb":
			if fn := btf.FuncMetadata(&in); fn == nil || fn.Name != in.Symbol() {
				t.Errorf("%s lost its function info: %v", in.Symbol(), fn)
			}
		}
	}
	if got, want := run(t, asmd, pos, map[asm.Register]uint64{asm.R1: 0}), rawTarget(t, asmd, pos, "out"); got != want {
		t.Errorf("main's jump went to %d, want %d", got, want)
	}
}

// TestCheckJumps: the last check refuses any jump that does not reach its
// label, or whose label is missing.
func TestCheckJumps(t *testing.T) {
	for name, insns := range map[string]asm.Instructions{
		"far":     concat(asm.Instructions{asm.JEq.Imm(asm.R1, 0, "L")}, filler(32768), asm.Instructions{asm.Return().WithSymbol("L")}),
		"missing": {asm.Ja.Label("nowhere"), asm.Return()},
		"into a wide load": {
			asm.Instruction{OpCode: asm.Ja.Op(asm.ImmSource), Offset: 1},
			asm.LoadImm(asm.R0, 1<<40, asm.DWord), asm.Return(),
		},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "jump") && !strings.Contains(fmt.Sprint(r), "reference") {
					t.Errorf("got %v, want a broken invariant", r)
				}
			}()
			checkJumps(insns, rawSize)
		})
	}
}

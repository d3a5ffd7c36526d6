package codegen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// TestPeephole: each rewrite of the peephole pass on a small instruction
// list, and what it must leave alone.
func TestPeephole(t *testing.T) {
	src := &Source{Text: "stmt"}
	for _, tc := range []struct {
		name          string
		ignoresReturn bool
		in, want      asm.Instructions
	}{
		{"branch to next", false,
			asm.Instructions{
				asm.LoadMem(asm.R0, asm.R1, 8, asm.DWord),
				asm.JNE.Imm(asm.R0, 110, "out"),
				asm.LoadMem(asm.R3, asm.R1, 0, asm.DWord),
				asm.JEq.Imm(asm.R3, 35, "out"),
				asm.Return().WithSymbol("out"),
			},
			asm.Instructions{
				asm.LoadMem(asm.R0, asm.R1, 8, asm.DWord),
				asm.Return().WithSymbol("out"),
			}},
		{"dead loads and moves", false,
			asm.Instructions{
				asm.Mov.Imm(asm.R2, 5),
				asm.LoadMem(asm.R3, asm.R1, 0, asm.DWord),
				asm.Mov.Imm(asm.R2, 6), // overwrites r2 before a read
				asm.StoreMem(asm.RFP, -8, asm.R2, asm.DWord),
				asm.Mov.Imm(asm.R0, 0),
				asm.Return(),
			},
			asm.Instructions{
				asm.Mov.Imm(asm.R2, 6),
				asm.StoreMem(asm.RFP, -8, asm.R2, asm.DWord),
				asm.Mov.Imm(asm.R0, 0),
				asm.Return(),
			}},
		{"live across a branch", false,
			asm.Instructions{
				asm.Mov.Imm(asm.R6, 5),
				asm.JEq.Imm(asm.R1, 0, "use"),
				asm.Mov.Imm(asm.R0, 0),
				asm.Return(),
				asm.Mov.Reg(asm.R0, asm.R6).WithSymbol("use"),
				asm.Return(),
			},
			nil},
		{"calls clobber and read the arguments", false,
			asm.Instructions{
				asm.Mov.Imm(asm.R1, 1), // read by the call
				asm.Mov.Imm(asm.R3, 2), // read by the call, conservatively
				asm.FnKtimeGetNs.Call(),
				asm.Mov.Imm(asm.R3, 2), // not known after the call
				asm.StoreMem(asm.RFP, -8, asm.R3, asm.DWord),
				asm.Return(),
			},
			nil},
		{"redundant moves and constants", false,
			asm.Instructions{
				asm.Mov.Imm(asm.R1, 1),
				asm.StoreMem(asm.RFP, -8, asm.R1, asm.DWord),
				asm.Mov.Imm(asm.R1, 1), // already 1
				asm.StoreMem(asm.RFP, -16, asm.R1, asm.DWord),
				asm.Mov.Reg(asm.R2, asm.R2), // itself
				asm.Mov.Reg(asm.R3, asm.R1),
				asm.Mov.Reg(asm.R1, asm.R3), // back again
				asm.StoreMem(asm.RFP, -24, asm.R1, asm.DWord),
				asm.StoreMem(asm.RFP, -32, asm.R3, asm.DWord),
				asm.StoreMem(asm.RFP, -40, asm.R2, asm.DWord),
				asm.Return(),
			},
			asm.Instructions{ // and r3's read reads r1: its move dies
				asm.Mov.Imm(asm.R1, 1),
				asm.StoreMem(asm.RFP, -8, asm.R1, asm.DWord),
				asm.StoreMem(asm.RFP, -16, asm.R1, asm.DWord),
				asm.StoreMem(asm.RFP, -24, asm.R1, asm.DWord),
				asm.StoreMem(asm.RFP, -32, asm.R1, asm.DWord),
				asm.StoreMem(asm.RFP, -40, asm.R2, asm.DWord),
				asm.Return(),
			}},
		{"copies", false,
			asm.Instructions{
				asm.Mov.Reg(asm.R6, asm.R1),
				asm.LoadMem(asm.R0, asm.R6, 8, asm.DWord), // reads r1
				asm.StoreMem(asm.RFP, -8, asm.R0, asm.DWord),
				asm.Mov.Reg(asm.R7, asm.R1),
				asm.FnKtimeGetNs.Call(), // r1 is gone: r7 stays
				asm.LoadMem(asm.R0, asm.R7, 8, asm.DWord),
				asm.StoreMem(asm.RFP, -16, asm.R0, asm.DWord),
				asm.Return(),
			},
			asm.Instructions{
				asm.LoadMem(asm.R0, asm.R1, 8, asm.DWord),
				asm.StoreMem(asm.RFP, -8, asm.R0, asm.DWord),
				asm.Mov.Reg(asm.R7, asm.R1),
				asm.FnKtimeGetNs.Call(),
				asm.LoadMem(asm.R0, asm.R7, 8, asm.DWord),
				asm.StoreMem(asm.RFP, -16, asm.R0, asm.DWord),
				asm.Return(),
			}},
		{"a fetching atomic writes its source", false,
			asm.Instructions{
				asm.Mov.Reg(asm.R3, asm.R2),
				asm.Instruction{OpCode: asm.StoreXAdd(asm.R1, asm.R2, asm.DWord).OpCode.SetAtomicOp(asm.FetchAdd), Dst: asm.R1, Src: asm.R2},
				asm.StoreMem(asm.RFP, -8, asm.R3, asm.DWord), // the old r2
				asm.StoreMem(asm.RFP, -16, asm.R2, asm.DWord),
				asm.Return(),
			},
			nil},
		{"a removed first instruction's function goes to the next", false,
			asm.Instructions{
				withFunc(asm.Mov.Imm(asm.R2, 5).WithSymbol("f"), "f", true),
				asm.Mov.Imm(asm.R0, 0),
				asm.Return(),
			},
			asm.Instructions{
				withFunc(asm.Mov.Imm(asm.R0, 0).WithSymbol("f"), "f", true),
				asm.Return(),
			}},
		{"a constant is not known at a label", false,
			asm.Instructions{
				asm.Mov.Imm(asm.R1, 1),
				asm.JEq.Imm(asm.R2, 0, "l"),
				asm.Mov.Imm(asm.R1, 2),
				asm.Mov.Imm(asm.R1, 1).WithSymbol("l"),
				asm.StoreMem(asm.RFP, -8, asm.R1, asm.DWord),
				asm.Return(),
			},
			asm.Instructions{ // the moves before l are dead: so is the branch
				asm.Mov.Imm(asm.R1, 1).WithSymbol("l"),
				asm.StoreMem(asm.RFP, -8, asm.R1, asm.DWord),
				asm.Return(),
			}},
		{"jumps to jumps", false,
			asm.Instructions{
				asm.JEq.Imm(asm.R1, 0, "a"),
				asm.StoreMem(asm.RFP, -8, asm.R1, asm.DWord),
				asm.Ja.Label("b").WithSymbol("a"),
				asm.StoreMem(asm.RFP, -16, asm.R1, asm.DWord),
				asm.Mov.Imm(asm.R0, 0).WithSymbol("b"),
				asm.Return(),
			},
			asm.Instructions{
				asm.JEq.Imm(asm.R1, 0, "b"),
				asm.StoreMem(asm.RFP, -8, asm.R1, asm.DWord),
				asm.Mov.Imm(asm.R0, 0).WithSymbol("b"),
				asm.Return(),
			}},
		{"return value ignored, r0 set on every path", true,
			asm.Instructions{
				asm.LoadMem(asm.R0, asm.R1, 8, asm.DWord),
				asm.JNE.Imm(asm.R0, 1, "out"),
				asm.FnKtimeGetNs.Call(),
				asm.StoreMem(asm.RFP, -8, asm.R0, asm.DWord),
				asm.Mov.Imm(asm.R0, 0).WithSymbol("out"),
				asm.Return(),
			},
			asm.Instructions{
				asm.LoadMem(asm.R0, asm.R1, 8, asm.DWord),
				asm.JNE.Imm(asm.R0, 1, "out"),
				asm.FnKtimeGetNs.Call(),
				asm.StoreMem(asm.RFP, -8, asm.R0, asm.DWord),
				asm.Return().WithSymbol("out"),
			}},
		{"return value ignored, a void helper unsets r0", true,
			asm.Instructions{
				asm.LoadMem(asm.R1, asm.R1, 8, asm.DWord),
				asm.FnRingbufSubmit.Call(),
				asm.Mov.Imm(asm.R0, 0),
				asm.Return(),
			},
			nil},
		{"return value ignored, r0 unset on one path", true,
			asm.Instructions{
				asm.JEq.Imm(asm.R1, 0, "out"),
				asm.FnKtimeGetNs.Call(),
				asm.StoreMem(asm.RFP, -8, asm.R0, asm.DWord),
				asm.Mov.Imm(asm.R0, 0).WithSymbol("out"),
				asm.Return(),
			},
			nil},
		{"return value wanted", false,
			asm.Instructions{
				asm.FnKtimeGetNs.Call(),
				asm.StoreMem(asm.RFP, -8, asm.R0, asm.DWord),
				asm.Mov.Imm(asm.R0, 0),
				asm.Return(),
			},
			nil},
		{"a removed instruction's line goes to the next", false,
			asm.Instructions{
				asm.Mov.Imm(asm.R2, 5).WithSource(src).WithSymbol("s"),
				asm.Mov.Imm(asm.R0, 0),
				asm.Return(),
			},
			asm.Instructions{
				asm.Mov.Imm(asm.R0, 0).WithSource(src).WithSymbol("s"),
				asm.Return(),
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.want
			if want == nil {
				want = append(asm.Instructions(nil), tc.in...)
			}
			got := peephole(append(asm.Instructions(nil), tc.in...), tc.ignoresReturn)
			if g, w := listing(got), listing(want); g != w {
				t.Errorf("got\n%s\nwant\n%s", g, w)
			}
		})
	}
}

// listing prints instructions with their labels, references and lines.
func listing(insns asm.Instructions) string {
	var b strings.Builder
	for _, in := range insns {
		if s := in.Symbol(); s != "" {
			fmt.Fprintf(&b, "%s:\n", s)
		}
		if s := in.Source(); s != nil {
			fmt.Fprintf(&b, "; %s\n", s)
		}
		if f := btf.FuncMetadata(&in); f != nil {
			fmt.Fprintf(&b, "func %s\n", f.Name)
		}
		fmt.Fprintf(&b, "\t%v\n", in)
	}
	return b.String()
}

// TestPeepholeDeterministic: the same program gives the same code.
func TestPeepholeDeterministic(t *testing.T) {
	prog := func() asm.Instructions {
		return asm.Instructions{
			asm.Mov.Imm(asm.R2, 5),
			asm.JEq.Imm(asm.R1, 0, "a"),
			asm.Mov.Imm(asm.R3, 1),
			asm.Ja.Label("b").WithSymbol("a"),
			asm.Mov.Imm(asm.R0, 0).WithSymbol("b"),
			asm.Return(),
		}
	}
	first := listing(peephole(prog(), true))
	for range 10 {
		if got := listing(peephole(prog(), true)); got != first {
			t.Fatalf("got\n%s\nthen\n%s", first, got)
		}
	}
}

package codegen

import (
	"testing"

	"github.com/cilium/ebpf/asm"
)

// TestShareFrameAddrs: a stack address taken three times or more goes
// into a free callee-saved register at its first use, when that use is on
// every path to the others; else the code stays as it is.
func TestShareFrameAddrs(t *testing.T) {
	src := &Source{Text: "stmt"}
	addr := func(r asm.Register, k int32) []asm.Instruction {
		return []asm.Instruction{asm.Mov.Reg(r, asm.RFP), asm.Add.Imm(r, k)}
	}
	seq := func(parts ...[]asm.Instruction) asm.Instructions {
		var out asm.Instructions
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	ins := func(insns ...asm.Instruction) []asm.Instruction { return insns }
	call := ins(asm.FnMapLookupElem.Call())
	exit := ins(asm.Return().WithSymbol("out"))
	for _, tc := range []struct {
		name     string
		in, want asm.Instructions
	}{
		{"three uses", seq(ins(asm.StoreImm(asm.RFP, -8, 0, asm.DWord)), addr(asm.R1, -8), call, addr(asm.R2, -8), call, addr(asm.R2, -8), call, exit),
			seq(ins(asm.StoreImm(asm.RFP, -8, 0, asm.DWord)), addr(asm.R6, -8), ins(asm.Mov.Reg(asm.R1, asm.R6)), call,
				ins(asm.Mov.Reg(asm.R2, asm.R6)), call, ins(asm.Mov.Reg(asm.R2, asm.R6)), call, exit)},
		{"the first use's label and line stay on it", seq(ins(asm.Mov.Reg(asm.R1, asm.RFP).WithSymbol("l").WithSource(src), asm.Add.Imm(asm.R1, -8)),
			call, addr(asm.R2, -8), call, addr(asm.R2, -8), call, exit),
			seq(ins(asm.Mov.Reg(asm.R6, asm.RFP).WithSymbol("l").WithSource(src), asm.Add.Imm(asm.R6, -8), asm.Mov.Reg(asm.R1, asm.R6)),
				call, ins(asm.Mov.Reg(asm.R2, asm.R6)), call, ins(asm.Mov.Reg(asm.R2, asm.R6)), call, exit)},
		{"two uses", seq(addr(asm.R1, -8), call, addr(asm.R2, -8), call, exit), nil},
		{"different addresses", seq(addr(asm.R1, -8), call, addr(asm.R2, -16), call, addr(asm.R2, -8), call, exit), nil},
		{"R6 and R7 taken", seq(ins(asm.Mov.Imm(asm.R6, 1), asm.Mov.Imm(asm.R7, 1)), addr(asm.R1, -8), call, addr(asm.R2, -8), call, addr(asm.R2, -8), call, exit),
			seq(ins(asm.Mov.Imm(asm.R6, 1), asm.Mov.Imm(asm.R7, 1)), addr(asm.R8, -8), ins(asm.Mov.Reg(asm.R1, asm.R8)), call,
				ins(asm.Mov.Reg(asm.R2, asm.R8)), call, ins(asm.Mov.Reg(asm.R2, asm.R8)), call, exit)},
		{"no register free", seq(ins(asm.Mov.Imm(asm.R6, 1), asm.Mov.Imm(asm.R7, 1), asm.Mov.Imm(asm.R8, 1), asm.Mov.Reg(asm.R0, asm.R9)),
			addr(asm.R1, -8), call, addr(asm.R2, -8), call, addr(asm.R2, -8), call, exit), nil},
		{"the first use on one path only", seq(ins(asm.JEq.Imm(asm.R1, 0, "other")), addr(asm.R1, -8), call,
			ins(asm.Mov.Imm(asm.R0, 0).WithSymbol("other")), addr(asm.R2, -8), call, addr(asm.R2, -8), call, exit), nil},
		{"a label between the two", seq(addr(asm.R1, -8), call, ins(asm.Mov.Reg(asm.R2, asm.RFP), asm.Add.Imm(asm.R2, -8).WithSymbol("l")),
			call, addr(asm.R2, -8), call, addr(asm.R2, -8), call, ins(asm.JEq.Imm(asm.R0, 0, "l")), exit),
			seq(addr(asm.R6, -8), ins(asm.Mov.Reg(asm.R1, asm.R6)), call, ins(asm.Mov.Reg(asm.R2, asm.RFP), asm.Add.Imm(asm.R2, -8).WithSymbol("l")),
				call, ins(asm.Mov.Reg(asm.R2, asm.R6)), call, ins(asm.Mov.Reg(asm.R2, asm.R6)), call, ins(asm.JEq.Imm(asm.R0, 0, "l")), exit)},
		{"only the main function's", seq(ins(asm.Call.Label("f")), exit,
			ins(withFunc(asm.Mov.Reg(asm.R1, asm.RFP).WithSymbol("f"), "f", false), asm.Add.Imm(asm.R1, -8)), call, addr(asm.R2, -8), call, addr(asm.R2, -8), call, ins(asm.Return())), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.want
			if want == nil {
				want = append(asm.Instructions(nil), tc.in...)
			}
			got := shareFrameAddrs(append(asm.Instructions(nil), tc.in...))
			if g, w := listing(got), listing(want); g != w {
				t.Errorf("got\n%s\nwant\n%s", g, w)
			}
		})
	}
}

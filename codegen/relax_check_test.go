package codegen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cilium/ebpf/asm"
)

// TestCheckJumpsRefuses: checkJumps, which resolves labels through the
// peephole pass's flow, still refuses a label placed twice and a
// reference to a label placed nowhere.
func TestCheckJumpsRefuses(t *testing.T) {
	for _, tc := range []struct {
		name  string
		insns asm.Instructions
		want  string
	}{
		{"placed twice", asm.Instructions{
			asm.JEq.Imm(asm.R1, 0, "out"),
			asm.Mov.Imm(asm.R0, 1).WithSymbol("out"),
			asm.Return().WithSymbol("out"),
		}, "label out is placed twice"},
		{"not placed", asm.Instructions{
			asm.JEq.Imm(asm.R1, 0, "nowhere"),
			asm.Return(),
		}, "reference to nowhere, which is not placed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if got := fmt.Sprint(recover()); !strings.Contains(got, tc.want) {
					t.Errorf("checkJumps panicked with %q, want %q", got, tc.want)
				}
			}()
			checkJumps(tc.insns, kernelSize)
		})
	}
}

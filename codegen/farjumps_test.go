package codegen_test

import (
	"encoding/binary"
	"io"
	"strings"
	"testing"

	"github.com/cilium/ebpf/asm"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/bigscript"
)

// TestFarJumps: in programs longer than a 16-bit jump reaches (an if with
// thousands of else-ifs, a ?: thousands deep), every jump lands on its
// label once assembled, and some reach further than 16 bits.
func TestFarJumps(t *testing.T) {
	for _, tc := range []struct{ name, text string }{
		{"4000 branches", bigscript.IfChain(4000, 3999)},
		{"10000-deep ?:", bigscript.CondChain(10000, 9999)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := compile(t, "-e", tc.text)
			for name, p := range out.Spec.Programs {
				if far := checkLanding(t, p.Instructions); far <= 1<<15 {
					t.Errorf("%s: the farthest jump reaches %d instructions: the test needs more than 16 bits", name, far)
				}
			}
		})
	}
}

// TestFarJumpsPidFilter: under -p, the check that returns early for other
// processes skips its far jump to the program's end by a fixed distance,
// which must still land after that jump is made long.
func TestFarJumpsPidFilter(t *testing.T) {
	text := strings.Replace(bigscript.IfChain(3000, 1), "BEGIN", "tracepoint:syscalls:sys_enter_openat", 1)
	out := generateWith(t, text, codegen.Options{PidFilter: true})
	for name, p := range out.Spec.Programs {
		if far := checkLanding(t, p.Instructions); far <= 1<<15 {
			t.Errorf("%s: the farthest jump reaches %d instructions: the test needs more than 16 bits", name, far)
		}
	}
}

// checkLanding assembles insns as loading does and checks that every jump
// lands on the instruction its label names. It returns the longest
// distance jumped.
func checkLanding(t *testing.T, insns asm.Instructions) int64 {
	t.Helper()
	insns = append(asm.Instructions(nil), insns...) // Marshal writes the distances in
	if err := insns.Marshal(io.Discard, binary.LittleEndian); err != nil {
		t.Fatal(err)
	}
	at := map[string]int64{}
	pos := make([]int64, len(insns))
	var p int64
	for i, in := range insns {
		pos[i] = p
		p += int64(in.Width())
		if sym := in.Symbol(); sym != "" {
			at[sym] = pos[i]
		}
	}
	var far int64
	for i, in := range insns {
		op := in.OpCode.JumpOp()
		if !in.OpCode.Class().IsJump() || op == asm.Call || op == asm.Exit || in.Reference() == "" {
			continue
		}
		d := int64(in.Offset)
		if in.OpCode.Class() == asm.Jump32Class && op == asm.Ja {
			d = in.Constant
		}
		if got, want := pos[i]+1+d, at[in.Reference()]; got != want {
			t.Fatalf("instruction %d (%v) lands at %d, its label %s is at %d", i, in, got, in.Reference(), want)
		}
		far = max(far, d, -d)
	}
	return far
}

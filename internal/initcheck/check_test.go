package initcheck

import (
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// spec wraps a program's instructions with the maps they name: a hash
// map with 8-byte keys and 16-byte values, the ring buffer and the
// scratch map.
func spec(insns ...asm.Instruction) *ebpf.CollectionSpec {
	insns[0] = btf.WithFuncMetadata(insns[0], &btf.Func{Name: "prog"})
	return &ebpf.CollectionSpec{
		Maps: map[string]*ebpf.MapSpec{
			"m":       {Type: ebpf.Hash, KeySize: 8, ValueSize: 16},
			"events":  {Type: ebpf.RingBuf},
			"scratch": {Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: 64},
		},
		Programs: map[string]*ebpf.ProgramSpec{"prog": {Instructions: insns}},
	}
}

// callback marks insns[0] as the first instruction of a function.
func callback(label string, insns ...asm.Instruction) []asm.Instruction {
	insns[0] = btf.WithFuncMetadata(insns[0].WithSymbol(label), &btf.Func{Name: label})
	return insns
}

func stDW(dst asm.Register, off int16, v int32) asm.Instruction {
	return asm.Instruction{OpCode: asm.StoreImmOp(asm.DWord), Dst: dst, Offset: off, Constant: int64(v)}
}

var (
	exit = []asm.Instruction{asm.Mov.Imm(asm.R0, 0), asm.Return()}
	// reserve16 reserves a 16-byte record into R6.
	reserve16 = []asm.Instruction{
		asm.LoadMapPtr(asm.R1, 0).WithReference("events"), asm.Mov.Imm(asm.R2, 16), asm.Mov.Imm(asm.R3, 0),
		asm.FnRingbufReserve.Call(), asm.JEq.Imm(asm.R0, 0, "out"), asm.Mov.Reg(asm.R6, asm.R0),
	}
	submit = []asm.Instruction{asm.Mov.Reg(asm.R1, asm.R6), asm.Mov.Imm(asm.R2, 0), asm.FnRingbufSubmit.Call()}
	// scratch looks the scratch area up into R7, its address kept at fp-8.
	scratch = []asm.Instruction{
		asm.StoreImm(asm.RFP, -8, 0, asm.Word), asm.LoadMapPtr(asm.R1, 0).WithReference("scratch"),
		asm.Mov.Reg(asm.R2, asm.RFP), asm.Add.Imm(asm.R2, -8), asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, "out"), asm.StoreMem(asm.RFP, -8, asm.R0, asm.DWord), asm.Mov.Reg(asm.R7, asm.R0),
	}
	// update stores the key at fp-16 and the value at fp-32 in map m.
	update = []asm.Instruction{
		asm.LoadMapPtr(asm.R1, 0).WithReference("m"), asm.Mov.Reg(asm.R2, asm.RFP), asm.Add.Imm(asm.R2, -16),
		asm.Mov.Reg(asm.R3, asm.RFP), asm.Add.Imm(asm.R3, -32), asm.Mov.Imm(asm.R4, 0), asm.FnMapUpdateElem.Call(),
	}
)

// seq joins pieces of programs; the last instruction gets the label out.
func seq(parts ...[]asm.Instruction) []asm.Instruction {
	var out []asm.Instruction
	for _, p := range parts {
		out = append(out, p...)
	}
	out = append(out, exit...)
	out[len(out)-2] = out[len(out)-2].WithSymbol("out")
	return out
}

func ins(insns ...asm.Instruction) []asm.Instruction { return insns }

// kfuncCall calls a kernel function.
var kfuncCall = asm.Instruction{OpCode: asm.OpCode(asm.JumpClass).SetJumpOp(asm.Call), Src: asm.PseudoKfuncCall, Constant: -1}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name  string
		insns []asm.Instruction
		want  string // a part of the one finding, or "" for none
	}{
		{"stack written then read", seq(ins(stDW(asm.RFP, -8, 0), asm.LoadMem(asm.R0, asm.RFP, -8, asm.DWord))), ""},
		{"stack read unwritten", seq(ins(asm.LoadMem(asm.R0, asm.RFP, -8, asm.Word))), "load reads 4 bytes at fp-8, byte fp-8 not written"},
		{"a 6-byte variable cleared by whole words only", seq(reserve16,
			ins(stDW(asm.R6, 0, 0), asm.LoadMem(asm.R1, asm.RFP, -8, asm.Word), asm.StoreMem(asm.R6, 8, asm.R1, asm.Word),
				asm.LoadMem(asm.R1, asm.RFP, -4, asm.Half), asm.StoreMem(asm.R6, 12, asm.R1, asm.Half)), submit),
			"load reads 4 bytes at fp-8"},
		{"record fully written", seq(reserve16, ins(stDW(asm.R6, 0, 1), stDW(asm.R6, 8, 2)), submit), ""},
		{"record with a gap", seq(reserve16, ins(stDW(asm.R6, 0, 1), asm.StoreImm(asm.R6, 8, 2, asm.Word)), submit),
			"ring buffer record reads 16 bytes at record(insn 3)+0, byte record(insn 3)+12 not written"},
		{"record output from a stack with a gap", seq(ins(stDW(asm.RFP, -16, 1), asm.StoreImm(asm.RFP, -8, 2, asm.Word),
			asm.LoadMapPtr(asm.R1, 0).WithReference("events"), asm.Mov.Reg(asm.R2, asm.RFP), asm.Add.Imm(asm.R2, -16),
			asm.Mov.Imm(asm.R3, 16), asm.Mov.Imm(asm.R4, 0), asm.FnRingbufOutput.Call())),
			"ring buffer record reads 16 bytes at fp-16, byte fp-4 not written"},
		{"record output from a written stack", seq(ins(stDW(asm.RFP, -16, 1), stDW(asm.RFP, -8, 2),
			asm.LoadMapPtr(asm.R1, 0).WithReference("events"), asm.Mov.Reg(asm.R2, asm.RFP), asm.Add.Imm(asm.R2, -16),
			asm.Mov.Imm(asm.R3, 16), asm.Mov.Imm(asm.R4, 0), asm.FnRingbufOutput.Call())), ""},
		{"probe_read_str into a record", seq(reserve16, ins(stDW(asm.R6, 0, 1), asm.Mov.Reg(asm.R1, asm.R6), asm.Add.Imm(asm.R1, 8),
			asm.Mov.Imm(asm.R2, 8), asm.Mov.Imm(asm.R3, 0), asm.FnProbeReadKernelStr.Call()), submit),
			"byte record(insn 3)+9 not written"},
		{"probe_read_str into a zeroed record", seq(reserve16, ins(stDW(asm.R6, 0, 1), stDW(asm.R6, 8, 0), asm.Mov.Reg(asm.R1, asm.R6),
			asm.Add.Imm(asm.R1, 8), asm.Mov.Imm(asm.R2, 8), asm.Mov.Imm(asm.R3, 0), asm.FnProbeReadKernelStr.Call()), submit), ""},
		{"probe_read fills its destination", seq(reserve16, ins(asm.Mov.Reg(asm.R1, asm.R6), asm.Mov.Imm(asm.R2, 16),
			asm.Mov.Imm(asm.R3, 0), asm.FnProbeReadKernel.Call()), submit), ""},
		{"probe_read from unwritten stack", seq(ins(asm.Mov.Reg(asm.R1, asm.RFP), asm.Add.Imm(asm.R1, -16), asm.Mov.Imm(asm.R2, 8),
			asm.Mov.Reg(asm.R3, asm.RFP), asm.Add.Imm(asm.R3, -8), asm.FnProbeReadKernel.Call())),
			"probe_read source reads 8 bytes at fp-8"},
		{"map key partly written", seq(ins(asm.StoreImm(asm.RFP, -16, 1, asm.Word), stDW(asm.RFP, -32, 0), stDW(asm.RFP, -24, 0)), update),
			"map key reads 8 bytes at fp-16, byte fp-12 not written"},
		{"map value partly written", seq(ins(stDW(asm.RFP, -16, 1), stDW(asm.RFP, -32, 0)), update),
			"map value reads 16 bytes at fp-32, byte fp-24 not written"},
		{"scratch area stale", seq(scratch, ins(stDW(asm.R7, 0, 0), asm.LoadMem(asm.R0, asm.R7, 8, asm.DWord))),
			"load reads 8 bytes at scratch+8"},
		{"scratch address spilled and reloaded", seq(scratch, ins(asm.Mov.Imm(asm.R7, 0), asm.LoadMem(asm.R2, asm.RFP, -8, asm.DWord),
			stDW(asm.R2, 16, 0), asm.LoadMem(asm.R0, asm.R2, 24, asm.DWord))), "load reads 8 bytes at scratch+24"},
		{"written on one path only", seq(ins(asm.JEq.Imm(asm.R1, 0, "skip"), stDW(asm.RFP, -8, 0),
			asm.LoadMem(asm.R0, asm.RFP, -8, asm.DWord).WithSymbol("skip"))), "load reads 8 bytes at fp-8"},
		{"written on both paths", seq(ins(asm.JEq.Imm(asm.R1, 0, "other"), stDW(asm.RFP, -8, 0), asm.Ja.Label("join"),
			stDW(asm.RFP, -8, 1).WithSymbol("other"), asm.LoadMem(asm.R0, asm.RFP, -8, asm.DWord).WithSymbol("join"))), ""},
		{"a loop that moves an address", seq(ins(stDW(asm.RFP, -8, 0), stDW(asm.RFP, -16, 0), asm.Mov.Reg(asm.R1, asm.RFP),
			asm.Add.Imm(asm.R1, -16), asm.LoadMem(asm.R2, asm.R1, 0, asm.Byte).WithSymbol("loop"), asm.Add.Imm(asm.R1, 1),
			asm.JNE.Imm(asm.R2, 0, "loop"))), ""},
		{"strncmp of an unwritten string", seq(ins(asm.Mov.Reg(asm.R1, asm.RFP), asm.Add.Imm(asm.R1, -8), asm.Mov.Imm(asm.R2, 4),
			asm.LoadMapValue(asm.R3, 0, 0).WithReference(".rodata"), asm.FnStrncmp.Call())), "bpf_strncmp's string"},
		{"a helper without a model", seq(ins(asm.FnTracePrintk.Call())), "no model of"},
		{"a kernel function given numbers", seq(ins(asm.Mov.Imm(asm.R1, 1), kfuncCall)), ""},
		{"a kernel function given the stack", seq(ins(asm.Mov.Reg(asm.R1, asm.RFP), asm.Add.Imm(asm.R1, -8), kfuncCall)), "kernel function given the program's memory in r1"},
		{"probe_read past a map value's end", seq(ins(asm.Mov.Reg(asm.R1, asm.RFP), asm.Add.Imm(asm.R1, -16), asm.Mov.Imm(asm.R2, 16),
			asm.LoadMapValue(asm.R3, 0, 8).WithReference("m"), asm.FnProbeReadKernel.Call())), "reads 16 bytes at 8 of m's 16-byte value, past its end"},
		// has_key's old code: the lookup's result, then 1 where it was an
		// address; where it was NULL, the verifier has the number 0 too.
		{"a null check leaves the number 0", seq(ins(stDW(asm.RFP, -8, 0), asm.LoadMapPtr(asm.R1, 0).WithReference("m"),
			asm.Mov.Reg(asm.R2, asm.RFP), asm.Add.Imm(asm.R2, -8), asm.FnMapLookupElem.Call(), asm.Mov.Reg(asm.R6, asm.R0),
			asm.JEq.Imm(asm.R6, 0, "no"), asm.Mov.Imm(asm.R6, 1), asm.Mov.Reg(asm.R3, asm.R6).WithSymbol("no"),
			asm.Mov.Reg(asm.R1, asm.RFP), asm.Add.Imm(asm.R1, -16), asm.Mov.Imm(asm.R2, 8), asm.FnProbeReadKernelStr.Call())), ""},
		{"a flag or an address", seq(ins(asm.JEq.Imm(asm.R2, 0, "flag"), asm.Mov.Reg(asm.R3, asm.RFP), asm.Add.Imm(asm.R3, -8),
			asm.Ja.Label("join"), asm.Mov.Imm(asm.R3, 1).WithSymbol("flag"), asm.Mov.Reg(asm.R1, asm.RFP).WithSymbol("join"),
			asm.Add.Imm(asm.R1, -16), asm.Mov.Imm(asm.R2, 8), asm.FnProbeReadKernel.Call())), "probe_read source: address of unknown origin"},
		{"NULL or an address: the address is checked", seq(ins(asm.JEq.Imm(asm.R2, 0, "null"), asm.Mov.Reg(asm.R3, asm.RFP), asm.Add.Imm(asm.R3, -8),
			asm.Ja.Label("join"), asm.Mov.Imm(asm.R3, 0).WithSymbol("null"), asm.Mov.Reg(asm.R1, asm.RFP).WithSymbol("join"),
			asm.Add.Imm(asm.R1, -16), asm.Mov.Imm(asm.R2, 8), asm.FnProbeReadKernel.Call())), "probe_read source reads 8 bytes at fp-8"},
		// Null-checked twice: the record is still one where the paths meet.
		{"an address null-checked again", seq(ins(asm.LoadMapPtr(asm.R1, 0).WithReference("events"), asm.Mov.Imm(asm.R2, 16),
			asm.Mov.Imm(asm.R3, 0), asm.FnRingbufReserve.Call(), asm.Mov.Reg(asm.R6, asm.R0), asm.JEq.Imm(asm.R6, 0, "skip"),
			stDW(asm.R6, 0, 1), asm.JEq.Imm(asm.R6, 0, "out").WithSymbol("skip"), stDW(asm.R6, 8, 2)), submit),
			"ring buffer record reads 16 bytes at record(insn 3)+0, byte record(insn 3)+0 not written"},
		{"probe_read within a map value", seq(ins(asm.Mov.Reg(asm.R1, asm.RFP), asm.Add.Imm(asm.R1, -16), asm.Mov.Imm(asm.R2, 8),
			asm.LoadMapValue(asm.R3, 0, 8).WithReference("m"), asm.FnProbeReadKernel.Call())), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Check(spec(tc.insns...), Config{Scratch: "scratch"})
			switch {
			case tc.want == "" && len(got) > 0:
				t.Errorf("found %v", got)
			case tc.want != "" && (len(got) == 0 || !strings.Contains(got[0].Msg, tc.want)):
				t.Errorf("found %v, want first finding with %q", got, tc.want)
			}
		})
	}
}

// TestCheckCallbacks: a bpf_loop callback sees the caller's frame through
// its context argument; what it writes may not have happened after the
// loop (it may run no time), what the caller wrote before is there in it.
func TestCheckCallbacks(t *testing.T) {
	loop := ins(asm.Mov.Imm(asm.R1, 4), asm.LoadImm(asm.R2, -1, asm.DWord), asm.Mov.Reg(asm.R3, asm.RFP),
		asm.Mov.Imm(asm.R4, 0), asm.FnLoop.Call())
	loop[1].Src = asm.PseudoFunc
	loop[1] = loop[1].WithReference("cb")
	for _, tc := range []struct {
		name      string
		main, cb  []asm.Instruction
		want, msg string
	}{
		{"written before, read inside", ins(stDW(asm.RFP, -8, 0)),
			ins(asm.LoadMem(asm.R0, asm.R2, -8, asm.DWord)), "", ""},
		{"read inside, never written", nil,
			ins(asm.LoadMem(asm.R0, asm.R2, -8, asm.DWord)), "load reads 8 bytes at fp-8", ""},
		{"written inside, read after", nil,
			ins(stDW(asm.R2, -8, 0)), "load reads 8 bytes at fp-8", "after"},
		{"the callback's own frame", nil,
			ins(asm.LoadMem(asm.R0, asm.RFP, -8, asm.DWord)), "fp-8, byte callback", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			main := append(append(tc.main, loop...), asm.LoadMem(asm.R0, asm.RFP, -16, asm.DWord))
			if tc.msg == "after" {
				main[len(main)-1] = asm.LoadMem(asm.R0, asm.RFP, -8, asm.DWord)
			} else {
				main = append(ins(stDW(asm.RFP, -16, 0)), main...)
			}
			insns := seq(main)
			insns = append(insns, callback("cb", append(tc.cb, asm.Mov.Imm(asm.R0, 0), asm.Return())...)...)
			got := Check(spec(insns...), Config{Scratch: "scratch"})
			switch {
			case tc.want == "" && len(got) > 0:
				t.Errorf("found %v", got)
			case tc.want != "" && (len(got) == 0 || !strings.Contains(got[0].Msg, tc.want)):
				t.Errorf("found %v, want first finding with %q", got, tc.want)
			}
		})
	}
}

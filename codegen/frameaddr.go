package codegen

import (
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// Stack addresses held in a register.
//
// A helper takes a stack buffer by address: `rX = r10; rX += K`, two
// instructions each time, and a map key goes to each of its helpers (the
// lookup, then the insert; get_current_comm writes a comm key first).
// When the main function takes the same address three times or more and
// a callee-saved register is free in all of it, shareFrameAddrs computes
// the address once into that register, where its first use does, and the
// others copy it: 2 + n instructions instead of 2n.
//
//	r1 = r10; r1 += -24; ... r2 = r10; r2 += -24; ... r2 = r10; r2 += -24
//
// becomes
//
//	r6 = r10; r6 += -24; r1 = r6; ... r2 = r6; ... r2 = r6
//
// The first use must dominate the others (every path from the entry to
// them passes through it). It runs on finished code, after the peephole
// pass (finish).

// shareFrameAddrs rewrites repeated stack addresses of the main function
// as the file's comment says.
func shareFrameAddrs(insns asm.Instructions) asm.Instructions {
	end := mainEnd(insns)
	free := freeCalleeSaved(insns[:end])
	if len(free) == 0 {
		return insns
	}
	uses := map[int32][]int{} // K: the first instructions of its pairs
	var order []int32
	for i := 0; i+1 < end; i++ {
		if k, ok := frameAddr(insns, i); ok {
			if uses[k] == nil {
				order = append(order, k)
			}
			uses[k] = append(uses[k], i)
			i++
		}
	}
	var f *flow
	replaced := map[int]asm.Register{} // first instruction of a pair: the register holding its address
	first := map[int]bool{}
	for _, k := range order {
		if len(uses[k]) < 3 || len(free) == 0 {
			continue
		}
		if f == nil {
			f = flows.Get().(*flow)
			defer flows.Put(f)
			f.resolve(insns)
		}
		if !dominates(insns[:end], f, uses[k][0], uses[k][1:]) {
			continue
		}
		r := free[0]
		free = free[1:]
		for j, i := range uses[k] {
			replaced[i] = r
			first[i] = j == 0
		}
	}
	if len(replaced) == 0 {
		return insns
	}
	out := make(asm.Instructions, 0, len(insns)+len(order))
	for i := 0; i < len(insns); i++ {
		r, ok := replaced[i]
		if !ok {
			out = append(out, insns[i])
			continue
		}
		dst := insns[i].Dst
		if first[i] {
			// The pair computes the address into r; its first
			// instruction keeps the label and the script line.
			def := insns[i]
			def.Dst = r
			add := insns[i+1]
			add.Dst = r
			out = append(out, def, add, asm.Mov.Reg(dst, r))
		} else {
			mov := asm.Mov.Reg(dst, r)
			mov.Metadata = insns[i].Metadata
			out = append(out, mov)
		}
		i++ // the add
	}
	return out
}

// frameAddr reports whether insns[i] and insns[i+1] are `rX = r10; rX +=
// K` (no label between them), and K.
func frameAddr(insns asm.Instructions, i int) (int32, bool) {
	mov, add := insns[i], insns[i+1]
	if mov.OpCode != asm.Mov.Op(asm.RegSource) || mov.Src != asm.RFP || mov.Dst == asm.RFP || mov.Offset != 0 ||
		add.OpCode != asm.Add.Op(asm.ImmSource) || add.Dst != mov.Dst || add.Symbol() != "" || add.Source() != nil {
		return 0, false
	}
	return int32(add.Constant), true
}

// mainEnd returns where the main function ends: at the first instruction
// of another function (a callback, a shared function).
func mainEnd(insns asm.Instructions) int {
	entries := map[string]bool{}
	for _, in := range insns {
		if in.IsFunctionCall() || in.IsLoadOfFunctionPointer() {
			entries[in.Reference()] = true
		}
	}
	for i := 1; i < len(insns); i++ {
		if btf.FuncMetadata(&insns[i]) != nil || entries[insns[i].Symbol()] {
			return i
		}
	}
	return len(insns)
}

// freeCalleeSaved returns the callee-saved registers no instruction of
// insns names.
func freeCalleeSaved(insns asm.Instructions) []asm.Register {
	var named [asm.R10 + 1]bool
	for _, in := range insns {
		if in.Dst <= asm.R10 {
			named[in.Dst] = true
		}
		if in.Src <= asm.R10 && !in.OpCode.Class().IsJump() && !in.OpCode.IsDWordLoad() {
			named[in.Src] = true
		}
		if in.OpCode.Class().IsJump() && in.OpCode.Source() == asm.RegSource {
			named[in.Src] = true
		}
	}
	var free []asm.Register
	for r := asm.R6; r <= asm.R9; r++ {
		if !named[r] {
			free = append(free, r)
		}
	}
	return free
}

// dominates reports whether every path from the entry to the
// instructions others passes through d.
// f holds insns' jumps resolved.
func dominates(insns asm.Instructions, f *flow, d int, others []int) bool {
	seen := make([]bool, len(insns))
	seen[d] = true
	f.mark(insns, seen, 0)
	for _, o := range others {
		if seen[o] {
			return false
		}
	}
	return true
}

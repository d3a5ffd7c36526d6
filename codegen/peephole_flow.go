package codegen

import (
	"sync"

	"github.com/cilium/ebpf/asm"
)

// flow is what the peephole pass knows of a program's control flow: the
// instruction each reference names, by index, so that its analyses look
// no label up by name. Its arrays are kept from one round of the pass to
// the next, and from one analysis to the next, so that a round allocates
// nothing once the first has sized them.
type flow struct {
	at  map[string]int
	tgt []int32 // tgt[i]: the instruction insns[i]'s reference names, -1 for none
	// symbols is how many instructions have a label (more than at
	// holds when one is placed twice).
	symbols int

	seen, dead, pure, set []bool
	use, def              []regMask
	liveIn, liveOut       []regMask
	succs                 [][2]int32
	first, preds, newIdx  []int32
	work                  []int
	noLong                []bool  // relax's and checkJumps'
	pos, raw              []int64 // relax's and checkJumps'
}

// flows keeps flows, and their arrays, from one program to the next.
var flows = sync.Pool{New: func() any { return new(flow) }}

// sized returns buf with length n, reusing its array when large enough.
func sized[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n, n+n/4)
	}
	return buf[:n]
}

// resolve maps each label of insns to its instruction (the last one, for
// a label placed twice) and each reference to the instruction it names.
func (f *flow) resolve(insns asm.Instructions) {
	if f.at == nil || len(f.at) > len(insns) {
		// A new map rather than clearing one a far larger program
		// grew: clearing costs what the map holds room for.
		f.at = make(map[string]int)
	} else {
		clear(f.at)
	}
	f.symbols = 0
	for i, in := range insns {
		if sym := in.Symbol(); sym != "" {
			f.at[sym] = i
			f.symbols++
		}
	}
	f.tgt = sized(f.tgt, len(insns))
	for i, in := range insns {
		f.tgt[i] = -1
		if ref := in.Reference(); ref != "" {
			if t, ok := f.at[ref]; ok {
				f.tgt[i] = int32(t)
			}
		}
	}
}

// successors returns the instructions that may run after insns[i], by
// index (len(insns) for none past the end), -1 for none.
func (f *flow) successors(insns asm.Instructions, i int) (a, b int) {
	in := &insns[i]
	if !in.OpCode.Class().IsJump() {
		return i + 1, -1
	}
	switch jop := in.OpCode.JumpOp(); jop {
	case asm.Exit:
		return -1, -1
	case asm.Call:
		return i + 1, -1
	case asm.Ja:
		if t := f.tgt[i]; t >= 0 {
			return int(t), -1
		}
		return i + 1 + int(in.Offset), -1 // a fixed jump
	default:
		if t := f.tgt[i]; t >= 0 {
			return i + 1, int(t)
		}
		return i + 1, i + 1 + int(in.Offset)
	}
}

// dropUnreached removes the instructions that no path from the entry, or
// from a called subprogram's entry, reaches (see reachable), keeping the
// references resolved.
func (f *flow) dropUnreached(insns asm.Instructions) asm.Instructions {
	n := len(insns)
	f.seen = sized(f.seen, n)
	clear(f.seen)
	seen := f.seen
	f.mark(insns, seen, 0)
	f.newIdx = sized(f.newIdx, n)
	kept := insns[:0]
	for i, in := range insns {
		if seen[i] {
			f.newIdx[i] = int32(len(kept))
			kept = append(kept, in)
			continue
		}
		f.newIdx[i] = -1
		if src := in.Source(); src != nil && i+1 < n && insns[i+1].Source() == nil {
			// Keep the statement's line on the next instruction.
			insns[i+1] = insns[i+1].WithSource(src)
		}
	}
	// The labels of the instructions kept keep their names: a reference
	// now names its instruction's new index, or none.
	for i := range n {
		if j := f.newIdx[i]; j >= 0 {
			t := f.tgt[i]
			if t >= 0 {
				t = f.newIdx[t]
			}
			f.tgt[j] = t
		}
	}
	f.tgt = f.tgt[:len(kept)]
	return kept
}

// mark marks in seen the instructions a path from start reaches without
// going through one already marked: a jump goes to its target, a call
// into its function and on, the load of a callback's address to it too.
// A reference to no label goes to the entry.
func (f *flow) mark(insns asm.Instructions, seen []bool, start int) {
	n := len(insns)
	to := func(i int) int { return max(int(f.tgt[i]), 0) }
	work := append(f.work[:0], start)
	for len(work) > 0 {
		i := work[len(work)-1]
		work = work[:len(work)-1]
		if i >= n || seen[i] {
			continue
		}
		seen[i] = true
		in := &insns[i]
		next := true
		if in.IsLoadOfFunctionPointer() {
			work = append(work, to(i)) // a callback's entry
		}
		if in.OpCode.Class().IsJump() {
			switch op := in.OpCode.JumpOp(); {
			case op == asm.Exit:
				next = false
			case op == asm.Call:
				if in.IsFunctionCall() {
					work = append(work, to(i))
				}
			case op == asm.Ja:
				next = false
				work = append(work, to(i))
			default:
				work = append(work, to(i))
			}
		}
		if next {
			work = append(work, i+1)
		}
	}
	f.work = work
}

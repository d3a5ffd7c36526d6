package codegen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// Source is the script text an instruction came from. It is attached to the
// first instruction of each statement, so listings show the script above
// its instructions and a verifier error can name the line.
type Source struct {
	Pos  lang.Pos
	Text string
	// End is the byte offset where the statement ends in its file, when
	// known (0 otherwise): with Pos.Offset, the span a message about the
	// statement underlines.
	End int
}

// String renders the source for listings: file:line: text.
func (s *Source) String() string {
	if !s.Pos.IsValid() {
		return s.Text
	}
	return fmt.Sprintf("%s:%d: %s", s.Pos.Filename, s.Pos.Line, s.Text)
}

// emitter collects one program's instructions with labels and sources.
type emitter struct {
	insns   asm.Instructions
	pending []string // labels for the next instruction
	source  *Source  // source for the next instruction
	alias   map[string]string
	nlabels int
	// prefix starts every label newLabel makes: a dispatcher's section
	// names its labels apart from the other sections' as it makes them
	// (renameLabels).
	prefix string
	// ignoresReturn is set when the kernel ignores what the program
	// returns (peephole).
	ignoresReturn bool
	// optimised is set when the instructions are code the peephole pass
	// already went over (a dispatcher's sections, each finished on its
	// own): finish does not go over them again.
	optimised bool
}

// emit appends instructions, attaching pending labels and source.
func (e *emitter) emit(ins ...asm.Instruction) {
	for _, in := range ins {
		if len(e.pending) > 0 {
			in = in.WithSymbol(e.pending[0])
			for _, l := range e.pending[1:] {
				e.alias[l] = e.pending[0]
			}
			e.pending = e.pending[:0]
		}
		if e.source != nil {
			in = in.WithSource(e.source)
			e.source = nil
		}
		e.insns = append(e.insns, in)
	}
}

// newLabel returns a fresh label name.
func (e *emitter) newLabel(what string) string {
	e.nlabels++
	return fmt.Sprintf("%s%s_%d", e.prefix, what, e.nlabels)
}

// place marks the next instruction with label l.
func (e *emitter) place(l string) { e.pending = append(e.pending, l) }

// setSource attaches the text of n to the next instruction.
func (e *emitter) setSource(src *lang.Source, n lang.Node) {
	src = src.For(n)
	text := src.Snippet(n.Start().Offset, n.End().Offset)
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		text = text[:i] + " ..."
	}
	e.source = &Source{Pos: src.Pos(n.Start().Offset), Text: strings.TrimSpace(text), End: n.End().Offset}
}

// finish resolves label aliases, drops the instructions no path reaches
// (the verifier refuses them; constant conditions leave some behind),
// goes over the code with the peephole pass and shareFrameAddrs, makes
// long the jumps that may not reach their labels (relax.go), and
// returns the instructions.
func (e *emitter) finish() asm.Instructions {
	e.labelFixedJumps()
	for i, in := range e.insns {
		if ref := in.Reference(); ref != "" {
			if to, ok := e.alias[ref]; ok {
				e.insns[i] = in.WithReference(to)
			}
		}
	}
	insns := dropJumpsToNext(reachable(e.insns))
	if !e.optimised {
		insns = shareFrameAddrs(peephole(insns, e.ignoresReturn))
	}
	insns = relax(insns, kernelSize)
	checkJumps(insns, kernelSize)
	return insns
}

// reachable returns the instructions a path from the entry, or from a
// called subprogram's entry, reaches.
func reachable(insns asm.Instructions) asm.Instructions {
	f := flows.Get().(*flow)
	defer flows.Put(f)
	f.resolve(insns)
	return f.dropUnreached(insns)
}

// dropJumpsToNext removes the jumps to the instruction right after them,
// which dead branches and empty blocks leave behind. A removed jump's own
// label moves to where it jumped.
func dropJumpsToNext(insns asm.Instructions) asm.Instructions {
	kept := insns[:0]
	renamed := map[string]string{}
	for i, in := range insns {
		if in.OpCode.Class().IsJump() && in.OpCode.JumpOp() == asm.Ja && i+1 < len(insns) &&
			insns[i+1].Symbol() != "" && insns[i+1].Symbol() == in.Reference() {
			if sym := in.Symbol(); sym != "" {
				renamed[sym] = in.Reference()
			}
			if src := in.Source(); src != nil && insns[i+1].Source() == nil {
				insns[i+1] = insns[i+1].WithSource(src)
			}
			continue
		}
		kept = append(kept, in)
	}
	retarget(kept, renamed)
	return kept
}

// retarget makes the references to labels that were renamed (to a label
// that may itself be renamed) go to their new names.
func retarget(insns asm.Instructions, renamed map[string]string) {
	for i, in := range insns {
		to, ok := renamed[in.Reference()]
		if !ok {
			continue
		}
		for renamed[to] != "" {
			to = renamed[to]
		}
		insns[i] = in.WithReference(to)
	}
}

// labelFixedJumps turns each jump written with a fixed distance (a skip
// over the next instruction) into a jump to a label on its target, so that
// dropping and inserting instructions keeps it landing there.
func (e *emitter) labelFixedJumps() {
	var pos []int64
	for i, in := range e.insns {
		if !isJump(in) || in.Reference() != "" {
			continue
		}
		if pos == nil {
			pos = make([]int64, len(e.insns)+1)
			positions(e.insns, make([]bool, len(e.insns)), rawSize, pos)
		}
		d := int64(in.Offset)
		if isLongJump(in) {
			d, in.Constant = in.Constant, -1
		} else {
			in.Offset = -1
		}
		t, ok := slices.BinarySearch(pos[:len(e.insns)], pos[i]+1+d)
		if !ok {
			internal("jump %d goes to %d, not to an instruction", i, pos[i]+1+d)
		}
		label := e.insns[t].Symbol()
		if label == "" {
			label = e.newLabel("to")
			e.insns[t] = e.insns[t].WithSymbol(label)
		}
		e.insns[i] = in.WithReference(label)
	}
}

package object

import (
	"bytes"
	"fmt"

	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	"github.com/hawktrace/hawk/codegen"
)

// pendingReloc is a relocation whose symbol index is not known yet.
type pendingReloc struct {
	off uint64
	sym func() int
	typ relocType
}

// label is a jump label at a byte offset in a section.
type label struct {
	name string
	off  uint64
}

// encoded is a function's code and what goes with it, offsets relative to
// its section.
type encoded struct {
	code   []byte
	relocs []pendingReloc
	labels []label
	funcs  []funcInfo
	lines  []lineInfo
}

// encode marshals a function's instructions: jumps resolved, map loads and
// function references zeroed or set as clang sets them, with relocations.
func (b *builder) encode(fn *function) (*encoded, error) {
	fail := func(i int, format string, args ...any) error {
		return fmt.Errorf("program %s: instruction %d of function %s: %s", fn.prog.Name, i, fn.name, fmt.Sprintf(format, args...))
	}
	raw := make([]uint64, len(fn.insns)) // offset of each instruction, in instructions
	at := map[string]int{}
	n := uint64(0)
	for i, ins := range fn.insns {
		raw[i] = n
		n += uint64(ins.Width())
		if s := ins.Symbol(); s != "" {
			at[s] = i
		}
	}
	enc := &encoded{}
	var buf bytes.Buffer
	for i, ins := range fn.insns {
		off := fn.off + raw[i]*asm.InstructionSize
		if s := ins.Symbol(); s != "" {
			enc.labels = append(enc.labels, label{s, off})
		}
		if f := btf.FuncMetadata(&ins); f != nil {
			enc.funcs = append(enc.funcs, funcInfo{off, f})
		}
		if src := ins.Source(); src != nil {
			enc.lines = append(enc.lines, sourceLine(off, src))
		}
		if btf.CORERelocationMetadata(&ins) != nil {
			return nil, fail(i, "CO-RE relocations are not supported")
		}
		if ins.Map() != nil {
			return nil, fail(i, "refers to a loaded map")
		}
		ref := ins.Reference()
		switch {
		case codegen.Kfunc(&ins) != "":
			// As clang emits a call of an extern function.
			ins.Constant = -1
			enc.relocs = append(enc.relocs, pendingReloc{off, b.kfuncs[codegen.Kfunc(&ins)], rBPF64_32})
		case ins.IsFunctionReference():
			target := b.entries[fn.prog][ref]
			if target == nil {
				return nil, fail(i, "no function %s", ref)
			}
			typ := rBPF64_64
			ins.Constant = int64(target.off) // the address's byte offset
			if ins.IsFunctionCall() {
				typ = rBPF64_32
				ins.Constant = int64(target.off/asm.InstructionSize) - 1 // the call's target minus one
			}
			enc.relocs = append(enc.relocs, pendingReloc{off, b.textSym, typ})
		case ins.IsLoadFromMap():
			mp := b.maps[ref]
			if mp == nil {
				return nil, fail(i, "loads map %q, which is not in the collection", ref)
			}
			if ins.Src == asm.PseudoMapValue {
				ins.Constant = int64(uint32(ins.Constant >> 32)) // the offset in the value
			} else {
				ins.Constant = 0
			}
			ins.Src = asm.R0
			enc.relocs = append(enc.relocs, pendingReloc{off, mp.sym, rBPF64_64})
		case ins.OpCode.Class().IsJump() && ref != "":
			if op := ins.OpCode.JumpOp(); op == asm.Call || op == asm.Exit {
				return nil, fail(i, "unsupported reference to %s", ref)
			}
			t, ok := at[ref]
			if !ok {
				return nil, fail(i, "jumps to %s, which is not in the same function", ref)
			}
			delta := int64(raw[t]) - int64(raw[i]) - 1
			if isLongJump(ins) {
				if ins.Constant == -1 {
					ins.Constant = delta
				}
			} else if ins.Offset == -1 {
				if delta < -1<<15 || delta >= 1<<15 {
					return nil, fail(i, "jump to %s is too far", ref)
				}
				ins.Offset = int16(delta)
			}
		case ref != "":
			return nil, fail(i, "unsupported reference to %s", ref)
		}
		if _, err := ins.Marshal(&buf, le); err != nil {
			return nil, fail(i, "%v", err)
		}
	}
	enc.code = buf.Bytes()
	return enc, nil
}

// sourceLine turns an instruction's source into line info: file, line and
// column of a codegen.Source, only the text of anything else.
func sourceLine(off uint64, src fmt.Stringer) lineInfo {
	s, ok := src.(*codegen.Source)
	if !ok {
		return lineInfo{off: off, line: src.String()}
	}
	clamp := func(v, hi int) uint32 { return uint32(min(max(v, 0), hi)) }
	return lineInfo{off: off, file: s.Pos.Filename, line: s.Text, lineNo: clamp(s.Pos.Line, maxLine), col: clamp(s.Pos.Column, maxCol)}
}

// isLongJump reports whether ins is gotol, the jump whose distance is in
// its constant rather than its offset.
func isLongJump(ins asm.Instruction) bool {
	return ins.OpCode.Class() == asm.Jump32Class && ins.OpCode.JumpOp() == asm.Ja
}

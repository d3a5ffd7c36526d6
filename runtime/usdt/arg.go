package usdt

import "fmt"

// ArgKind says where an argument's value is.
type ArgKind int

const (
	// ArgConst is a constant: Arg.Const.
	ArgConst ArgKind = iota
	// ArgReg is in a register: Arg.Reg.
	ArgReg
	// ArgMem is in memory at Reg + Index*Scale + Offset.
	ArgMem
)

// String returns "const", "reg" or "mem".
func (k ArgKind) String() string {
	switch k {
	case ArgConst:
		return "const"
	case ArgReg:
		return "reg"
	case ArgMem:
		return "mem"
	}
	return fmt.Sprintf("ArgKind(%d)", int(k))
}

// Arg is one probe argument as the SDT note's argument string describes
// it (e.g. "-4@%edi", "8@-16(%rbp)", "-4@$5", "8@(%rax,%rdx,8)").
//
// Its value is Size bytes, sign-extended if Signed, else zero-extended:
//   - ArgConst: Const.
//   - ArgReg: the RegSize bytes at RegOffset in struct pt_regs; if
//     RegSize is smaller than Size, the value is those bytes extended by
//     Signed (so -8@%eax is eax sign-extended), and if larger, their low
//     Size bytes.
//   - ArgMem: Size bytes of user memory at the address Reg + Index*Scale +
//     Offset, where Reg and Index are the 64-bit registers read at
//     RegOffset and IndexOffset in pt_regs, and a missing Reg or Index
//     ("") counts as 0.
//
// Reg "rip" means the probe's own run-time address, which is what a
// uprobe's pt_regs holds in rip when its program runs: an argument in a
// global, written -4@counter(%rip) in the note, becomes Reg "rip" with
// Offset the link-time distance from the probe to counter, so it works
// wherever a PIE or shared library is loaded.
type Arg struct {
	Size   int  // bytes: 1, 2, 4 or 8
	Signed bool // the note gave the size as negative
	Kind   ArgKind
	Const  int64 // ArgConst: the value

	// Reg is, for ArgReg, the register and, for ArgMem, the base
	// register ("" for none): the canonical 64-bit name, "rdi" for %edi,
	// %di or %dil. RegOffset is its byte offset in pt_regs, and RegSize
	// the bytes of the register as written (4 for %edi, 1 for %ah, whose
	// RegOffset is one past rax's).
	Reg       string
	RegOffset int
	RegSize   int

	Offset      int64  // ArgMem: the displacement
	Index       string // ArgMem: the index register, "" if none (canonical 64-bit name)
	IndexOffset int    // ArgMem: the index register's offset in pt_regs
	Scale       int    // ArgMem: the index's scale, 1, 2, 4 or 8 (1 if no index)
}

// String returns the argument in the note's syntax: "-4@%edi" and
// "8@-16(%rbp)" print as themselves, but a symbol prints resolved, so
// "-4@counter(%rip)" becomes "-4@DISTANCE(%rip)".
func (a Arg) String() string {
	size := a.Size
	if a.Signed {
		size = -size
	}
	switch a.Kind {
	case ArgConst:
		return fmt.Sprintf("%d@$%d", size, a.Const)
	case ArgReg:
		return fmt.Sprintf("%d@%%%s", size, regName(a.Reg, a.RegOffset, a.RegSize))
	}
	s := fmt.Sprintf("%d@", size)
	if a.Offset != 0 || a.Reg == "" && a.Index == "" {
		s += fmt.Sprint(a.Offset)
	}
	if a.Reg == "" && a.Index == "" {
		return s
	}
	s += "("
	if a.Reg != "" {
		s += "%" + a.Reg
	}
	if a.Index != "" {
		s += fmt.Sprintf(",%%%s,%d", a.Index, a.Scale)
	}
	return s + ")"
}

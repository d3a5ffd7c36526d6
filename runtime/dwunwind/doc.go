// Package dwunwind compiles the call frame information (CFI) of x86-64
// ELF files, their .eh_frame and .debug_frame sections, into the compact
// rows that hawk's BPF unwinder of dw_ustack reads.
//
// A binary's CFI says, for every instruction address, how to find the
// caller's frame: the canonical frame address (CFA) is a register (rsp or
// rbp) plus an offset, the return address is saved at CFA-8, and rbp is
// saved at CFA+N or left as it is. The BPF side needs no DWARF: each row
// holds one address range's rule in 16 bytes, sorted by file offset, and
// anything the rows cannot express (a register other than rsp or rbp, an
// expression other than the PLT's) is a row that stops the walk.
//
// The package reads the files with debug/elf and interprets the CFA
// instructions itself: delve's pkg/dwarf/frame, made for this, answers
// one address at a time (EstablishFrame) and does not give the ranges a
// table needs.
package dwunwind

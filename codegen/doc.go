// Package codegen turns a checked hawk program into eBPF: a
// *ebpf.CollectionSpec built with cilium/ebpf/asm, and a Manifest holding
// what the runtime needs to attach the programs and decode what they send
// (maps and their layouts, printf formats, event layouts).
//
// Code generation is deterministic and never touches the kernel.
//
// # Value model
//
// Scalars (integers, bools, pointers) live in registers, normalised to 64
// bits (zero- or sign-extended from their type's size). An expression is
// evaluated into a register the caller chooses. R0-R5 are volatile: a
// helper call clobbers them, so while an expression that calls helpers is
// evaluated, every live value sits in R6-R9 or in a stack slot. The context
// pointer, when a probe needs it, is kept in R6 for the whole program.
//
// Each level of a nested expression holds a register while its operand is
// evaluated: the destination it has not written yet, or its left operand.
// When an operand's evaluation starts with fewer than two scratch
// registers free, the scratch registers held around it are released for
// it and taken back after (releasingRegs): those that hold values wait in
// stack slots, the others hold nothing yet. Callee-saved registers spill
// where they are taken (a ring buffer record's address, a map value's, a
// left operand kept across helper calls). So expressions nest as deep as
// the stack allows, and its limit is an error at the probe.
//
// Aggregates (strings, map keys, event records) live in memory: on the
// 512-byte stack when small, otherwise in a per-CPU scratch map (one entry
// per program), or directly in a ring buffer reservation. A string is
// evaluated into a destination area, so str() reads straight into the
// record that user space will receive.
package codegen

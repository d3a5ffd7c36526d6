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
// Aggregates (strings, map keys, event records) live in memory: on the
// 512-byte stack when small, otherwise in a per-CPU scratch map (one entry
// per program), or directly in a ring buffer reservation. A string is
// evaluated into a destination area, so str() reads straight into the
// record that user space will receive.
package codegen

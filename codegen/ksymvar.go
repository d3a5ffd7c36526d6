package codegen

import (
	"github.com/cilium/ebpf/asm"
)

// pseudoBTFID is BPF_PSEUDO_BTF_ID: a 64-bit load of a kernel variable's
// address, named by its BTF id.
const pseudoBTFID = asm.R3

// ksymVarKey is the metadata key of a load of a kernel variable: its
// value is the variable's name.
type ksymVarKey struct{}

// KsymVar returns the name of the kernel variable ins loads the address
// of, or "". Such a load holds no BTF id yet: the loader puts there the
// id of the variable in the kernel's BTF.
func KsymVar(ins *asm.Instruction) string {
	name, _ := ins.Metadata.Get(ksymVarKey{}).(string)
	return name
}

// KsymVarLoad loads into dst the address of the kernel variable name
// (for a per-CPU variable, what bpf_per_cpu_ptr takes).
func KsymVarLoad(dst asm.Register, name string) asm.Instruction {
	ins := asm.LoadImm(dst, 0, asm.DWord)
	ins.Src = pseudoBTFID
	ins.Metadata.Set(ksymVarKey{}, name)
	return ins
}

package runtime

import (
	"fmt"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/runtime/kernel"
)

// btfRef is a kind of instruction that refers to the kernel's BTF by name.
type btfRef struct {
	name func(*asm.Instruction) string                 // "" for other instructions
	id   func(*kernel.Env, string) (btf.TypeID, error) // the name's id
	verb string                                        // what the program does with it
}

// btfRefs are the references resolveBTFRefs fills in: calls of kernel
// functions (kfuncs, comm(pid)'s) and loads of kernel variables'
// addresses (percpu_kaddr).
var btfRefs = []btfRef{
	{codegen.Kfunc, (*kernel.Env).KfuncID, "calls"},
	{codegen.KsymVar, (*kernel.Env).PercpuVarID, "reads"},
}

// resolveBTFRefs puts in each instruction that names a kernel function or
// variable that one's id in the kernel's BTF, which the kernel needs to
// load it. It reads the kernel's BTF, from cache, only when a program
// refers to something in it.
func resolveBTFRefs(spec *ebpf.CollectionSpec, cache *btf.Cache) error {
	env := &kernel.Env{BTF: cache}
	for _, p := range spec.Programs {
		for i := range p.Instructions {
			ins := &p.Instructions[i]
			for _, r := range btfRefs {
				name := r.name(ins)
				if name == "" {
					continue
				}
				id, err := r.id(env, name)
				if err != nil {
					return fmt.Errorf("program %s %s %s: %w", p.Name, r.verb, name, err)
				}
				ins.Constant = int64(id)
			}
		}
	}
	return nil
}

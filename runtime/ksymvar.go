package runtime

import (
	"fmt"

	"github.com/cilium/ebpf"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/runtime/kernel"
)

// resolveKsymVars puts in each load of a kernel variable's address
// (percpu_kaddr) the variable's id in the kernel's BTF.
func resolveKsymVars(spec *ebpf.CollectionSpec) error {
	for _, p := range spec.Programs {
		for i := range p.Instructions {
			ins := &p.Instructions[i]
			name := codegen.KsymVar(ins)
			if name == "" {
				continue
			}
			kfuncEnvOnce.Do(func() { kfuncEnv = &kernel.Env{} })
			id, err := kfuncEnv.PercpuVarID(name)
			if err != nil {
				return fmt.Errorf("program %s reads %s: %w", p.Name, name, err)
			}
			ins.Constant = int64(id)
		}
	}
	return nil
}

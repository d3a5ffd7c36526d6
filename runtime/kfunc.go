package runtime

import (
	"fmt"
	"sync"

	"github.com/cilium/ebpf"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/runtime/kernel"
)

var (
	kfuncEnvOnce sync.Once
	kfuncEnv     *kernel.Env
)

// resolveKfuncs puts in each call of a kernel function the function's id
// in the kernel's BTF, which the kernel needs to load the call. The BTF
// is read only when a program calls one.
func resolveKfuncs(spec *ebpf.CollectionSpec) error {
	for _, p := range spec.Programs {
		for i := range p.Instructions {
			ins := &p.Instructions[i]
			name := codegen.Kfunc(ins)
			if name == "" {
				continue
			}
			kfuncEnvOnce.Do(func() { kfuncEnv = &kernel.Env{} })
			id, err := kfuncEnv.KfuncID(name)
			if err != nil {
				return fmt.Errorf("program %s calls %s: %w", p.Name, name, err)
			}
			ins.Constant = int64(id)
		}
	}
	return nil
}

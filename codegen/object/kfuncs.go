package object

import (
	"debug/elf"
	"fmt"
	"maps"
	"slices"

	"github.com/cilium/ebpf/btf"

	"github.com/hawktrace/hawk/codegen"
)

// ksymsSection declares the kernel functions the programs call as clang
// declares an `extern ... __ksym` function: an undefined global symbol,
// which each call is relocated against, and an extern BTF function in
// the virtual .ksyms Datasec. Loaders (cilium/ebpf's, libbpf) resolve the
// calls against the kernel's BTF, checking the prototypes.
func (b *builder) ksymsSection(progs []string) error {
	names := map[string]bool{}
	for _, p := range progs {
		for i := range b.spec.Programs[p].Instructions {
			if name := codegen.Kfunc(&b.spec.Programs[p].Instructions[i]); name != "" {
				names[name] = true
			}
		}
	}
	if len(names) == 0 {
		return nil
	}
	ds := &btf.Datasec{Name: ".ksyms"}
	b.kfuncs = map[string]func() int{}
	for _, name := range slices.Sorted(maps.Keys(names)) {
		proto := codegen.KfuncProto(name)
		if proto == nil {
			return fmt.Errorf("no prototype for the kernel function %s", name)
		}
		b.kfuncs[name] = b.elf.symbol(symbol{name: name, typ: elf.STT_NOTYPE, bind: elf.STB_GLOBAL, shndx: int(elf.SHN_UNDEF)})
		ds.Vars = append(ds.Vars, btf.VarSecinfo{Type: &btf.Func{Name: name, Type: proto, Linkage: btf.ExternFunc}})
	}
	if _, err := b.btf.Add(ds); err != nil {
		return fmt.Errorf("BTF of the kernel functions: %w", err)
	}
	return nil
}

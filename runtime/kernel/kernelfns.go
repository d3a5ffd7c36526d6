package kernel

import (
	"encoding/binary"
	"fmt"

	"github.com/cilium/ebpf/btf"
	"golang.org/x/sys/unix"
)

// percpuSection is the BTF data section of the kernel's per-CPU variables.
const percpuSection = ".data..percpu"

// PercpuVar implements lang.Env: the kernel's BTF must declare name as a
// variable of its per-CPU section, and /proc/kallsyms list it, where the
// kernel looks up the address of a variable a program loads (a kernel
// built without CONFIG_KALLSYMS_ALL lists no variables).
func (e *Env) PercpuVar(name string) error {
	if _, err := e.PercpuVarID(name); err != nil {
		return err
	}
	if _, err := e.KernelSymbol(name); err != nil {
		return fmt.Errorf("%w, where the kernel finds the variable for programs (CONFIG_KALLSYMS_ALL)", err)
	}
	return nil
}

// PercpuVarID returns the vmlinux BTF id of the per-CPU variable name,
// which a program loads (BPF_PSEUDO_BTF_ID) to find it on a CPU.
func (e *Env) PercpuVarID(name string) (btf.TypeID, error) {
	spec, err := e.btf()
	if err != nil {
		return 0, err
	}
	var sec *btf.Datasec
	if err := spec.TypeByName(percpuSection, &sec); err != nil {
		return 0, fmt.Errorf("the kernel's BTF has no per-CPU variables: %w", err)
	}
	for _, v := range sec.Vars {
		if vr, ok := v.Type.(*btf.Var); ok && vr.Name == name {
			return spec.TypeID(vr)
		}
	}
	return 0, fmt.Errorf("the kernel's BTF has no per-CPU variable %s", name)
}

// CgroupID implements lang.Env: the id of the cgroup v2 directory at
// path, which is what name_to_handle_at gives as its file handle.
func (e *Env) CgroupID(path string) (uint64, error) {
	return CgroupID(path)
}

// CgroupID returns the id of the cgroup v2 directory at path.
func CgroupID(path string) (uint64, error) {
	h, _, err := unix.NameToHandleAt(unix.AT_FDCWD, path, 0)
	if err != nil {
		return 0, fmt.Errorf("reading the cgroup id of %s: %w", path, err)
	}
	b := h.Bytes()
	if len(b) != 8 {
		return 0, fmt.Errorf("%s is not a cgroup v2 directory", path)
	}
	return binary.NativeEndian.Uint64(b), nil
}

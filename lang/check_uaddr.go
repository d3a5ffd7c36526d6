package lang

// Kernel functions (kfuncs) uaddr() calls to walk the current process's
// memory mappings (Linux 6.7 and later): an open-coded iterator over its
// vm_area_structs.
const (
	KfuncIterTaskVMANew     = "bpf_iter_task_vma_new"
	KfuncIterTaskVMANext    = "bpf_iter_task_vma_next"
	KfuncIterTaskVMADestroy = "bpf_iter_task_vma_destroy"
)

// UaddrBase is how a uaddr() of a relocated binary finds its address
// when the probe fires, as bpftrace's uaddr macro does: the lowest
// mapping (vm_start) of the current process whose file's inode is Inode,
// plus Addr. The offsets are of the kernel's structs, from BTF.
type UaddrBase struct {
	Addr  uint64 // the symbol's address in the binary
	Inode uint64 // the binary's inode number
	// VMStart and VMFile are the offsets of vm_start and vm_file in struct
	// vm_area_struct, FInode of f_inode in struct file, IIno of i_ino in
	// struct inode.
	VMStart, VMFile, FInode, IIno int
}

// uaddrValue records uaddr(sym)'s value, sym being at addr in binary: a
// constant in an executable linked at fixed addresses; in a PIE or shared
// library, the address where the process that fires the probe maps it,
// found by walking its mappings (UaddrBase). It reports whether it could.
func (c *checker) uaddrValue(call *Call, binary string, addr uint64) bool {
	file, err := c.env.BinaryFile(binary)
	if err != nil {
		c.errorf(call, "uaddr(): %v", err)
		return false
	}
	if !file.Relocated {
		c.constant(call, Const{Int: addr})
		return true
	}
	base := UaddrBase{Addr: addr, Inode: file.Inode}
	for _, f := range []struct {
		strct, field string
		off          *int
	}{
		{"struct vm_area_struct", "vm_start", &base.VMStart},
		{"struct vm_area_struct", "vm_file", &base.VMFile},
		{"struct file", "f_inode", &base.FInode},
		{"struct inode", "i_ino", &base.IIno},
	} {
		off, ok := c.kernelFieldOffset(f.strct, f.field)
		if !ok {
			c.errorf(call, "uaddr() in %s, which is relocated (a PIE or shared library), needs the kernel's BTF for %s.%s", binary, f.strct, f.field)
			return false
		}
		*f.off = off
	}
	for _, k := range c.points.kinds {
		for _, fn := range []string{KfuncIterTaskVMANew, KfuncIterTaskVMANext, KfuncIterTaskVMADestroy} {
			if err := c.env.KfuncAllowed(fn, k); err != nil {
				c.errorf(call, "uaddr() in %s, which is relocated (a PIE or shared library), walks the process's mappings: %v", binary, err)
				return false
			}
		}
	}
	if c.info.UaddrBases == nil {
		c.info.UaddrBases = map[*Call]UaddrBase{}
	}
	c.info.UaddrBases[call] = base
	return true
}

// kernelFieldOffset finds a member of a kernel struct by name, through
// anonymous structs and unions.
func (c *checker) kernelFieldOffset(strct, field string) (int, bool) {
	t, err := c.env.KernelType(strct)
	if err != nil {
		return 0, false
	}
	return c.anyFieldOffset(t, field, 0)
}

func (c *checker) anyFieldOffset(t *Type, name string, depth int) (int, bool) {
	if depth > 8 {
		return 0, false
	}
	fields := c.fieldsOf(t)
	for _, f := range fields {
		if f.Name == name {
			return f.Offset, true
		}
	}
	for _, f := range fields {
		if f.Name == "" && f.Type.Kind == KindStruct {
			if off, ok := c.anyFieldOffset(f.Type, name, depth+1); ok {
				return f.Offset + off, true
			}
		}
	}
	return 0, false
}

package lang

// DwOffsets are the offsets dw_ustack's unwinder reads in the kernel's
// structs, from BTF: where a code address's mapping starts, at which page
// of which file (inode number and device).
type DwOffsets struct {
	VmStart, VmPgoff, VmFile int // struct vm_area_struct
	FInode                   int // struct file
	IIno, ISb                int // struct inode
	SDev                     int // struct super_block
	// Uretprobes says the kernel has uprobes, whose pending uretprobes
	// replace return addresses on the stack: where the original ones are
	// (task_struct.utask->return_instances, a list of struct
	// return_instance with the stack slot and the address).
	Uretprobes                 bool
	Utask, ReturnInstances     int
	RiStack, RiOrigRet, RiNext int
}

// dwUstackUnstable is the warning of unstable_dw_ustack=warn, and the
// error of unstable_dw_ustack=error, as bpftrace words them.
const (
	dwUstackUnstable = "Script is using an unstable feature: dw_ustack (DWARF stack unwinding). " +
		"To prevent this warning you must explicitly enable it in the config e.g. unstable_dw_ustack=enable"
	dwUstackRefused = "dw_ustack (DWARF stack unwinding) feature is not enabled by default. " +
		"To enable this unstable feature, set the config flag to enable. unstable_dw_ustack=enable"
)

// dwUstack checks dw_ustack, whose type t is ustack's: the user stack
// unwound with the binaries' call frame information, which hawk reads at
// start for the processes the run names (a command -c runs is one), so
// it needs one. It is unstable
// in bpftrace: a warning, or an error under unstable_dw_ustack=error.
func (c *checker) dwUstack(n Node, t *Type) *Type {
	switch c.settings.UnstableDwUstack {
	case "error":
		c.errorf(n, "%s", dwUstackRefused)
		return Invalid
	case "warn":
		c.warnOnce(n, dwUstackUnstable)
	}
	if t.Args[1] == StackModeBuildID {
		// stack_mode = build_id: the frames are addresses.
		if c.report {
			c.diags.Add(c.src.For(n), n, "'build_id' stack mode is not one dw_ustack prints: it falls back to bpftrace").Severity = Warning
		}
		t = UserStackType(t.Args[0], StackModeIndex("bpftrace"))
	}
	if !c.cfg.UnwindTargets && !c.cfg.Child {
		c.errorf(n, "dw_ustack requires a target process. Use -p, -c, or --dwarf-pid to specify one.")
		return Invalid
	}
	if c.info.DwOffsets == nil {
		off, ok := c.dwOffsets()
		if !ok {
			c.errorf(n, "dw_ustack needs the kernel's BTF (/sys/kernel/btf/vmlinux) for struct vm_area_struct, file, inode and super_block")
			return Invalid
		}
		c.info.DwOffsets = off
	}
	return t
}

// warnOnce adds a warning at n unless the same one was given already.
func (c *checker) warnOnce(n Node, msg string) {
	if !c.report {
		return
	}
	for _, d := range c.diags {
		if d.Msg == msg {
			return
		}
	}
	c.diags.Add(c.src, n, "%s", msg).Severity = Warning
}

// dwOffsets finds the members the unwinder reads in the kernel's BTF.
func (c *checker) dwOffsets() (*DwOffsets, bool) {
	if c.env == nil {
		return nil, false
	}
	ok := true
	field := func(strct, name string) int {
		t, err := c.env.KernelType(strct)
		if err != nil {
			ok = false
			return 0
		}
		f, found := c.findField(t, name)
		if !found {
			ok = false
			return 0
		}
		return f.Offset
	}
	off := &DwOffsets{
		VmStart: field("struct vm_area_struct", "vm_start"),
		VmPgoff: field("struct vm_area_struct", "vm_pgoff"),
		VmFile:  field("struct vm_area_struct", "vm_file"),
		FInode:  field("struct file", "f_inode"),
		IIno:    field("struct inode", "i_ino"),
		ISb:     field("struct inode", "i_sb"),
		SDev:    field("struct super_block", "s_dev"),
	}
	if !ok {
		return nil, false
	}
	// A kernel without uprobes has none of these: frames end at a
	// uretprobe's trampoline, which it cannot have.
	off.Utask = field("struct task_struct", "utask")
	off.ReturnInstances = field("struct uprobe_task", "return_instances")
	off.RiStack = field("struct return_instance", "stack")
	off.RiOrigRet = field("struct return_instance", "orig_ret_vaddr")
	off.RiNext = field("struct return_instance", "next")
	off.Uretprobes = ok
	return off, true
}

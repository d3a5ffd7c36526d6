package lang

// commOf checks comm(pid): the name of the process with that pid, read
// through the kernel's bpf_task_from_pid kfunc (KfuncTaskFromPid). comm()
// with no argument is the builtin. Programs of some types may not call
// kfuncs: the kernel says which (Env.KfuncAllowed).
func (c *checker) commOf(call *Call) *Type {
	if len(call.Args) == 0 {
		delete(c.info.Funcs, call)
		return c.builtinCall(call, BuiltinComm)
	}
	t := c.expr(call.Args[0])
	if t.IsInvalid() {
		return Invalid
	}
	if !t.IsInteger() {
		c.errorf(call.Args[0], "comm takes a pid, an integer, not %s", t)
		return Invalid
	}
	if !c.pointsKnown() {
		return Invalid
	}
	task := c.taskPointer()
	if task.Kind != KindPointer || c.env == nil {
		c.errorf(call, "comm(pid) needs the kernel's BTF (/sys/kernel/btf/vmlinux) for struct task_struct")
		return Invalid
	}
	off := -1
	if fields, err := c.env.StructFields(task.Elem); err == nil {
		for _, f := range fields {
			if f.Name == "comm" {
				off = f.Offset
			}
		}
	}
	if off < 0 {
		c.errorf(call, "comm(pid) needs the comm field of the kernel's struct task_struct")
		return Invalid
	}
	for _, k := range c.points.kinds {
		if err := c.env.KfuncAllowed(KfuncTaskFromPid, k); err != nil {
			c.errorf(call, "comm(pid) is not supported in %s probes: %v", k, err).Hint =
				"read it in a tracepoint, tracepoint:syscalls, interval, profile, iter or tp_btf probe"
			return Invalid
		}
	}
	c.info.CommOffsets[call] = off
	return StringType(16)
}

// Kernel functions (kfuncs) the programs call.
const (
	// KfuncTaskFromPid takes a reference to the task of a pid, or NULL.
	KfuncTaskFromPid = "bpf_task_from_pid"
	// KfuncTaskRelease drops a reference bpf_task_from_pid took.
	KfuncTaskRelease = "bpf_task_release"
)

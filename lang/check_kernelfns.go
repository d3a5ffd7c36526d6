package lang

// The functions that reach into the kernel: they write user memory, send
// signals, change a kprobed function's return value, take a kernel
// object's cookie or packet, find a per-CPU variable or name a cgroup.

// btfObjectKinds are the probe kinds whose programs the kernel gives typed
// kernel objects (BTF pointers), as socket_cookie and skboutput need.
var btfObjectKinds = []ProbeKind{ProbeFentry, ProbeFexit, ProbeRawtracepoint, ProbeIter}

// checkWriteUser checks write_user(dst, src, len): len bytes of a value
// the program holds (a string, an array, a tuple, a record or a struct)
// written to user memory at dst. It needs --unsafe.
func (c *checker) checkWriteUser(call *Call) *Type {
	c.needUnsafe(call)
	dst, src, n := c.expr(call.Args[0]), c.expr(call.Args[1]), c.expr(call.Args[2])
	if dst.IsInvalid() || src.IsInvalid() || n.IsInvalid() {
		return Bool
	}
	if !dst.IsInteger() {
		c.errorf(call.Args[0], "write_user() writes to a user address, not %s", dst)
	}
	switch src.Kind {
	case KindString, KindArray, KindTuple, KindRecord, KindStruct:
	default:
		c.errorf(call.Args[1], "write_user() writes a value the program holds (a string, array, tuple, record or struct), not %s", src)
		return Bool
	}
	if !n.IsInteger() {
		c.errorf(call.Args[2], "write_user()'s length must be an integer, not %s", n)
		return Bool
	}
	if k, ok := c.info.Consts[call.Args[2]]; ok && !k.IsStr && (int64(k.Int) < 0 || k.Int > uint64(src.StoredSize())) {
		c.errorf(call.Args[2], "write_user() cannot write %d bytes of a %d-byte %s", int64(k.Int), src.StoredSize(), src)
	}
	return Bool
}

// checkOverride checks override(rc): the kprobed function returns rc
// instead of running. It needs --unsafe, and a kernel built with
// CONFIG_BPF_KPROBE_OVERRIDE, whose verifier otherwise refuses it.
func (c *checker) checkOverride(call *Call) *Type {
	if !c.probeKindsIn([]ProbeKind{ProbeKprobe}) {
		c.errorf(call, "override() can only be used inside kprobes")
		return Void
	}
	c.needUnsafe(call)
	if t := c.expr(call.Args[0]); !t.IsInvalid() && !t.IsInteger() {
		c.errorf(call.Args[0], "override() takes an integer return value, not %s", t)
	}
	return Void
}

// checkUnwatch checks unwatch(addr): hawk removes the watchpoints on addr.
func (c *checker) checkUnwatch(call *Call) *Type {
	if t := c.expr(call.Args[0]); !t.IsInvalid() && !t.IsInteger() {
		c.errorf(call.Args[0], "unwatch() takes the address a watchpoint watches, not %s", t)
	}
	return Void
}

// btfObjectArg checks the kernel object a function passes to a helper that
// takes one: a pointer in a probe whose program the kernel types. A raw
// tracepoint probe then compiles to a BTF raw tracepoint program.
func (c *checker) btfObjectArg(call *Call, arg Expr, what string) bool {
	t := c.expr(arg)
	if t.IsInvalid() {
		return false
	}
	if !t.IsInteger() {
		c.errorf(arg, "%s() takes %s, not %s", call.Name, what, t)
		return false
	}
	if !c.probeKindsIn(btfObjectKinds) {
		c.errorf(call, "%s() is not available in %s probes", call.Name, c.probeKindNames(btfObjectKinds)).Hint =
			"the kernel passes kernel objects to it from fentry, fexit, rawtracepoint and iter probes only"
		return false
	}
	if hasKind(c.points.kinds, ProbeRawtracepoint) {
		if c.info.BTFRaw == nil {
			c.info.BTFRaw = map[*Probe]bool{}
		}
		c.info.BTFRaw[c.probe] = true
	}
	return true
}

// checkSocketCookie checks socket_cookie(sk): the kernel's cookie of a
// socket (bpf_get_socket_cookie).
func (c *checker) checkSocketCookie(call *Call) *Type {
	c.btfObjectArg(call, call.Args[0], "a struct sock *")
	return Uint64
}

// checkSkboutput checks skboutput(path, skb, len, offset): len bytes of
// the packet's data go to user space (bpf_skb_output), which writes them
// from offset on to the pcap file path.
func (c *checker) checkSkboutput(call *Call) *Type {
	c.literalArg(call, 0)
	c.btfObjectArg(call, call.Args[1], "a struct sk_buff *")
	if t := c.expr(call.Args[2]); !t.IsInvalid() && !t.IsInteger() {
		c.errorf(call.Args[2], "skboutput()'s length must be an integer, not %s", t)
	}
	if t := c.expr(call.Args[3]); !t.IsInvalid() {
		k, ok := c.info.Consts[call.Args[3]]
		if !t.IsInteger() || !ok || k.IsStr || int64(k.Int) < 0 {
			c.errorf(call.Args[3], "skboutput()'s offset must be a constant, non-negative integer")
		}
	}
	return Uint32
}

// checkPercpuKaddr checks percpu_kaddr("name" [, cpu]): the address of a
// per-CPU kernel variable on a CPU, or on the current one. The kernel
// finds it by its BTF.
func (c *checker) checkPercpuKaddr(call *Call) *Type {
	name, ok := c.literalArg(call, 0)
	if len(call.Args) == 2 {
		if t := c.expr(call.Args[1]); !t.IsInvalid() && !t.IsInteger() {
			c.errorf(call.Args[1], "percpu_kaddr()'s cpu must be an integer, not %s", t)
		}
	}
	if ok && c.env != nil {
		if err := c.env.PercpuVar(name); err != nil {
			c.errorf(call.Args[0], "percpu_kaddr(%q): %v", name, err)
		}
	}
	return PointerType(Uint64, SpaceKernel)
}

// checkCgroupPath checks cgroup_path(id [, "filter"]): user space prints
// the id as the paths of the cgroup in each hierarchy whose name the
// filter matches ("unified" for cgroup v2).
func (c *checker) checkCgroupPath(call *Call) *Type {
	if t := c.expr(call.Args[0]); !t.IsInvalid() && !t.IsInteger() {
		c.errorf(call.Args[0], "cgroup_path() takes a cgroup id, not %s", t)
		return Invalid
	}
	filter := "*"
	if len(call.Args) == 2 {
		f, ok := c.literalArg(call, 1)
		if !ok {
			return Invalid
		}
		filter = f
	}
	return &Type{Kind: KindCgroup, Size: 8, Name: filter}
}

// checkCgroupid checks cgroupid("path"), the id of the cgroup at path,
// read at compile time.
func (c *checker) checkCgroupid(call *Call) *Type {
	path, ok := c.literalArg(call, 0)
	if !ok || c.env == nil {
		return Uint64
	}
	id, err := c.env.CgroupID(path)
	if err != nil {
		c.errorf(call.Args[0], "cgroupid(%q): %v", path, err)
		return Uint64
	}
	c.constant(call, Const{Int: id})
	return Uint64
}

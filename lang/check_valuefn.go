package lang

import "slices"

// The value functions of bpftrace's standard library: names of numbers
// (strerror, signal_name, syscall_name), the task's relatives (pcomm,
// leader_comm, leader_tid), numaid and has_cpid.

// NameSize is the size of the strings strerror, signal_name and
// syscall_name return, as in bpftrace.
const NameSize = 64

// checkNameTable checks strerror(n), signal_name(n) and syscall_name(n):
// the name of a number, an int, read in the program from a table.
func (c *checker) checkNameTable(call *Call) *Type {
	t := c.expr(call.Args[0])
	if t.IsInvalid() {
		return Invalid
	}
	if !t.IsInteger() {
		c.errorf(call.Args[0], "%s() takes an integer, not %s", call.Name, t)
		return Invalid
	}
	return StringType(NameSize)
}

// relativeFields are the task_struct fields pcomm, leader_comm and
// leader_tid read: the relative's pointer, then its member.
var relativeFields = map[Builtin][2]string{
	BuiltinPcomm:      {"real_parent", "comm"},
	BuiltinLeaderComm: {"group_leader", "comm"},
	BuiltinLeaderTid:  {"group_leader", "pid"},
}

// relative checks pcomm, leader_comm and leader_tid of curtask.
func (c *checker) relative(id *Ident, b Builtin) *Type {
	if t := c.taskPointer(); t.Kind != KindPointer {
		c.errorf(id, "%s needs the kernel's BTF (/sys/kernel/btf/vmlinux) for struct task_struct", id.Name)
		return Invalid
	}
	at := Span{id.Pos, id.EndPos}
	return c.relativeOf(id, b, &Ident{Span: at, Name: "curtask"}, at)
}

// relativeCall checks pcomm(task), leader_comm(task) and leader_tid(task).
func (c *checker) relativeCall(call *Call, b Builtin) *Type {
	if len(call.Args) > 1 {
		c.extraArgs(call, 1, "%s takes at most 1 argument, a struct task_struct *", call.Name)
		return Invalid
	}
	task := call.Args[0]
	t := c.expr(task)
	if t.IsInvalid() {
		return Invalid
	}
	if t.Kind != KindPointer || t.Elem.Kind != KindStruct || t.Elem.Name != "task_struct" {
		c.errorf(task, "%s takes a struct task_struct *, not %s", call.Name, t)
		return Invalid
	}
	return c.relativeOf(call, b, task, Span{call.Pos, call.EndPos})
}

// relativeOf rewrites n to task->real_parent->comm (pcomm),
// task->group_leader->comm (leader_comm) or task->group_leader->pid
// (leader_tid), at span at.
func (c *checker) relativeOf(n Expr, b Builtin, task Expr, at Span) *Type {
	f := relativeFields[b]
	rel := &FieldExpr{Span: at, X: task, Field: f[0], FieldPos: at.Pos, Arrow: true}
	x := &FieldExpr{Span: at, X: rel, Field: f[1], FieldPos: at.Pos, Arrow: true}
	t := c.expr(x)
	if t.IsInvalid() {
		return Invalid
	}
	c.info.Rewrites[n] = x
	return t
}

// hasCpid checks has_cpid: whether hawk runs a command (-c). It is known
// before the program is made.
func (c *checker) hasCpid(id *Ident) *Type {
	v := uint64(0)
	if c.cfg.Child {
		v = 1
	}
	c.constant(id, Const{Int: v})
	return Bool
}

// macaddrType is what macaddr() returns: six bytes, printed as a MAC
// address.
var macaddrType = &Type{Kind: KindMacaddr, Size: MacaddrSize}

// MacaddrSize is the size of a MAC address.
const MacaddrSize = 6

// checkMacaddr checks macaddr(mac): the first six bytes of an array or
// string (a char array of a struct), or of the memory a pointer or an
// address points to.
func (c *checker) checkMacaddr(call *Call) *Type {
	arg := call.Args[0]
	t := c.expr(arg)
	if t.IsInvalid() {
		return Invalid
	}
	if _, ok := arg.(*StrLit); ok {
		c.errorf(arg, "macaddr() takes the bytes of an address, not a string literal")
		return Invalid
	}
	switch t.Kind {
	case KindInt, KindPointer:
	case KindArray, KindString:
		if t.Size < MacaddrSize {
			c.errorf(arg, "macaddr() takes at least %d bytes, not %s", MacaddrSize, t)
			return Invalid
		}
	default:
		c.errorf(arg, "macaddr() takes an array or a pointer, not %s", t)
		return Invalid
	}
	return macaddrType
}

// Clocks are the clocks nsecs(clock) reads: monotonic, boot (nsecs's),
// tai, and sw_tai, the boot clock plus the TAI clock's distance from it,
// which hawk measures when it starts (for kernels without
// bpf_ktime_get_tai_ns, as in bpftrace).
var Clocks = []string{"monotonic", "boot", "tai", "sw_tai"}

func isClock(name string) bool { return slices.Contains(Clocks, name) }

// stackLen checks len(stack): the number of frames of a kstack or ustack
// value. A stack value is the id of the stack in a stack map, which a
// program cannot read: the program counts the frames of the stack where
// len() runs, which is the value's when the value is taken in the same
// probe (kstack, ustack(3), a scratch variable holding one), and refuses
// a stack read from a map, which another event may have taken.
func (c *checker) stackLen(call *Call) *Type {
	arg := call.Args[0]
	t := c.expr(arg)
	if t.IsInvalid() {
		return Invalid
	}
	if t.Kind != KindStack {
		c.errorf(arg, "len() takes a map, e.g. len(@name), or a stack (kstack, ustack), not %s", t)
		return Invalid
	}
	if _, ok := arg.(*MapExpr); ok {
		c.errorf(arg, "len() counts the frames of a stack taken in this probe, not one read from a map").Hint =
			"store the count beside the stack: @n[...] = len(ustack)"
		return Invalid
	}
	return Int64
}

package lang

import (
	"strconv"
	"strings"
)

// builtin checks a builtin variable where it is used and returns its type.
func (c *checker) builtin(id *Ident, b Builtin) *Type {
	info := &builtins[b]
	if info.kinds != nil && !c.probeKindsIn(info.kinds) {
		d := c.errorf(id, "%s is not available in %s probes", id.Name, c.probeKindNames(info.kinds))
		if b == BuiltinRetval && c.tracepointsHaveRet() {
			d.Hint = "a tracepoint gives the return value as args.ret"
		}
		return Invalid
	}
	if info.kinds != nil && !c.pointsKnown() {
		// What a kind's builtin is comes from the attach points' parts,
		// which a wrong attach point, reported already, does not have.
		return Invalid
	}
	switch b {
	case BuiltinKstack, BuiltinUstack:
		return stackOf(b, DefaultStackLimit, c.defaultStackMode(id, b))
	case BuiltinDwUstack:
		return c.dwUstack(id, stackOf(b, DefaultStackLimit, c.defaultStackMode(id, b)))
	case BuiltinCurtask:
		return c.taskPointer()
	case BuiltinCtx:
		if !c.pointsKnown() {
			return Invalid
		}
		if c.probeKindsIn([]ProbeKind{ProbeIter}) {
			return c.iterContext(id)
		}
		// The context the kernel passes the program, as bpftrace's ctx:
		// its layout is the probe kind's (struct pt_regs *, a tracepoint's
		// record, bpf_perf_event_data, ...), so the script casts it.
		return PointerType(Void, SpaceKernel)
	case BuiltinArg:
		return c.pointBuiltin(id, c.argType)
	case BuiltinCpid:
		if !c.cfg.Child {
			c.errorf(id, "cpid is the pid of the command -c runs: this run has none")
			return Invalid
		}
	case BuiltinRetval:
		return c.pointBuiltin(id, c.retvalType)
	case BuiltinProbetype:
		return c.probetype(id)
	case BuiltinUsermode:
		return c.usermode(id)
	case BuiltinConfig:
		return c.config(id)
	case BuiltinProbe, BuiltinFunc:
		return c.nameType(b)
	case BuiltinPpid:
		if t := c.taskPointer(); t.Kind != KindPointer {
			c.errorf(id, "ppid needs the kernel's BTF (/sys/kernel/btf/vmlinux) for struct task_struct")
			return Invalid
		}
		at := Span{id.Pos, id.EndPos}
		return c.parentPid(id, &Ident{Span: at, Name: "curtask"}, at)
	case BuiltinPcomm, BuiltinLeaderComm, BuiltinLeaderTid:
		return c.relative(id, b)
	case BuiltinHasCpid:
		return c.hasCpid(id)
	}
	return info.typ
}

// iterContext is the type of ctx in an iter probe: a pointer to the
// kernel's struct bpf_iter__NAME.
func (c *checker) iterContext(id *Ident) *Type {
	name := "struct bpf_iter__" + c.probe.Points[0].Args[0]
	if c.env != nil {
		if t, err := c.env.KernelType(name); err == nil {
			return PointerType(t, SpaceKernel)
		}
	}
	c.errorf(id, "ctx needs the kernel's BTF (/sys/kernel/btf/vmlinux) for %s", name)
	return Invalid
}

// taskPointer is the type of curtask: struct task_struct * from BTF, or a
// plain uint64 without BTF.
func (c *checker) taskPointer() *Type {
	if c.env != nil {
		if t, err := c.env.KernelType("struct task_struct"); err == nil {
			return PointerType(t, SpaceKernel)
		}
	}
	return Uint64
}

// FuncName is what `func` is in a kprobe or uprobe: the function's name,
// or its address in hex when the probe names an address.
func FuncName(ap *AttachPoint) string {
	sym, off := ProbeFunc(ap)
	if sym == "" {
		return "0x" + strconv.FormatUint(off, 16)
	}
	return sym
}

// ProbeName is the name `probe` has for an attach point: its kind's full
// name and its parts, as bpftrace spells it (k:f is kprobe:f), except
// that begin and end are written as the script writes them (begin, or
// 0.17's BEGIN).
func ProbeName(ap *AttachPoint) string {
	if (ap.Kind == ProbeBegin || ap.Kind == ProbeEnd) && strings.EqualFold(ap.Raw, ap.Kind.String()) {
		return ap.Raw
	}
	name := ap.Kind.String()
	for _, a := range ap.Args {
		name += ":" + a
	}
	return name
}

// DefaultStackLimit is how many frames kstack keeps unless told.
const DefaultStackLimit = 127

// StackModes are the ways a stack prints, as stack_mode spells them.
// build_id, for user stacks only, takes each frame as the build id of its
// binary and the offset in it (BPF_F_STACK_BUILD_ID).
var StackModes = []string{"bpftrace", "perf", "raw", "build_id"}

// StackModeBuildID is build_id's index in StackModes.
const StackModeBuildID = 3

// defaultStackMode is the mode of a stack the script gives none: the
// stack_mode setting's. A kernel stack cannot take build_id: it falls
// back to raw with a warning, as in bpftrace.
func (c *checker) defaultStackMode(n Node, b Builtin) int64 {
	mode := StackModeIndex(c.settings.StackMode)
	if mode == StackModeBuildID && b == BuiltinKstack {
		if c.report {
			c.diags.Add(c.src.For(n), n, "'build_id' stack mode can only be used for ustack: kstack falls back to raw").Severity = Warning
		}
		return StackModeIndex("raw")
	}
	return mode
}

// StackModeIndex returns the index of a stack mode in StackModes.
func StackModeIndex(mode string) int64 {
	for i, m := range StackModes {
		if m == mode {
			return int64(i)
		}
	}
	return 0
}

// StackType is a kernel stack of at most limit frames, printed in mode
// (an index in StackModes).
func StackType(limit, mode int64) *Type {
	return &Type{Kind: KindStack, Size: 8, Args: []int64{limit, mode}}
}

// UserStackType is a user-space stack of at most limit frames, printed
// in mode.
func UserStackType(limit, mode int64) *Type {
	t := StackType(limit, mode)
	t.Name = "ustack"
	return t
}

func stackOf(b Builtin, limit, mode int64) *Type {
	if b == BuiltinUstack || b == BuiltinDwUstack {
		return UserStackType(limit, mode)
	}
	return StackType(limit, mode)
}

// checkStackCall checks kstack(mode), kstack(limit), kstack(mode, limit),
// and the same of ustack.
func (c *checker) checkStackCall(call *Call, b Builtin) *Type {
	limit, mode := int64(DefaultStackLimit), int64(-1)
	for i, a := range call.Args {
		if id, ok := a.(*Ident); ok && i == 0 {
			found := false
			for j, m := range StackModes {
				if m == id.Name {
					mode, found = int64(j), true
				}
			}
			if !found {
				d := c.errorf(id, "unknown stack mode %q (modes: %s)", id.Name, strings.Join(StackModes, ", "))
				didYouMean(d, id.Name, StackModes)
				return Invalid
			}
			if mode == StackModeBuildID && b == BuiltinKstack {
				c.errorf(id, "'build_id' stack mode can only be used for ustack")
				return Invalid
			}
			if mode == StackModeBuildID && b == BuiltinDwUstack {
				c.errorf(id, "dw_ustack cannot print in the 'build_id' stack mode: use ustack(build_id)")
				return Invalid
			}
			c.record(id, Void)
			continue
		}
		v, ok := c.constArg(call, i, "limit", 1, 1024)
		if !ok {
			return Invalid
		}
		limit = v
	}
	if mode < 0 {
		mode = c.defaultStackMode(call, b)
	}
	if b == BuiltinDwUstack {
		return c.dwUstack(call, stackOf(b, limit, mode))
	}
	return stackOf(b, limit, mode)
}

package lang

import (
	"strconv"
	"strings"
	"sync"
)

// checkSystem checks system(fmt, ...), which needs --unsafe.
func (c *checker) checkSystem(call *Call) *Type {
	c.needUnsafe(call)
	return c.checkPrintf(call)
}

// needUnsafe reports a call that changes the system in a run without
// --unsafe.
func (c *checker) needUnsafe(call *Call) {
	if !c.cfg.Unsafe {
		d := c.errorSpan(call.Pos, call.NameEnd, "%s() changes the system: it needs --unsafe", call.Name)
		d.Hint = "run hawk --unsafe to allow it"
	}
}

// signalNumbers are the signals signal() takes by name, built on first
// use (not at every start).
var signalNumbers = sync.OnceValue(func() map[string]int64 {
	return map[string]int64{
		"SIGHUP": 1, "SIGINT": 2, "SIGQUIT": 3, "SIGILL": 4, "SIGTRAP": 5, "SIGABRT": 6, "SIGBUS": 7, "SIGFPE": 8,
		"SIGKILL": 9, "SIGUSR1": 10, "SIGSEGV": 11, "SIGUSR2": 12, "SIGPIPE": 13, "SIGALRM": 14, "SIGTERM": 15,
		"SIGSTKFLT": 16, "SIGCHLD": 17, "SIGCONT": 18, "SIGSTOP": 19, "SIGTSTP": 20, "SIGTTIN": 21, "SIGTTOU": 22,
		"SIGURG": 23, "SIGXCPU": 24, "SIGXFSZ": 25, "SIGVTALRM": 26, "SIGPROF": 27, "SIGWINCH": 28, "SIGIO": 29,
		"SIGPWR": 30, "SIGSYS": 31,
	}
})

// checkSignal checks signal("SIGKILL"), signal("KILL") or signal(9), and
// signal_thread's arguments, which are the same.
func (c *checker) checkSignal(call *Call) *Type {
	c.needUnsafe(call)
	arg := call.Args[0]
	t := c.expr(arg)
	if t.IsInvalid() {
		return Void
	}
	k, isConst := c.info.Consts[arg]
	switch {
	case t.Kind == KindString && isConst && k.IsStr:
		n, ok := signalNumber(k.Str)
		if !ok {
			c.errorf(arg, "unknown signal %q", k.Str)
			return Void
		}
		c.info.Consts[arg] = Const{Int: uint64(n)}
	case t.Kind == KindString:
		c.errorf(arg, "%s() takes a signal name as a string literal, or a number", call.Name)
	case !t.IsInteger():
		c.errorf(arg, "%s() takes a signal name or number, not %s", call.Name, t)
	case isConst && (k.Int < 1 || k.Int > 64):
		c.errorf(arg, "signal %d is out of range 1..64", int64(k.Int))
	}
	return Void
}

// checkStrftime checks strftime("fmt", nsecs): its type carries the
// format, which user space applies.
func (c *checker) checkStrftime(call *Call) *Type {
	format, ok := c.literalArg(call, 0)
	t := c.expr(call.Args[1])
	if !t.IsInvalid() && !t.IsInteger() {
		c.errorf(call.Args[1], "strftime() takes nanoseconds since boot, not %s", t)
		return Invalid
	}
	if !ok {
		return Invalid
	}
	return &Type{Kind: KindTimestamp, Size: 8, Name: format}
}

// usymType is a user address and the process it belongs to.
var usymType = &Type{Kind: KindUsym, Size: 16}

func (c *checker) checkUsym(call *Call) *Type {
	t := c.expr(call.Args[0])
	if !t.IsInvalid() && !t.IsInteger() {
		c.errorf(call.Args[0], "usym() takes an address, not %s", t)
		return Invalid
	}
	return usymType
}

// checkUaddr resolves uaddr("symbol") in the binary of the probe's
// uprobes, whose pointer type has the symbol's size.
func (c *checker) checkUaddr(call *Call) *Type {
	name, ok := c.literalArg(call, 0)
	if !ok {
		return Invalid
	}
	if !c.probeKindsIn([]ProbeKind{ProbeUprobe, ProbeUretprobe, ProbeUsdt}) {
		c.errorf(call, "uaddr() is only available in uprobe, uretprobe and usdt probes")
		return Invalid
	}
	if !c.pointsKnown() {
		return Invalid // the wrong attach point is reported; it names no binary
	}
	binary, one := c.uprobeBinary()
	if !one {
		c.errorf(call, "uaddr() needs every attach point of the probe to trace one binary")
		return Invalid
	}
	if c.env == nil {
		return PointerType(Uint64, SpaceUser)
	}
	addr, size, err := c.env.UserSymbol(binary, name)
	if err != nil {
		c.errorf(call.Args[0], "uaddr(%q): %v", name, err)
		return Invalid
	}
	if !c.uaddrValue(call, binary, addr) {
		return Invalid
	}
	elem := Uint64
	switch size {
	case 1:
		elem = Uint8
	case 2:
		elem = Uint16
	case 4:
		elem = Uint32
	}
	return PointerType(elem, SpaceUser)
}

// signalNumber is the number of the signal s names, as signal() and
// __builtin_signal_num read it: "SIGINT", "int" or "2".
func signalNumber(s string) (int64, bool) {
	name := strings.ToUpper(s)
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	if n, ok := signalNumbers()[name]; ok {
		return n, true
	}
	if num, err := strconv.Atoi(s); err == nil && num > 0 && num < 65 {
		return int64(num), true
	}
	return 0, false
}

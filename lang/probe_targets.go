package lang

import (
	"strconv"
	"strings"

	"github.com/hawktrace/hawk/internal/lazyre"
)

// intervalUnits maps an interval unit to nanoseconds per count; hz is special.
var intervalUnits = map[string]uint64{"s": 1e9, "ms": 1e6, "us": 1e3, "hz": 0}

func checkInterval(args []string) string {
	_, err := timerPeriod("interval", args)
	return err
}

func checkProfile(args []string) string {
	_, err := timerPeriod("profile", args)
	return err
}

// IntervalPeriod returns the period in nanoseconds of an interval or
// profile probe's arguments (`s:N`, `ms:N`, `us:N`, `hz:N`, or a period
// alone: `1s`, `100ms`, `1000000`), or a message saying what is wrong.
func IntervalPeriod(args []string) (uint64, string) { return timerPeriod("interval", args) }

// timerPeriod is IntervalPeriod for a kind, which its messages name. A
// period alone is in nanoseconds unless a unit follows it, at least 1us,
// and counts in whole microseconds, as in bpftrace.
func timerPeriod(kind string, args []string) (uint64, string) {
	written := kind + " probes are written " + kind + ":UNIT:N or " + kind + ":PERIOD, e.g. " + kind + ":s:1 or " + kind + ":100ms (units: s, ms, us, hz)"
	switch len(args) {
	case 1:
		ns, err := parseInt(args[0])
		switch {
		case args[0] == "" || args[0][0] < '0' || args[0][0] > '9':
			return 0, written
		case err != nil:
			return 0, "the " + kind + " period " + strconv.Quote(args[0]) + " is not a number of nanoseconds or a time such as 100ms: " + err.Error()
		case ns < 1000:
			return 0, "the " + kind + " period must be at least 1000 nanoseconds (1us), not " + strconv.Quote(args[0])
		}
		return ns / 1000 * 1000, ""
	case 2:
	default:
		return 0, written
	}
	ns, ok := intervalUnits[args[0]]
	if !ok {
		return 0, "unknown " + kind + " unit " + strconv.Quote(args[0]) + " (units: s, ms, us, hz)"
	}
	n, err := parseInt(args[1])
	if err != nil || n == 0 {
		return 0, "the " + kind + " count must be a positive integer, not " + strconv.Quote(args[1])
	}
	if ns == 0 {
		return 1e9 / n, ""
	}
	if n > ^uint64(0)/ns {
		return 0, "the " + kind + " period " + args[0] + ":" + args[1] + " is too long"
	}
	return ns * n, ""
}

func checkSoftware(args []string) string { return checkPerfEvent("software", SoftwareEvents, args) }

func checkHardware(args []string) string { return checkPerfEvent("hardware", HardwareEvents, args) }

func checkPerfEvent(kind string, list []PerfEvent, args []string) string {
	if len(args) < 1 || len(args) > 2 || args[0] == "" {
		return kind + " probes are written " + kind + ":EVENT or " + kind + ":EVENT:COUNT, e.g. " + kind + ":" + list[2].Name + ":" + strconv.FormatUint(list[2].DefaultCount, 10)
	}
	if _, ok := FindPerfEvent(list, args[0]); !ok {
		var names []string
		for _, e := range list {
			names = append(names, e.Name)
		}
		msg := strconv.Quote(args[0]) + " is not a " + kind + " event"
		if s := suggest(args[0], names); s != "" {
			msg += "; did you mean " + strconv.Quote(s) + "?"
		}
		return msg
	}
	if len(args) == 2 && args[1] != "" {
		if n, err := parseInt(args[1]); err != nil || n == 0 {
			return "the " + kind + " event count must be a positive integer, not " + strconv.Quote(args[1])
		}
	}
	return ""
}

// PerfEventOf returns the event and count of a software or hardware
// attach point: the count it names or the event's default.
func PerfEventOf(ap *AttachPoint) (PerfEvent, uint64) {
	list := SoftwareEvents
	if ap.Kind == ProbeHardware {
		list = HardwareEvents
	}
	e, _ := FindPerfEvent(list, ap.Args[0])
	if len(ap.Args) == 2 && ap.Args[1] != "" {
		n, _ := parseInt(ap.Args[1])
		return e, n
	}
	return e, e.DefaultCount
}

func checkTracepoint(args []string) string {
	if len(args) != 2 || args[0] == "" || args[1] == "" {
		return "tracepoints are written tracepoint:CATEGORY:NAME, e.g. tracepoint:syscalls:sys_enter_openat"
	}
	return ""
}

// symbolPattern is a kernel symbol or a glob over them.
var symbolPattern = lazyre.New(`^[A-Za-z0-9_.$*?\[\]-]+$`)

func checkRawtracepoint(args []string) string {
	if len(args) < 1 || len(args) > 2 || args[len(args)-1] == "" || !symbolPattern.Get().MatchString(args[len(args)-1]) {
		return "raw tracepoints are written rawtracepoint:NAME or rawtracepoint:MODULE:NAME, e.g. rawtracepoint:sched_switch"
	}
	return ""
}

func checkFentry(args []string) string {
	if len(args) < 1 || len(args) > 2 || args[len(args)-1] == "" || !symbolPattern.Get().MatchString(args[len(args)-1]) {
		return "fentry and fexit probes are written fentry:FUNCTION or fentry:MODULE:FUNCTION, e.g. fentry:vfs_read"
	}
	return ""
}

// funcTarget matches a function to probe: a name, a name plus an offset,
// or (in a binary) an address.
var funcTarget = lazyre.New(`^(?:[A-Za-z_.$][\w.$@]*(?:\+(?:0[xX][0-9a-fA-F]+|\d+))?|0[xX][0-9a-fA-F]+)$`)

// userFunc matches a uprobe's function: an address, in hex or in decimal
// as bpftrace takes it (uprobe:/bin/bash:10 is at 0xa), or a symbol with
// an optional offset. A binary's symbol may hold any text but a control
// character, which a quoted function gives: Go's "net/http.init", C++'s
// "operator+" (one with *, ? or [ is a pattern, checked before); it starts
// with no digit (that is an address) and no '+'.
var userFunc = lazyre.New(`^(?:0[xX][0-9a-fA-F]+|\d+|[^\d+\x00-\x1f][^\x00-\x1f]*)$`)

func checkKprobe(args []string) string {
	if len(args) < 1 || len(args) > 2 || args[len(args)-1] == "" {
		return "kprobes are written kprobe:FUNCTION, kprobe:FUNCTION+OFFSET, kprobe:MODULE:FUNCTION or kprobe:0xADDRESS, e.g. kprobe:do_nanosleep"
	}
	fn := args[len(args)-1]
	if kernelAddress.Get().MatchString(fn) {
		if len(args) == 2 {
			return "a kprobe at an address takes no module: kprobe:" + fn
		}
		return ""
	}
	if HasWildcard(fn) {
		if !symbolPattern.Get().MatchString(fn) {
			return "bad kernel function pattern " + strconv.Quote(fn)
		}
		return ""
	}
	if !funcTarget.Get().MatchString(fn) || strings.HasPrefix(fn, "0x") {
		return "bad kernel function " + strconv.Quote(fn)
	}
	return ""
}

// kernelAddress is a kprobe's kernel address: kprobe:0xffffffff81234567.
var kernelAddress = lazyre.New(`^0[xX][0-9a-fA-F]+$`)

// A return probe fires where the function returns, not at an offset in
// it.
func checkKretprobe(args []string) string {
	if msg := checkKprobe(args); msg != "" {
		return msg
	}
	if strings.Contains(args[len(args)-1], "+") {
		return "a kretprobe fires when the function returns: it takes no offset"
	}
	return ""
}

func checkUretprobe(args []string) string {
	if msg := checkUprobe(args); msg != "" {
		return msg
	}
	if sym, _ := SplitFunc(args[1]); sym != "" && sym != args[1] {
		return "a uretprobe fires when the function returns: it takes no offset"
	}
	return ""
}

func checkUprobe(args []string) string {
	if len(args) != 2 || args[0] == "" || args[1] == "" {
		return "uprobes are written uprobe:BINARY:FUNCTION, e.g. uprobe:/bin/bash:readline"
	}
	if HasWildcard(args[1]) {
		if strings.Contains(args[1], "+") {
			return "a uprobe pattern takes no offset"
		}
		return ""
	}
	if !userFunc.Get().MatchString(args[1]) {
		return "bad function " + strconv.Quote(args[1]) + ": a symbol, SYMBOL+OFFSET or an address (0x... or decimal)"
	}
	return ""
}

func checkUsdt(args []string) string {
	if len(args) < 2 || len(args) > 3 || args[len(args)-1] == "" {
		return "usdt probes are written usdt:BINARY:NAME or usdt:BINARY:PROVIDER:NAME, e.g. usdt:/usr/lib/x86_64-linux-gnu/libstdc++.so.6:libstdcxx:throw"
	}
	return ""
}

// UsdtTarget returns the binary, provider and name of a usdt attach
// point; the provider is "" when it is not given.
func UsdtTarget(ap *AttachPoint) (binary, provider, name string) {
	if len(ap.Args) == 3 {
		return ap.Args[0], ap.Args[1], ap.Args[2]
	}
	return ap.Args[0], "", ap.Args[1]
}

func checkWatchpoint(args []string) string {
	if _, msg := WatchpointOf(args); msg != "" {
		return msg
	}
	return ""
}

// Watchpoint is what a watchpoint probe watches.
type Watchpoint struct {
	Addr uint64
	Len  int
	// Mode holds the access kinds that fire it: any of r, w and x.
	Mode string
}

// WatchpointOf reads watchpoint:ADDR:LEN:MODE's parts, or says what is
// wrong with them.
func WatchpointOf(args []string) (Watchpoint, string) {
	const form = "watchpoints are written watchpoint:ADDRESS:LENGTH:MODE, e.g. watchpoint:0x10000000:8:rw (mode: r, w, x or a mix)"
	if len(args) != 3 {
		return Watchpoint{}, form
	}
	addr, err := parseUint(args[0])
	if err != nil {
		return Watchpoint{}, "bad watchpoint address " + strconv.Quote(args[0]) + ": " + form
	}
	n, err := strconv.Atoi(args[1])
	if err != nil || (n != 1 && n != 2 && n != 4 && n != 8) {
		return Watchpoint{}, "a watchpoint's length is 1, 2, 4 or 8 bytes, not " + strconv.Quote(args[1])
	}
	mode := args[2]
	seen := map[rune]bool{}
	for _, c := range mode {
		if !strings.ContainsRune("rwx", c) || seen[c] {
			return Watchpoint{}, "bad watchpoint mode " + strconv.Quote(mode) + ": r, w, x or a mix such as rw"
		}
		seen[c] = true
	}
	if mode == "" || seen['x'] && len(mode) > 1 {
		return Watchpoint{}, "bad watchpoint mode " + strconv.Quote(mode) + ": x (execute) cannot mix with r or w"
	}
	return Watchpoint{Addr: addr, Len: n, Mode: mode}, ""
}

// iterNeedsTarget are the kernel's iterators that walk from one object
// the link names (a map's elements, a socket map, a socket storage map, a
// cgroup), which an iter probe cannot name.
var iterNeedsTarget = map[string]bool{"bpf_map_elem": true, "sockmap": true, "bpf_sk_storage_map": true, "cgroup": true}

// IterAttachable reports whether an iter probe can walk the kernel's
// iterator name: every iterator but those that walk one object.
func IterAttachable(name string) bool { return !iterNeedsTarget[name] }

// checkIter checks iter:NAME and iter:NAME:PIN; the kernel says which
// iterators it has (check_iter.go).
func checkIter(args []string) string {
	if len(args) != 1 && len(args) != 2 || args[0] == "" || len(args) == 2 && args[1] == "" {
		return "iter probes are written iter:NAME or iter:NAME:PIN, e.g. iter:task"
	}
	if !IterAttachable(args[0]) {
		return "iter:" + args[0] + " walks from one object (a map, a socket map or a cgroup), which an iter probe cannot name"
	}
	return ""
}

// IterPin is where iter:NAME:PIN pins its iterator: PIN, or
// /sys/fs/bpf/PIN when PIN is relative; "" for iter:NAME.
func IterPin(ap *AttachPoint) string {
	if ap.Kind != ProbeIter || len(ap.Args) < 2 {
		return ""
	}
	if strings.HasPrefix(ap.Args[1], "/") {
		return ap.Args[1]
	}
	return "/sys/fs/bpf/" + ap.Args[1]
}

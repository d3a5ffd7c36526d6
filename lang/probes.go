package lang

import (
	"regexp"
	"strconv"
	"strings"
)

// ProbeKind is the kind of an attach point: what fires it.
type ProbeKind int

// Probe kinds.
const (
	ProbeInvalid ProbeKind = iota
	ProbeBegin
	ProbeEnd
	ProbeInterval
	ProbeTracepoint
	ProbeKprobe
	ProbeKretprobe
	ProbeUprobe
	ProbeUretprobe
	numProbeKinds
)

// probeKindInfo describes a kind's spelling and target syntax.
type probeKindInfo struct {
	name    string   // canonical provider name
	aliases []string // other spellings users write
	// check validates the parts after the provider; it returns a message.
	check func(args []string) string
}

var probeKinds = [numProbeKinds]probeKindInfo{
	ProbeBegin:      {name: "BEGIN", aliases: []string{"begin"}, check: noArgs},
	ProbeEnd:        {name: "END", aliases: []string{"end"}, check: noArgs},
	ProbeInterval:   {name: "interval", aliases: []string{"i"}, check: checkInterval},
	ProbeTracepoint: {name: "tracepoint", aliases: []string{"t"}, check: checkTracepoint},
	ProbeKprobe:     {name: "kprobe", aliases: []string{"k"}, check: checkKprobe},
	ProbeKretprobe:  {name: "kretprobe", aliases: []string{"kr"}, check: checkKretprobe},
	ProbeUprobe:     {name: "uprobe", aliases: []string{"u"}, check: checkUprobe},
	ProbeUretprobe:  {name: "uretprobe", aliases: []string{"ur"}, check: checkUretprobe},
}

// String returns the canonical provider name of k.
func (k ProbeKind) String() string {
	if k <= ProbeInvalid || k >= numProbeKinds {
		return "invalid"
	}
	return probeKinds[k].name
}

// ProbeKinds lists every probe kind hawk knows.
func ProbeKinds() []ProbeKind { return enumValues(numProbeKinds) }

func providerSpellings(k ProbeKind) []string {
	return append([]string{probeKinds[k].name}, probeKinds[k].aliases...)
}

func lookupProvider(name string) ProbeKind { return lookupName(numProbeKinds, providerSpellings, name) }

func providerNames() []string { return allSpellings(numProbeKinds, providerSpellings) }

func noArgs(args []string) string {
	if len(args) > 0 {
		return "this probe takes no arguments"
	}
	return ""
}

// intervalUnits maps an interval unit to nanoseconds per count; hz is special.
var intervalUnits = map[string]uint64{"s": 1e9, "ms": 1e6, "us": 1e3, "hz": 0}

func checkInterval(args []string) string {
	if _, err := IntervalPeriod(args); err != "" {
		return err
	}
	return ""
}

// IntervalPeriod returns the period in nanoseconds of an interval probe's
// arguments (`s:N`, `ms:N`, `us:N`, `hz:N`), or a message saying what is wrong.
func IntervalPeriod(args []string) (uint64, string) {
	if len(args) != 2 {
		return 0, "interval probes are written interval:UNIT:N, e.g. interval:s:1 (units: s, ms, us, hz)"
	}
	ns, ok := intervalUnits[args[0]]
	if !ok {
		return 0, "unknown interval unit " + strconv.Quote(args[0]) + " (units: s, ms, us, hz)"
	}
	n, err := strconv.ParseUint(args[1], 10, 64)
	if err != nil || n == 0 {
		return 0, "the interval count must be a positive integer, not " + strconv.Quote(args[1])
	}
	if ns == 0 {
		return 1e9 / n, ""
	}
	return ns * n, ""
}

func checkTracepoint(args []string) string {
	if len(args) != 2 || args[0] == "" || args[1] == "" {
		return "tracepoints are written tracepoint:CATEGORY:NAME, e.g. tracepoint:syscalls:sys_enter_openat"
	}
	return ""
}

// splitAttachPoint splits raw at the colons that are not inside quotes and
// removes the quotes.
func splitAttachPoint(raw string) []string {
	var parts []string
	var cur strings.Builder
	inQuote := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '\\' && inQuote && i+1 < len(raw):
			i++
			cur.WriteByte(raw[i])
		case c == '"':
			inQuote = !inQuote
		case c == ':' && !inQuote:
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	return append(parts, cur.String())
}

// laterProviders are bpftrace's probe types, with their aliases, that hawk
// does not attach yet.
var laterProviders = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`usdt U profile p
		software s hardware h watchpoint w asyncwatchpoint aw rawtracepoint rt kfunc kretfunc fentry f fexit fr iter it`) {
		laterProviders[p] = true
	}
}

// parseAttachPoint fills ap.Kind and ap.Args from ap.Raw.
func parseAttachPoint(src *Source, ap *AttachPoint, diags *Diagnostics) {
	parts := splitAttachPoint(ap.Raw)
	ap.Kind = lookupProvider(parts[0])
	ap.Args = parts[1:]
	if ap.Kind == ProbeInvalid && laterProviders[parts[0]] {
		diags.Add(src, ap, "%s probes are not supported by hawk yet", parts[0])
		return
	}
	if ap.Kind == ProbeInvalid {
		d := diags.Add(src, ap, "unknown probe type %q", parts[0])
		if s := suggest(parts[0], providerNames()); s != "" {
			d.Hint = "did you mean " + strconv.Quote(s) + "?"
		}
		return
	}
	if hasParams(ap.Args) {
		return // checked once the parameters are in (expandAttachPoints)
	}
	if msg := probeKinds[ap.Kind].check(ap.Args); msg != "" {
		diags.Add(src, ap, "%s", msg)
		ap.Kind = ProbeInvalid // reported: the checker passes over it
	}
}

// paramRef finds $1, $2, ... in attach point parts.
var paramRef = regexp.MustCompile(`\$[0-9]`)

func hasParams(args []string) bool {
	for _, a := range args {
		if paramRef.MatchString(a) {
			return true
		}
	}
	return false
}

// funcTarget matches a function to probe: a name, a name plus an offset,
// or (in a binary) an address.
var funcTarget = regexp.MustCompile(`^(?:[A-Za-z_.$][\w.$@]*(?:\+(?:0[xX][0-9a-fA-F]+|\d+))?|0[xX][0-9a-fA-F]+)$`)

func checkKprobe(args []string) string {
	if len(args) != 1 || args[0] == "" {
		return "kprobes are written kprobe:FUNCTION or kprobe:FUNCTION+OFFSET, e.g. kprobe:do_nanosleep"
	}
	if HasWildcard(args[0]) {
		return "wildcards in kprobe names are not supported yet"
	}
	if !funcTarget.MatchString(args[0]) || strings.HasPrefix(args[0], "0x") {
		return "bad kernel function " + strconv.Quote(args[0])
	}
	return ""
}

// A return probe fires where the function returns, not at an offset in
// it.
func checkKretprobe(args []string) string {
	if msg := checkKprobe(args); msg != "" {
		return msg
	}
	if strings.Contains(args[0], "+") {
		return "a kretprobe fires when the function returns: it takes no offset"
	}
	return ""
}

func checkUretprobe(args []string) string {
	if msg := checkUprobe(args); msg != "" {
		return msg
	}
	if strings.Contains(args[1], "+") {
		return "a uretprobe fires when the function returns: it takes no offset"
	}
	return ""
}

func checkUprobe(args []string) string {
	if len(args) != 2 || args[0] == "" || args[1] == "" {
		return "uprobes are written uprobe:BINARY:FUNCTION, e.g. uprobe:/bin/bash:readline"
	}
	if HasWildcard(args[1]) {
		return "wildcards in uprobe names are not supported yet"
	}
	if !funcTarget.MatchString(args[1]) {
		return "bad function " + strconv.Quote(args[1]) + ": a symbol, SYMBOL+OFFSET or an address 0x..."
	}
	return ""
}

// ProbeFunc splits a kprobe's or uprobe's function part into the symbol
// and the offset from it; an address is an empty symbol and the address.
func ProbeFunc(ap *AttachPoint) (symbol string, offset uint64) {
	return SplitFunc(ap.Args[len(ap.Args)-1])
}

// SplitFunc splits FUNCTION, FUNCTION+OFFSET or 0xADDRESS.
func SplitFunc(f string) (symbol string, offset uint64) {
	if strings.HasPrefix(f, "0x") || strings.HasPrefix(f, "0X") {
		v, _ := strconv.ParseUint(f[2:], 16, 64)
		return "", v
	}
	name, off, found := strings.Cut(f, "+")
	if found {
		base := 10
		if strings.HasPrefix(off, "0x") || strings.HasPrefix(off, "0X") {
			off, base = off[2:], 16
		}
		v, _ := strconv.ParseUint(off, base, 64)
		return name, v
	}
	return name, 0
}

// IsUserProbe reports whether k probes user space, whose memory the
// probe reads with probe_read_user.
func (k ProbeKind) IsUserProbe() bool { return k == ProbeUprobe || k == ProbeUretprobe }

// HasRegs reports whether k's context is the traced function's registers
// (struct pt_regs): kprobes and uprobes, entry and return.
func (k ProbeKind) HasRegs() bool {
	switch k {
	case ProbeKprobe, ProbeKretprobe, ProbeUprobe, ProbeUretprobe:
		return true
	}
	return false
}

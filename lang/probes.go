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
	for _, p := range strings.Fields(`kprobe k kretprobe kr uprobe u uretprobe ur usdt U profile p
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

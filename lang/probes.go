package lang

import (
	"strconv"
	"strings"

	"github.com/hawktrace/hawk/internal/lazyre"
)

// ProbeKind is the kind of an attach point: what fires it.
type ProbeKind int

// Probe kinds.
const (
	ProbeInvalid ProbeKind = iota
	ProbeBegin
	ProbeEnd
	ProbeInterval
	ProbeProfile
	ProbeSoftware
	ProbeHardware
	ProbeTracepoint
	ProbeRawtracepoint
	ProbeKprobe
	ProbeKretprobe
	ProbeFentry
	ProbeFexit
	ProbeUprobe
	ProbeUretprobe
	ProbeUsdt
	ProbeWatchpoint
	ProbeIter
	// The runtime's own probes (probe_special.go).
	ProbeSelf
	ProbeTest
	ProbeBench
	numProbeKinds
)

// probeKindInfo describes a kind's spelling and target syntax. What it
// compiles to is codegen's table; how it attaches, runtime's.
type probeKindInfo struct {
	name    string   // canonical provider name
	aliases []string // other spellings users write
	// check validates the parts after the provider; it returns a message.
	check func(args []string) string
	// wildcards says which parts may be glob patterns, which the kind's
	// targets expand (Env.AttachTargets); nil when none may.
	wildcards func(args []string) bool
}

var probeKinds = [numProbeKinds]probeKindInfo{
	ProbeBegin:         {name: "BEGIN", aliases: []string{"begin"}, check: noArgs},
	ProbeEnd:           {name: "END", aliases: []string{"end"}, check: noArgs},
	ProbeInterval:      {name: "interval", aliases: []string{"i"}, check: checkInterval},
	ProbeProfile:       {name: "profile", aliases: []string{"p"}, check: checkProfile},
	ProbeSoftware:      {name: "software", aliases: []string{"s"}, check: checkSoftware},
	ProbeHardware:      {name: "hardware", aliases: []string{"h"}, check: checkHardware},
	ProbeTracepoint:    {name: "tracepoint", aliases: []string{"t"}, check: checkTracepoint},
	ProbeRawtracepoint: {name: "rawtracepoint", aliases: []string{"rt"}, check: checkRawtracepoint, wildcards: lastHasWildcard},
	ProbeKprobe:        {name: "kprobe", aliases: []string{"k"}, check: checkKprobe, wildcards: lastHasWildcard},
	ProbeKretprobe:     {name: "kretprobe", aliases: []string{"kr"}, check: checkKretprobe, wildcards: lastHasWildcard},
	ProbeFentry:        {name: "fentry", aliases: []string{"f", "kfunc"}, check: checkFentry, wildcards: lastHasWildcard},
	ProbeFexit:         {name: "fexit", aliases: []string{"fr", "kretfunc"}, check: checkFentry, wildcards: lastHasWildcard},
	ProbeUprobe:        {name: "uprobe", aliases: []string{"u"}, check: checkUprobe, wildcards: afterFirstHasWildcard},
	ProbeUretprobe:     {name: "uretprobe", aliases: []string{"ur"}, check: checkUretprobe, wildcards: afterFirstHasWildcard},
	ProbeUsdt:          {name: "usdt", aliases: []string{"U"}, check: checkUsdt, wildcards: func([]string) bool { return true }},
	ProbeWatchpoint:    {name: "watchpoint", aliases: []string{"w"}, check: checkWatchpoint},
	ProbeIter:          {name: "iter", aliases: []string{"it"}, check: checkIter},
	ProbeSelf:          {name: "self", check: checkSelf},
	ProbeTest:          {name: "test", check: checkNamedProbe("test")},
	ProbeBench:         {name: "bench", check: checkNamedProbe("bench")},
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

// lookupProvider finds a probe kind by its name or an alias.
var lookupProvider = nameIndex(numProbeKinds, providerSpellings)

func providerNames() []string { return allSpellings(numProbeKinds, providerSpellings) }

func noArgs(args []string) string {
	if len(args) > 0 {
		return "this probe takes no arguments"
	}
	return ""
}

func lastHasWildcard(args []string) bool { return HasWildcard(args[len(args)-1]) }

func afterFirstHasWildcard(args []string) bool { return HasWildcard(strings.Join(args[1:], ":")) }

// HasTargetWildcard reports whether ap names its targets by a pattern
// that the kind's targets expand.
func HasTargetWildcard(ap *AttachPoint) bool {
	w := probeKinds[ap.Kind].wildcards
	return w != nil && len(ap.Args) > 0 && w(ap.Args)
}

// SplitAttachPoint splits raw at the colons that are not inside quotes and
// removes the quotes: uprobe:/bin/x:"ns::f" is uprobe, /bin/x and ns::f.
func SplitAttachPoint(raw string) []string {
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
// does not attach.
var laterProviders = map[string]bool{"asyncwatchpoint": true, "aw": true}

// parseAttachPoint fills ap.Kind and ap.Args from ap.Raw.
func parseAttachPoint(src *Source, ap *AttachPoint, diags *Diagnostics) {
	parts := SplitAttachPoint(ap.Raw)
	ap.Kind = lookupProvider(parts[0])
	ap.Args = parts[1:]
	if ap.Kind == ProbeInvalid && paramRef.Get().MatchString(parts[0]) {
		return // a parameter gives the probe type: expandAttachPoints parses it
	}
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
var paramRef = lazyre.New(`\$[0-9]`)

func hasParams(args []string) bool {
	for _, a := range args {
		if paramRef.Get().MatchString(a) {
			return true
		}
	}
	return false
}

// ProbeFunc splits a kprobe's or uprobe's function part into the symbol
// and the offset from it; an address is an empty symbol and the address.
func ProbeFunc(ap *AttachPoint) (symbol string, offset uint64) {
	return SplitFunc(ap.Args[len(ap.Args)-1])
}

// SplitFunc splits FUNCTION, FUNCTION+OFFSET or an ADDRESS (0x... or
// decimal: no symbol starts with a digit). The offset is what follows the
// last '+' when that is a number; a symbol may hold any other text, as a
// quoted uprobe function does ("net/http.(*conn).serve", "operator+").
func SplitFunc(f string) (symbol string, offset uint64) {
	if f != "" && f[0] >= '0' && f[0] <= '9' {
		v, _ := parseUint(f)
		return "", v
	}
	if i := strings.LastIndexByte(f, '+'); i > 0 {
		if v, err := parseUint(f[i+1:]); err == nil {
			return f[:i], v
		}
	}
	return f, 0
}

// parseUint reads a decimal or 0x-prefixed hexadecimal number.
func parseUint(s string) (uint64, error) {
	if h, ok := strings.CutPrefix(strings.ToLower(s), "0x"); ok {
		return strconv.ParseUint(h, 16, 64)
	}
	return strconv.ParseUint(s, 10, 64)
}

// IsUserProbe reports whether k probes user space, whose memory the
// probe reads with probe_read_user.
func (k ProbeKind) IsUserProbe() bool {
	return k == ProbeUprobe || k == ProbeUretprobe || k == ProbeUsdt
}

// HasRegs reports whether k's context is the traced function's registers
// (struct pt_regs): kprobes, uprobes and usdt, entry and return.
func (k ProbeKind) HasRegs() bool {
	switch k {
	case ProbeKprobe, ProbeKretprobe, ProbeUprobe, ProbeUretprobe, ProbeUsdt:
		return true
	}
	return false
}

// HasArgsArray reports whether k's context is an array of 64-bit
// arguments: raw tracepoints, fentry and fexit.
func (k ProbeKind) HasArgsArray() bool {
	return k == ProbeRawtracepoint || k == ProbeFentry || k == ProbeFexit
}

// ProviderNames lists every spelling of every probe kind's provider, the
// aliases included: what may come before the first ':' of an attach point.
func ProviderNames() []string { return providerNames() }

// ProviderKind returns the kind a provider spelling names, aliases
// included; ProbeInvalid for none.
func ProviderKind(name string) ProbeKind { return lookupProvider(name) }

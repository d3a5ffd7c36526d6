package lang

import (
	"cmp"
	"fmt"
	"path"
	"strconv"
	"strings"
)

// expandAttachPoints puts the positional parameters into attach points,
// as bpftrace does (`tracepoint:syscalls:$1`), and replaces each pattern
// (`tracepoint:syscalls:sys_enter_exec*`, `kprobe:vfs_*`,
// `uprobe:/bin/bash:read*`) by the targets it matches. An attach point
// listed twice in a probe is attached once.
//
// Attach points that name nothing that exists are handled as
// missing_probes says: error (each is an error), warn (each is skipped
// with a warning) or ignore (skipped silently); probes left without
// attach points are dropped. Until the script sets it, a probe whose
// other attach points exist warns about its missing ones and runs, as
// bpftrace 0.17 did, so that tools written for several kernel versions
// (`kprobe:blk_account_io_start, kprobe:__blk_account_io_start`) run on
// each; a probe none of whose attach points exist is an error.
func expandAttachPoints(prog *Program, env Env, params []string, missing string, diags *Diagnostics) {
	var probes []*Probe
	for _, p := range prog.Probes {
		x := pointExpander{prog: prog, env: env, diags: diags, seen: map[string]bool{}}
		for _, ap := range p.Points {
			x.expand(ap, params)
		}
		x.settle(missing)
		p.Points = x.points
		if len(p.Points) > 0 {
			probes = append(probes, p)
		}
	}
	prog.Probes = probes
}

// pointExpander expands the attach points of one probe.
type pointExpander struct {
	prog   *Program
	env    Env
	diags  *Diagnostics
	seen   map[string]bool
	points []*AttachPoint
	// missing are the attach points that name nothing, with why.
	missing []missingPoint
}

type missingPoint struct {
	ap  *AttachPoint
	msg string
	// keep leaves the attach point in for the checker, which reports it
	// with suggestions (tracepoints).
	keep bool
	hint string // what may be meant instead (missingTarget)
}

func (x *pointExpander) add(ap *AttachPoint) {
	key := ap.Kind.String() + ":" + strings.Join(ap.Args, ":")
	if ap.Kind == ProbeInvalid || !x.seen[key] {
		x.seen[key] = true
		x.points = append(x.points, ap)
	}
}

func (x *pointExpander) expand(ap *AttachPoint, params []string) {
	if ap.Kind == ProbeInvalid && hasParams(SplitAttachPoint(ap.Raw)[:1]) {
		// `$1 { }` with `i:ms:1`, `BEG$1 { }` with `IN`: the attach point
		// is what it reads once the parameters are in.
		substituteParams(ap, params)
		if first := SplitAttachPoint(ap.Raw)[0]; hasParams([]string{first}) {
			x.diags.Add(x.prog.Src, ap, "unknown probe type %q: positional parameter %s is not given", first, paramRef.Get().FindString(first))
		} else {
			parseAttachPoint(x.prog.Src, ap, x.diags)
		}
	}
	if ap.Kind != ProbeInvalid && hasParams(ap.Args) {
		substituteParams(ap, params)
		if msg := probeKinds[ap.Kind].check(ap.Args); msg != "" {
			x.diags.Add(x.prog.Src, ap, "%s", msg)
			ap.Kind = ProbeInvalid
		}
	}
	if ap.Kind == ProbeInvalid || x.env == nil {
		x.add(ap)
		return
	}
	if ap.Kind.IsUserProbe() {
		bins, err := x.env.Binaries(ap.Args[0])
		if err != nil {
			x.fail(ap, "%v", err)
			return
		}
		if binaryPattern(ap.Args[0]) {
			x.binaries(ap, bins)
			return
		}
		if len(bins) == 0 {
			x.fail(ap, "no binary %s", ap.Args[0])
			return
		}
		// probe names the binary as found, as bpftrace's does.
		ap.Args[0] = bins[0]
	}
	switch ap.Kind {
	case ProbeTracepoint:
		x.tracepoint(ap)
	case ProbeRawtracepoint, ProbeKprobe, ProbeKretprobe, ProbeFentry, ProbeFexit, ProbeUprobe, ProbeUretprobe, ProbeUsdt:
		x.targets(ap)
	default:
		x.add(ap)
	}
}

// binaryPattern reports whether a uprobe's or usdt probe's binary may
// name several: a glob, or * or nothing (the traced process's binaries).
func binaryPattern(bin string) bool { return bin == "" || HasWildcard(bin) }

// binaries expands a user probe whose binary is a pattern into one for
// each binary it names that has the probe's target; a binary without it
// is passed over, and the attach point is missing only when none has it.
func (x *pointExpander) binaries(ap *AttachPoint, bins []string) {
	before := len(x.points)
	for _, bin := range bins {
		args := append([]string{bin}, ap.Args[1:]...)
		one := &AttachPoint{Span: ap.Span, Raw: ap.Kind.String() + ":" + strings.Join(args, ":"), Kind: ap.Kind, Args: args}
		found, err := x.env.AttachTargets(one.Kind, one.Args)
		if err != nil || len(found) == 0 {
			continue
		}
		x.addTargets(one, found)
	}
	if len(x.points) == before {
		x.missing = append(x.missing, missingPoint{ap: ap, msg: missingMessage(ap)})
	}
}

// fail reports an attach point that cannot be: it is wrong, not missing.
func (x *pointExpander) fail(ap *AttachPoint, format string, args ...any) *Diagnostic {
	d := x.diags.Add(x.prog.Src, ap, format, args...)
	ap.Kind = ProbeInvalid // reported: the checker passes over it
	x.add(ap)
	return d
}

func (x *pointExpander) tracepoint(ap *AttachPoint) {
	if !HasWildcard(ap.Args[0] + ap.Args[1]) {
		if _, err := x.env.TracepointFormat(ap.Args[0], ap.Args[1]); err != nil {
			x.missing = append(x.missing, missingPoint{ap: ap, msg: err.Error(), keep: true})
			return
		}
		x.add(ap)
		return
	}
	names, err := x.env.Tracepoints(ap.Args[0], ap.Args[1])
	if err != nil {
		x.fail(ap, "%v", err)
		return
	}
	if len(names) == 0 {
		x.missing = append(x.missing, missingPoint{ap: ap, msg: fmt.Sprintf("no tracepoint matches %s:%s", ap.Args[0], ap.Args[1])})
		return
	}
	for _, name := range names {
		cat, event, _ := strings.Cut(name, ":")
		x.add(&AttachPoint{Span: ap.Span, Raw: "tracepoint:" + name, Kind: ProbeTracepoint, Args: []string{cat, event}})
	}
}

// targets expands a kind whose targets the environment lists: kernel
// functions, raw tracepoints, a binary's functions or USDT probes.
func (x *pointExpander) targets(ap *AttachPoint) {
	if sym, _ := ProbeFunc(ap); sym == "" && !ap.Kind.IsUserProbe() {
		x.add(ap) // a kernel address: nothing to look up
		return
	}
	found, err := x.env.AttachTargets(ap.Kind, ap.Args)
	if err != nil {
		x.fail(ap, "%v", err)
		return
	}
	if len(found) == 0 {
		x.missing = append(x.missing, x.missingTarget(ap))
		return
	}
	x.addTargets(ap, found)
}

// addTargets adds ap, or for a pattern the targets it found.
func (x *pointExpander) addTargets(ap *AttachPoint, found [][]string) {
	if !HasTargetWildcard(ap) {
		x.add(ap)
		return
	}
	for _, args := range found {
		raw := ap.Kind.String() + ":" + strings.Join(args, ":")
		x.add(&AttachPoint{Span: ap.Span, Raw: raw, Kind: ap.Kind, Args: args})
	}
}

// missingMessage says that ap names nothing.
func missingMessage(ap *AttachPoint) string {
	pattern := HasTargetWildcard(ap)
	last := ap.Args[len(ap.Args)-1]
	sym, _ := ProbeFunc(ap)
	switch ap.Kind {
	case ProbeRawtracepoint:
		if pattern {
			return "no raw tracepoint matches " + last
		}
		return "the kernel has no raw tracepoint " + strings.Join(ap.Args, ":")
	case ProbeKprobe, ProbeKretprobe:
		if pattern {
			return "no kernel function matches " + last
		}
		if len(ap.Args) == 2 {
			sym = ap.Args[0] + ":" + sym
		}
		return "the kernel has no function " + sym + " that kprobes can probe"
	case ProbeFentry, ProbeFexit:
		if pattern {
			return "no kernel function in BTF matches " + last
		}
		return "the kernel's BTF has no function " + last
	case ProbeUprobe, ProbeUretprobe:
		if binaryPattern(ap.Args[0]) {
			return "no function matches " + last + " in " + binaryWords(ap.Args[0])
		}
		if pattern {
			return "no function of " + ap.Args[0] + " matches " + last
		}
		return ap.Args[0] + " has no function " + sym
	case ProbeUsdt:
		bin, provider, name := UsdtTarget(ap)
		if provider != "" {
			name = provider + ":" + name
		}
		return "no usdt probe " + name + " in " + binaryWords(bin)
	}
	return "nothing matches " + ap.Raw
}

// binaryWords names the binaries a user probe's binary part names.
func binaryWords(bin string) string {
	switch {
	case bin == "":
		return "the binaries of the traced process (-p)"
	case bin == "*":
		return "any binary (*)"
	case HasWildcard(bin):
		return "any binary matching " + bin
	}
	return bin
}

// settle applies missing_probes to the attach points that name nothing.
func (x *pointExpander) settle(missing string) {
	if len(x.missing) == 0 {
		return
	}
	strict := missing == "error" || missing == "" && len(x.points) == 0
	for _, m := range x.missing {
		switch {
		case strict && m.keep:
			x.add(m.ap) // the checker reports it
		case strict:
			x.fail(m.ap, "%s", m.msg).Hint = m.hint
		case missing == "ignore":
		default:
			d := x.diags.Add(x.prog.Src, m.ap, "%s; skipped (missing_probes = %s)", m.msg, cmp.Or(missing, "warn"))
			d.Severity, d.Hint = Warning, m.hint
		}
	}
}

// substituteParams replaces $N in an attach point's parts with the
// positional parameters.
func substituteParams(ap *AttachPoint, params []string) {
	subst := func(s string) string {
		for n := len(params); n >= 1; n-- {
			s = strings.ReplaceAll(s, "$"+strconv.Itoa(n), params[n-1])
		}
		return s
	}
	for i, a := range ap.Args {
		ap.Args[i] = subst(a)
	}
	ap.Raw = subst(ap.Raw)
}

// MatchTargets returns the candidates that args names: each part of args
// is a glob pattern (or a plain name) for the candidate's part at the
// same place. Candidates of another length do not match.
func MatchTargets(candidates [][]string, args []string) [][]string {
	var out [][]string
	for _, c := range candidates {
		if len(c) != len(args) {
			continue
		}
		ok := true
		for i, a := range args {
			m, err := path.Match(a, c[i])
			ok = ok && err == nil && m
		}
		if ok {
			out = append(out, c)
		}
	}
	return out
}

package lang

import (
	"strconv"
	"strings"
)

// expandAttachPoints puts the positional parameters into attach points,
// as bpftrace does (`tracepoint:syscalls:$1`), and replaces each
// tracepoint pattern (`tracepoint:syscalls:sys_enter_exec*`) by the
// tracepoints it matches. An attach point listed twice in a probe is
// attached once. Under missing_probes = warn or ignore, tracepoints that do
// not exist are dropped (with a warning, or silently), and so are probes
// left without attach points.
func expandAttachPoints(prog *Program, env Env, params []string, missing string, diags *Diagnostics) {
	var probes []*Probe
	for _, p := range prog.Probes {
		var points []*AttachPoint
		seen := map[string]bool{}
		add := func(ap *AttachPoint) {
			key := ap.Kind.String() + ":" + strings.Join(ap.Args, ":")
			if ap.Kind == ProbeInvalid || !seen[key] {
				seen[key] = true
				points = append(points, ap)
			}
		}
		for _, ap := range p.Points {
			if ap.Kind != ProbeInvalid && hasParams(ap.Args) {
				substituteParams(ap, params)
				if msg := probeKinds[ap.Kind].check(ap.Args); msg != "" {
					diags.Add(prog.Src, ap, "%s", msg)
					ap.Kind = ProbeInvalid
				}
			}
			if ap.Kind.IsUserProbe() && env != nil {
				// probe names the binary as found, as bpftrace's does.
				path, err := env.BinaryPath(ap.Args[0])
				if err != nil {
					diags.Add(prog.Src, ap, "%v", err)
					ap.Kind = ProbeInvalid
				} else {
					ap.Args[0] = path
				}
			}
			if ap.Kind != ProbeTracepoint || !HasWildcard(ap.Args[0]+ap.Args[1]) || env == nil {
				add(ap)
				continue
			}
			names, err := env.Tracepoints(ap.Args[0], ap.Args[1])
			switch {
			case err != nil:
				diags.Add(prog.Src, ap, "%v", err)
			case len(names) == 0 && missing != "error":
				if missing == "warn" {
					diags.Add(prog.Src, ap, "no tracepoint matches %s:%s; skipped (missing_probes = warn)", ap.Args[0], ap.Args[1]).Severity = Warning
				}
				continue
			case len(names) == 0:
				diags.Add(prog.Src, ap, "no tracepoint matches %s:%s", ap.Args[0], ap.Args[1])
			}
			if len(names) == 0 {
				ap.Kind = ProbeInvalid // reported: the checker passes over it
				add(ap)
				continue
			}
			for _, name := range names {
				cat, event, _ := strings.Cut(name, ":")
				add(&AttachPoint{Span: ap.Span, Raw: "tracepoint:" + name, Kind: ProbeTracepoint, Args: []string{cat, event}})
			}
		}
		p.Points = dropMissing(prog, env, points, missing, diags)
		if len(p.Points) > 0 {
			probes = append(probes, p)
		}
	}
	prog.Probes = probes
}

// dropMissing removes the tracepoints that do not exist, unless
// missing_probes is error (then the checker reports them).
func dropMissing(prog *Program, env Env, points []*AttachPoint, missing string, diags *Diagnostics) []*AttachPoint {
	if missing == "error" || env == nil {
		return points
	}
	var kept []*AttachPoint
	for _, ap := range points {
		if ap.Kind == ProbeTracepoint {
			if _, err := env.TracepointFormat(ap.Args[0], ap.Args[1]); err != nil {
				if missing == "warn" {
					diags.Add(prog.Src, ap, "%v; skipped (missing_probes = warn)", err).Severity = Warning
				}
				continue
			}
		}
		kept = append(kept, ap)
	}
	return kept
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

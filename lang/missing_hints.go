package lang

import (
	"slices"
	"strconv"
	"strings"
)

// missingTarget is the missingPoint of an attach point whose target does
// not exist. For a kernel function or raw tracepoint it also says why and
// what exists instead: a MODULE:NAME when no module MODULE is loaded says
// so; a function the compiler renamed or copied (F.isra.0, F.constprop.0,
// F.cold) or that memory allocation profiling renamed (F_noprof) is
// suggested by the names the kernel has.
func (x *pointExpander) missingTarget(ap *AttachPoint) missingPoint {
	m := missingPoint{ap: ap, msg: missingMessage(ap)}
	switch ap.Kind {
	case ProbeKprobe, ProbeKretprobe, ProbeFentry, ProbeFexit, ProbeRawtracepoint:
	default:
		return m
	}
	if HasTargetWildcard(ap) {
		return m
	}
	sym, _ := ProbeFunc(ap)
	if sym == "" {
		return m
	}
	if len(ap.Args) == 2 {
		mod := ap.Args[0]
		if found, err := x.env.AttachTargets(ap.Kind, []string{mod, "*"}); err == nil && len(found) == 0 {
			m.msg = "no module " + mod + " is loaded: " + ap.Kind.String() + ":" + mod + ":" + sym + " needs it"
			m.hint = "load it (modprobe " + mod + ") before running the script"
			return m
		}
	}
	if ap.Kind == ProbeRawtracepoint {
		return m // no compiler renames tracepoints
	}
	var names []string
	for _, pattern := range []string{sym + ".*", sym + "_noprof"} {
		args := append(append([]string{}, ap.Args[:len(ap.Args)-1]...), pattern)
		found, err := x.env.AttachTargets(ap.Kind, args)
		if err != nil {
			continue
		}
		for _, f := range found {
			if HasWildcard(pattern) {
				names = append(names, f[len(f)-1])
			} else {
				names = append(names, pattern)
			}
		}
	}
	slices.Sort(names)
	switch {
	case len(names) == 1:
		m.hint = "did you mean " + strconv.Quote(names[0]) + "?"
	case len(names) > 1:
		for i, n := range names {
			names[i] = strconv.Quote(n)
		}
		m.hint = "the kernel has " + strings.Join(names, ", ") + ": did you mean one of them?"
	}
	return m
}

package lang

import (
	"errors"
	"fmt"
	"regexp"
)

// ErrNoProbesToAttach is what a script that has nothing to run fails
// with: FilterProbes' error when the filter leaves nothing, the
// runtime's when only test or bench probes are left outside their mode.
// Its text is bpftrace's.
var ErrNoProbesToAttach = errors.New("No probes to attach")

// FilterProbes keeps, of a checked program's attach points, those whose
// name (ProbeName: `interval:ms:200`, `kprobe:vfs_read`, as `probe` says
// it, patterns expanded) filter finds a match in (--probe-filter, as
// bpftrace's: a search, not a whole match); BEGIN and END always stay.
// A probe left without attach points is dropped. When no probe is left
// (or only BEGIN and END, where the script had others), it returns
// ErrNoProbesToAttach. The program must have been checked without errors:
// the checker's types stay valid for what is kept.
func FilterProbes(prog *Program, filter *regexp.Regexp) error {
	if filter == nil {
		return nil
	}
	var probes []*Probe
	events, kept := 0, 0
	for _, p := range prog.Probes {
		var points []*AttachPoint
		for _, ap := range p.Points {
			special := ap.Kind == ProbeBegin || ap.Kind == ProbeEnd
			if !special {
				events++
			}
			if special || filter.MatchString(ProbeName(ap)) {
				points = append(points, ap)
				if !special {
					kept++
				}
			}
		}
		if len(points) > 0 {
			p.Points = points
			probes = append(probes, p)
		}
	}
	prog.Probes = probes
	if kept == 0 && (events > 0 || len(probes) == 0) {
		return fmt.Errorf("%w: --probe-filter matches none of the script's probes", ErrNoProbesToAttach)
	}
	return nil
}

package lang

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The runtime's own probes, which no kernel event fires:
//
//   - self:signal:SIGUSR1 runs each time hawk receives SIGUSR1, while the
//     script runs;
//   - test:NAME runs once under --mode test (--test), which reports
//     whether each test passed;
//   - bench:NAME runs many times under --mode bench (--bench), which
//     prints how long one run takes.
//
// A script run normally leaves test and bench probes out; in test or
// bench mode, only BEGIN, END and that mode's probes run.

// SelfSignals are the signals a self:signal probe may name, as in
// bpftrace.
var SelfSignals = []string{"SIGUSR1"}

func checkSelf(args []string) string {
	if len(args) != 2 || args[0] != "signal" {
		if len(args) > 0 && args[0] != "signal" {
			return strconv.Quote(args[0]) + " is not a trigger of self probes: they are written self:signal:SIGNAL, e.g. self:signal:SIGUSR1"
		}
		return "self probes are written self:signal:SIGNAL, e.g. self:signal:SIGUSR1"
	}
	if !slices.Contains(SelfSignals, args[1]) {
		return args[1] + " is not a signal self probes take (signals: " + strings.Join(SelfSignals, ", ") + ")"
	}
	return ""
}

// checkNamedProbe checks a test or bench attach point: kind:NAME.
func checkNamedProbe(kind string) func(args []string) string {
	return func(args []string) string {
		if len(args) != 1 || args[0] == "" {
			return kind + " probes are written " + kind + ":NAME, with a name"
		}
		return ""
	}
}

// IsSpecial reports whether k is a probe the runtime runs itself, which
// no kernel event fires: BEGIN, END, self, test and bench.
func (k ProbeKind) IsSpecial() bool {
	switch k {
	case ProbeBegin, ProbeEnd, ProbeSelf, ProbeTest, ProbeBench:
		return true
	}
	return false
}

// checkNamedProbes reports a test or bench name given to two probes: the
// results name each probe by it.
func (c *checker) checkNamedProbes() {
	seen := map[string]*AttachPoint{}
	for _, p := range c.prog.Probes {
		for _, ap := range p.Points {
			if ap.Kind != ProbeTest && ap.Kind != ProbeBench {
				continue
			}
			key := ap.Kind.String() + ":" + ap.Args[0]
			if first := seen[key]; first != nil {
				d := c.errorf(ap, "%q names two %s probes", ap.Args[0], ap.Kind)
				d.Hint = fmt.Sprintf("the other is at %d:%d", first.Pos.Line, first.Pos.Column)
				continue
			}
			seen[key] = ap
		}
	}
}

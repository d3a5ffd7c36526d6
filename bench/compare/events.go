package main

import (
	"fmt"
	"strings"

	"github.com/hawktrace/hawk/internal/benchtab"
	"github.com/hawktrace/hawk/internal/throughput"
)

// eventGoals are the per-event goals: at most bpftrace's cost in every
// case, less for count and printf.
var eventGoals = map[string]float64{"count": 0.45, "printf": 0.2}

func eventCaseNames() []string {
	var names []string
	for _, c := range throughput.Cases {
		names = append(names, c.Name)
	}
	return names
}

// eventCases measures the time each traced getppid call costs, per case,
// alternating the tracers, and the events printf loses.
func (h *harness) eventCases(cases []string) []string {
	var names []string
	for _, c := range throughput.Cases {
		if !picked(cases, c.Name) {
			continue
		}
		hs, ps, herr, perr := pair(h, h.reps, func(t tracer) (*throughput.Result, error) {
			return throughput.Measure(t.path, c, h.events)
		})
		goal := 1.0
		if g, ok := eventGoals[c.Name]; ok {
			goal = g
		}
		over := (*throughput.Result).Overhead
		base := func(r *throughput.Result) float64 { return r.Base }
		row := benchtab.Row{Case: "per-event " + c.Name, Unit: benchtab.NsEvent,
			Hawk: medianOf(hs, herr, over), Peer: medianOf(ps, perr, over), Goal: benchtab.RatioGoal(goal),
			Note: fmt.Sprintf("median of %d × %d calls; untraced %.0f ns/call; spread %s", h.reps, h.events,
				medianOf(append(hs, ps...), nil, base).V, spreads(h, hs, ps))}
		h.tab.Add(row)
		names = append(names, row.Case)
		if c.Prints {
			lost := func(rs []*throughput.Result, err error) benchtab.Value {
				if err != nil || len(rs) == 0 {
					return medianOf(rs, err, nil)
				}
				n := 0
				for _, r := range rs {
					n += r.Lost
				}
				return benchtab.Of(float64(n), nil)
			}
			row := benchtab.Row{Case: c.Name + " lost events", Unit: benchtab.Count, Hawk: lost(hs, herr), Peer: lost(ps, perr),
				Goal: benchtab.AbsGoal(0), Note: fmt.Sprintf("of %d × %d events; printed %s", h.reps, h.events, h.printed(hs, ps))}
			h.tab.Add(row)
			names = append(names, row.Case)
		}
	}
	return names
}

// printed says how many events each tracer printed, over all its runs.
func (h *harness) printed(hs, ps []*throughput.Result) string {
	var counts []string
	for i, rs := range [][]*throughput.Result{hs, ps} {
		if len(rs) == 0 {
			continue
		}
		n := 0
		for _, r := range rs {
			n += r.Printed
		}
		counts = append(counts, fmt.Sprintf("%s %d", h.tracers()[i].name, n))
	}
	return strings.Join(counts, ", ")
}

// spreads says, for each tracer, the median of its runs' spreads (the
// interquartile range of a run's traced chunks) and how far its runs'
// overheads lie apart (the largest less the smallest), in ns per call.
func spreads(h *harness, hs, ps []*throughput.Result) string {
	var out []string
	for i, rs := range [][]*throughput.Result{hs, ps} {
		if len(rs) == 0 {
			continue
		}
		var iqr []float64
		lo, hi := rs[0].Overhead(), rs[0].Overhead()
		for _, r := range rs {
			iqr = append(iqr, r.Spread)
			lo, hi = min(lo, r.Overhead()), max(hi, r.Overhead())
		}
		out = append(out, fmt.Sprintf("%s chunks ±%.0f, runs %.0f..%.0f", h.tracers()[i].name, benchtab.Median(iqr)/2, lo, hi))
	}
	return strings.Join(out, "; ")
}

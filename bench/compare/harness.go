package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/hawktrace/hawk/internal/benchtab"
	"github.com/hawktrace/hawk/internal/progcount"
)

// harness runs the cases and collects the table.
type harness struct {
	hawk    tracer
	peer    *tracer // nil: hawk runs alone
	runs    int     // start-up runs per tracer
	reps    int     // per-event runs per tracer
	events  int     // getppid calls per per-event run
	gobench string
	log     io.Writer
	tab     benchtab.Table
	holders []int // other processes seen holding BPF programs
}

// others notes the processes that hold BPF programs now, besides compare
// itself: another tracer's programs may run on the syscalls timed here.
func (h *harness) others() {
	pids, err := progcount.Holders()
	if err != nil {
		fmt.Fprintln(h.log, "compare: listing BPF program holders:", err)
	}
	for _, pid := range pids {
		if !slices.Contains(h.holders, pid) {
			h.holders = append(h.holders, pid)
		}
	}
	slices.Sort(h.holders)
}

// group is a set of cases measured together; run adds their rows and
// returns the names of the rows it must have added.
type group struct {
	name  string
	cases []string // the cases a group:case may pick; nil: none
	run   func(h *harness, cases []string) []string
}

// groups are compare's cases in the table's order.
var groups = []group{
	{name: "begin", run: (*harness).begin},
	{name: "tpinterval", run: (*harness).tpInterval},
	{name: "tools", cases: toolNames, run: (*harness).tools},
	{name: "info", run: (*harness).info},
	{name: "rss", run: (*harness).rssWorst},
	{name: "insns", cases: insnCaseNames(), run: (*harness).insns},
	{name: "events", cases: eventCaseNames(), run: (*harness).eventCases},
	{name: "compile", run: (*harness).compile},
}

func groupNames() []string {
	var names []string
	for _, g := range groups {
		names = append(names, g.name)
	}
	return names
}

// selection is what -cases asks for: whole groups, or some of a group's
// cases.
type selection struct {
	all    bool
	groups map[string][]string // group -> cases (nil: all of them)
}

// parseCases reads -cases: "all", or group and group:case names.
func parseCases(s string) (selection, error) {
	sel := selection{groups: map[string][]string{}}
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "all" {
			sel.all = true
			continue
		}
		name, c, one := strings.Cut(item, ":")
		i := slices.IndexFunc(groups, func(g group) bool { return g.name == name })
		if i < 0 {
			return sel, fmt.Errorf("-cases: no group %q (groups: %s)", name, strings.Join(groupNames(), ", "))
		}
		if !one {
			sel.groups[name] = nil
			continue
		}
		if !slices.Contains(groups[i].cases, c) {
			return sel, fmt.Errorf("-cases: group %s has no case %q (cases: %s)", name, c, strings.Join(groups[i].cases, ", "))
		}
		if cases, ok := sel.groups[name]; !ok || cases != nil {
			sel.groups[name] = append(cases, c)
		}
	}
	return sel, nil
}

// pick returns the cases of g to run (nil: all), and whether g runs.
func (s selection) pick(g group) ([]string, bool) {
	if s.all {
		return nil, true
	}
	cases, ok := s.groups[g.name]
	return cases, ok
}

// picked reports whether case c is among cases (nil: every case).
func picked(cases []string, c string) bool { return cases == nil || slices.Contains(cases, c) }

// tracers returns hawk and, when installed, the peer.
func (h *harness) tracers() []tracer {
	if h.peer == nil {
		return []tracer{h.hawk}
	}
	return []tracer{h.hawk, *h.peer}
}

// pair runs measure for hawk and the peer n times each, alternating: who
// goes first swaps every round. A tracer's first error ends its runs and
// is returned as its error.
func pair[T any](h *harness, n int, measure func(t tracer) (T, error)) (hawk, peer []T, herr, perr error) {
	ts := h.tracers()
	results := make([][]T, 2)
	errs := make([]error, 2)
	for i := range n {
		for j := range ts {
			k := j
			if i%2 == 1 {
				k = len(ts) - 1 - j
			}
			if errs[k] != nil {
				continue
			}
			r, err := measure(ts[k])
			if err != nil {
				errs[k] = err
				continue
			}
			results[k] = append(results[k], r)
		}
	}
	return results[0], results[1], errs[0], errs[1]
}

// medianOf returns the median of f over the results as a table value:
// the error when there is one, nothing when there are no results.
func medianOf[T any](rs []T, err error, f func(T) float64) benchtab.Value {
	if err != nil {
		return benchtab.Of(0, err)
	}
	if len(rs) == 0 {
		return benchtab.Value{}
	}
	xs := make([]float64, len(rs))
	for i, r := range rs {
		xs[i] = f(r)
	}
	return benchtab.Of(benchtab.Median(xs), nil)
}

func wallMs(s sample) float64 { return float64(s.wall.Microseconds()) / 1000 }
func cpuMs(s sample) float64  { return float64(s.cpu.Microseconds()) / 1000 }
func rssMiB(s sample) float64 { return float64(s.rssKiB) / 1024 }

// startupRows adds the rows of a start-up case: its wall time and its
// peak RSS, with the goals given (rssWorst judges the RSS of them all).
func (h *harness) startupRows(name string, wallGoal, rssGoal benchtab.Goal, hs, ps []sample, herr, perr error) []string {
	note := fmt.Sprintf("median of %d", h.runs)
	for i, ss := range [][]sample{hs, ps} {
		resent := 0
		for _, s := range ss {
			resent += s.resent
		}
		if resent > 0 {
			note += fmt.Sprintf("; %s needed %d more SIGINTs", h.tracers()[i].name, resent)
		}
	}
	h.tab.Add(benchtab.Row{Case: name + " wall", Unit: benchtab.Millis, Hawk: medianOf(hs, herr, wallMs),
		Peer: medianOf(ps, perr, wallMs), Goal: wallGoal, Note: note})
	h.tab.Add(benchtab.Row{Case: name + " RSS", Unit: benchtab.MiB, Hawk: medianOf(hs, herr, rssMiB),
		Peer: medianOf(ps, perr, rssMiB), Goal: rssGoal, Note: note})
	return []string{name + " wall", name + " RSS"}
}

// argv is the command line that runs script (text, or a file with
// file set) with t.
func argv(t tracer, script string, file bool) []string {
	if file {
		return []string{t.path, script}
	}
	return []string{t.path, "-e", script}
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := slices.Collect(maps.Keys(m))
	slices.Sort(keys)
	return keys
}

package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hawktrace/hawk/internal/benchtab"
)

// The start-up cases' scripts.
const (
	beginExit  = `BEGIN { exit(); }`
	tpInterval = `tracepoint:syscalls:sys_enter_openat { @[comm] = count(); } interval:ms:10 { exit(); }`
)

// begin: `BEGIN { exit(); }`'s wall time, CPU time and peak RSS.
func (h *harness) begin(_ []string) []string {
	hs, ps, herr, perr := pair(h, h.runs, func(t tracer) (sample, error) { return runOnce(argv(t, beginExit, false)) })
	names := h.startupRows("BEGIN{exit()}", benchtab.RatioGoal(0.05), benchtab.RatioGoal(0.15), hs, ps, herr, perr)
	h.tab.Add(benchtab.Row{Case: "BEGIN{exit()} CPU", Unit: benchtab.Millis, Hawk: medianOf(hs, herr, cpuMs),
		Peer: medianOf(ps, perr, cpuMs), Goal: benchtab.AbsGoal(12), Note: "user+sys"})
	return append(names, "BEGIN{exit()} CPU")
}

// tpInterval: a tracepoint and an interval probe that ends the run.
func (h *harness) tpInterval(_ []string) []string {
	hs, ps, herr, perr := pair(h, h.runs, func(t tracer) (sample, error) { return runOnce(argv(t, tpInterval, false)) })
	return h.startupRows("tp+interval", benchtab.RatioGoal(0.08), benchtab.Goal{}, hs, ps, herr, perr)
}

// info: --info.
func (h *harness) info(_ []string) []string {
	hs, ps, herr, perr := pair(h, h.runs, func(t tracer) (sample, error) { return runOnce([]string{t.path, "--info"}) })
	return h.startupRows("--info", benchtab.RatioGoal(0.5), benchtab.Goal{}, hs, ps, herr, perr)
}

// toolNames are the tools whose start→exit is measured, and whose
// programs are counted.
var toolNames = []string{"opensnoop", "syscount"}

// toolDirs are where the tools' files are looked for, in order: Debian's
// bpftrace package, then the copy make testdeps fetches.
var toolDirs = []string{"/usr/sbin", "/var/cache/hawk-test/bpftrace-tools"}

// toolFile returns the file of the tool name (such as "opensnoop").
func toolFile(name string) (string, error) {
	for _, dir := range toolDirs {
		p := filepath.Join(dir, name+".bt")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no %s.bt in %s (make testdeps fetches it)", name, strings.Join(toolDirs, " or "))
}

// startToExit runs a tool until it attached, interrupts it and returns
// the run from its launch to its exit.
func startToExit(argv []string) (sample, error) {
	r, err := startTracer(argv, scriptLine)
	if err != nil {
		return sample{}, err
	}
	if err := r.waitReady(30 * time.Second); err != nil {
		r.kill()
		return sample{}, err
	}
	return r.interrupt(30 * time.Second)
}

// tools: start→exit of each tool.
func (h *harness) tools(cases []string) []string {
	var names []string
	for _, name := range toolNames {
		if !picked(cases, name) {
			continue
		}
		file, err := toolFile(name)
		hs, ps, herr, perr := pair(h, h.runs, func(t tracer) (sample, error) {
			if err != nil {
				return sample{}, err
			}
			return startToExit(argv(t, file, true))
		})
		names = append(names, h.startupRows(name+".bt start→exit", benchtab.RatioGoal(0.12), benchtab.Goal{}, hs, ps, herr, perr)...)
	}
	return names
}

// rssWorst judges the peak RSS of every start-up case measured: the row
// of the case with the largest ratio (hawk alone: the largest figure; a
// case hawk failed first of all).
func (h *harness) rssWorst(_ []string) []string {
	const name = "RSS worst case"
	row := benchtab.Row{Case: name, Unit: benchtab.MiB, Goal: benchtab.RatioGoal(0.15),
		Hawk: benchtab.Of(0, fmt.Errorf("no start-up case measured"))}
	worst := math.Inf(-1)
	for _, r := range h.tab.Rows {
		if !strings.HasSuffix(r.Case, " RSS") {
			continue
		}
		key, ok := r.Ratio()
		switch {
		case r.Hawk.Err != nil:
			key = math.Inf(1)
		case !ok && h.peer == nil:
			key = r.Hawk.V
		case !ok:
			key = 0 // the peer failed: nothing to judge by
		}
		if key > worst {
			worst, row.Hawk, row.Peer, row.Note = key, r.Hawk, r.Peer, strings.TrimSuffix(r.Case, " RSS")
		}
	}
	h.tab.Add(row)
	return []string{name}
}

package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hawktrace/hawk/internal/benchtab"
	"github.com/hawktrace/hawk/internal/progcount"
)

// insnCase is a script whose programs are counted.
type insnCase struct {
	name, script string
	tool         bool // script names a tool (toolNames), run from its file
}

// insnCases are issue 16's code-size cases (another helper shrinks hawk's
// code against exactly these scripts).
var insnCases = []insnCase{
	{name: "empty", script: `tracepoint:syscalls:sys_enter_getppid { }`},
	{name: "count", script: `tracepoint:syscalls:sys_enter_getppid { @ = count(); }`},
	{name: "count_comm", script: `tracepoint:syscalls:sys_enter_getppid { @[comm] = count(); }`},
	{name: "lat_hist", script: `tracepoint:syscalls:sys_enter_getppid { @[pid] = hist(nsecs); }`},
	{name: "printf", script: `tracepoint:syscalls:sys_enter_getppid { printf("%s %d\n", comm, pid); }`},
	{name: "uprobe", script: `uprobe:/bin/bash:readline { @[comm] = count(); }`},
	{name: "syscount", tool: true},
	{name: "opensnoop", tool: true},
}

func insnCaseNames() []string {
	var names []string
	for _, c := range insnCases {
		names = append(names, c.name)
	}
	return names
}

// insns counts the programs each tracer holds for each case.
func (h *harness) insns(cases []string) []string {
	var names []string
	for _, c := range insnCases {
		if !picked(cases, c.name) {
			continue
		}
		row := benchtab.Row{Case: "insns " + c.name, Unit: benchtab.Insns, Goal: benchtab.RatioGoal(1.0)}
		var notes []string
		for _, t := range h.tracers() {
			progs, err := h.countCase(t, c)
			v := benchtab.Of(float64(progcount.Total(progs)), err)
			if t == h.hawk {
				row.Hawk = v
			} else {
				row.Peer = v
			}
			notes = append(notes, fmt.Sprint(len(progs)))
		}
		row.Note = "programs " + strings.Join(notes, " / ")
		h.tab.Add(row)
		names = append(names, row.Case)
	}
	return names
}

// countCase runs case c with t until it attached, counts the programs it
// holds and interrupts it.
func (h *harness) countCase(t tracer, c insnCase) ([]progcount.Program, error) {
	args, when := argv(t, c.script, false), anyLine
	if c.tool {
		file, err := toolFile(c.name)
		if err != nil {
			return nil, err
		}
		args, when = argv(t, file, true), scriptLine
	}
	r, err := startTracer(args, when)
	if err != nil {
		return nil, err
	}
	if err := r.waitReady(30 * time.Second); err != nil {
		r.kill()
		return nil, err
	}
	progs, err := heldPrograms(r.cmd.Process.Pid)
	if err != nil {
		r.kill()
		return nil, err
	}
	if _, err := r.interrupt(30 * time.Second); err != nil {
		return nil, err
	}
	return progs, nil
}

// heldPrograms waits until the set of programs pid holds is not empty
// and has not changed for half a second (a tracer may still be loading
// after its banner), then counts them.
func heldPrograms(pid int) ([]progcount.Program, error) {
	const quiet, limit = 500 * time.Millisecond, 15 * time.Second
	var last []progcount.Program
	start, since := time.Now(), time.Now()
	for time.Since(start) < limit {
		progs, err := progcount.Programs(pid)
		if err != nil {
			return nil, err
		}
		if !slices.Equal(progs, last) {
			last, since = progs, time.Now()
		} else if len(progs) > 0 && time.Since(since) >= quiet {
			return progs, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil, fmt.Errorf("its programs did not settle in %v (%d held)", limit, len(last))
}

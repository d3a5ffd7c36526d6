// Command compare prints the table `make bench` ends with: hawk beside
// bpftrace on the cases of issue 16, run alternately in the same run
// (hawk, bpftrace, bpftrace, hawk, ...: who goes first swaps every round,
// so drifts of a shared machine fall on both), with each case's ratio
// (hawk / bpftrace), its goal and whether hawk meets it (ok or MISS; n/a
// where a ratio goal has no ratio). Without bpftrace hawk runs alone and
// every ratio is n/a. Needs root.
//
// The cases (groups for -cases; a group:case picks one case of a group):
//
//   - begin: `BEGIN { exit(); }` run to its exit, RUNS times each: the
//     median wall time (launch to exit, as wait4 returns), CPU time (user
//     and system time from wait4's rusage) and peak RSS (ru_maxrss).
//   - tpinterval: `tracepoint:syscalls:sys_enter_openat { @[comm] =
//     count(); } interval:ms:10 { exit(); }`: the same figures.
//   - tools: opensnoop.bt and syscount.bt, the same file for both tracers
//     (/usr/sbin/NAME.bt when present, else
//     /var/cache/hawk-test/bpftrace-tools/NAME.bt): start→exit is the wall
//     time from launching the tracer until it has exited, where the
//     harness sends SIGINT as soon as the tracer printed the tool's first
//     line on stdout that is not the tracer's own "Attaching"/"Attached"
//     banner (the tool's BEGIN message, which both tracers print once
//     every probe is attached). Median of RUNS. A tracer that has not
//     exited 2 s after SIGINT gets another (bpftrace 0.17 here misses
//     the first now and then and would run on; internal/benchproc): the
//     time from the first SIGINT to the one heeded is left out of the
//     wall time, and the note counts the SIGINTs sent again.
//   - info: `--info` run to its exit.
//   - rss: each start-up case's median peak RSS has a row; the goal rows
//     are `BEGIN { exit(); }`'s and "RSS worst case", the case with the
//     largest ratio.
//   - insns: xlated instructions of every program the tracer holds
//     (BEGIN/END included), counted from outside as internal/progcount
//     does, once the tracer attached (first output line: banner or tool
//     line) and its set of programs has not changed for half a second.
//     One run per case (the count does not vary).
//   - events: the CPU time each traced getppid call costs the calling
//     thread over the untraced loop (internal/throughput: median
//     1,000-call chunk by the thread's CPU clock), median of REPS runs of
//     EVENTS calls per tracer, alternating; printf also counts the events
//     lost (goal: none) and printed.
//   - compile: BenchmarkCompile1000Lines and BenchmarkCompile10000Lines,
//     from -gobench FILE (go test -bench output) or, without it, by
//     running go test -bench Compile in the module's root; hawk only.
//     Peak memory is the benchmark's own peak metric (a unit containing
//     "peak"), or without one the peak RSS of the root package's test
//     binary running the benchmark once. Other Compile benchmarks in the
//     output get a row without a goal.
//
// Before each group, compare notes the other processes that hold BPF
// programs (another tracer's programs may run on the calls timed here):
// the table lists them under it.
//
// A tracer that fails a case shows the error in that case's row; the table
// still completes. compare exits non-zero only when the harness itself
// fails (no hawk, a row missing, a bad flag).
//
// Usage: go run ./bench/compare [-hawk bin/hawk] [-peer bpftrace|none]
// [-runs N] [-reps N] [-events N] [-cases begin,insns:count,...] [-gobench FILE]
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/hawktrace/hawk/internal/benchtab"
)

// tracer is hawk or its peer.
type tracer struct{ name, path string }

// options are compare's flags.
type options struct {
	hawk, peer     string
	runs, reps     int
	events         int
	cases, gobench string
}

func main() {
	var o options
	runs := 20
	if v, err := strconv.Atoi(os.Getenv("RUNS")); err == nil && v > 0 {
		runs = v
	}
	flag.StringVar(&o.hawk, "hawk", "bin/hawk", "hawk's binary")
	flag.StringVar(&o.peer, "peer", "bpftrace", `the tracer to compare with; "none" runs hawk alone`)
	flag.IntVar(&o.runs, "runs", runs, "runs of each start-up case per tracer (median); RUNS sets the default")
	flag.IntVar(&o.reps, "reps", 3, "runs of each per-event case per tracer (median)")
	flag.IntVar(&o.events, "events", 1000000, "getppid calls traced in each per-event run")
	flag.StringVar(&o.cases, "cases", "all", "comma-separated groups or group:case to run: "+strings.Join(groupNames(), ", "))
	flag.StringVar(&o.gobench, "gobench", "", "go test -bench output to read the compile benchmarks from (default: run go test)")
	flag.Parse()
	tab, err := run(o, os.Stderr)
	if err == nil {
		err = tab.Print(os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

// run measures the selected cases and returns the table. Progress goes
// to log.
func run(o options, log io.Writer) (*benchtab.Table, error) {
	hawkPath, err := exec.LookPath(o.hawk)
	if err != nil {
		return nil, fmt.Errorf("hawk: %w", err)
	}
	h := &harness{hawk: tracer{"hawk", hawkPath}, runs: max(1, o.runs), reps: max(1, o.reps),
		events: max(1, o.events), gobench: o.gobench, log: log}
	if o.peer != "none" && o.peer != "" {
		if p, err := exec.LookPath(o.peer); err == nil {
			h.peer = &tracer{"bpftrace", p}
		} else {
			fmt.Fprintf(log, "compare: %s not found: hawk runs alone, ratios are n/a\n", o.peer)
		}
	}
	h.tab.PeerName = "bpftrace"
	if h.peer == nil {
		h.tab.PeerName = "bpftrace (absent)"
	}
	sel, err := parseCases(o.cases)
	if err != nil {
		return nil, err
	}
	var want []string
	for _, g := range groups {
		if names, ok := sel.pick(g); ok {
			fmt.Fprintf(log, "compare: %s...\n", g.name)
			h.others()
			want = append(want, g.run(h, names)...)
		}
	}
	if len(h.holders) > 0 {
		h.tab.Notes = append(h.tab.Notes, fmt.Sprintf("other processes held BPF programs during the run (pids %v): "+
			"their programs may run on the calls timed here and skew the figures", h.holders))
	}
	for _, c := range want {
		if _, ok := h.tab.Find(c); !ok {
			return &h.tab, fmt.Errorf("row %q is missing from the table", c)
		}
	}
	return &h.tab, nil
}

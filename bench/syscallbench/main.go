// Command syscallbench decides with measurements how hawk should attach
// tracepoint:syscalls:sys_enter_X probes: through the per-syscall perf
// tracepoint syscalls:sys_enter_X (BPF_PROG_TYPE_TRACEPOINT attached with
// perf_event_open), or through the raw tracepoint sys_enter
// (BPF_PROG_TYPE_RAW_TRACEPOINT), whose program runs for every syscall and
// must compare the syscall number ctx[1] with X's and read the arguments
// from the struct pt_regs * in ctx[0].
//
// It loads small hand-written programs and times, on a locked OS thread, a
// tight loop of getppid (the probed syscall) and of getpid (a syscall no
// probe asks for), reporting the ns per call each configuration adds over
// the untraced loop:
//
//   - perf tracepoint: an empty program, and a per-CPU counter (@ = count());
//   - raw tracepoint: an empty program; the id check and the counter; the
//     id check, two arguments read with bpf_probe_read_kernel, the counter;
//   - the same as tp_btf, which reads the arguments with plain loads;
//   - ten probes (ten syscalls): ten perf tracepoints, ten raw tracepoint
//     programs, and one raw tracepoint program tail-calling the probe's
//     program through a table indexed by syscall number.
//
// Every counting configuration checks that its counter saw each getppid call
// and none of the getpid calls, the argument readers that they read in each
// call the registers the loop passed, and every configuration that its first
// program ran, so a number cannot come from a probe that never fired.
//
// It also times attaching and closing one and four probes of each kind,
// closing the four one after another and from four goroutines at once:
// closing a perf tracepoint waits for RCU grace periods.
//
// Needs root: go run ./bench/syscallbench [-n calls] [-reps runs] [-json]
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"
)

// The loop passes these in getppid's unused argument registers (di and si);
// the program that reads arguments from pt_regs must find them there.
const argDI, argSI = 0x1111, 0x2222

// probes are the syscalls a ten-probe script traces; getppid comes first,
// and getpid, the unprobed syscall, is not among them.
var probes = []struct {
	name string
	nr   int
}{
	{"getppid", unix.SYS_GETPPID}, {"getuid", unix.SYS_GETUID}, {"getgid", unix.SYS_GETGID},
	{"geteuid", unix.SYS_GETEUID}, {"getegid", unix.SYS_GETEGID}, {"getpgrp", unix.SYS_GETPGRP},
	{"gettid", unix.SYS_GETTID}, {"getpgid", unix.SYS_GETPGID}, {"getsid", unix.SYS_GETSID},
	{"getrusage", unix.SYS_GETRUSAGE},
}

// config is one way of tracing probes[:progs].
type config struct {
	name  string
	progs int
	raw   bool // raw tracepoint sys_enter, else perf tracepoint syscalls:sys_enter_X
	btf   bool // raw: as tp_btf, reading pt_regs with direct loads
	tail  bool // raw: one program tail-calls the probe's by syscall number
	check bool // compare ctx[1] with the syscall number
	args  bool // read di and si from pt_regs into the stack
	count bool // increment the per-CPU counter of the probe
}

var configs = []config{
	{name: "baseline, nothing attached"},
	{name: "perf tp sys_enter_getppid, empty", progs: 1},
	{name: "perf tp sys_enter_getppid, count", progs: 1, count: true},
	{name: "raw tp sys_enter, empty", progs: 1, raw: true},
	{name: "raw tp sys_enter, id check, count", progs: 1, raw: true, check: true, count: true},
	{name: "raw tp sys_enter, id check, 2 args, count", progs: 1, raw: true, check: true, args: true, count: true},
	{name: "tp_btf sys_enter, id check, 2 args, count", progs: 1, raw: true, btf: true, check: true, args: true, count: true},
	{name: "10 perf tps, count", progs: 10, count: true},
	{name: "10 raw tps, id check, count", progs: 10, raw: true, check: true, count: true},
	{name: "1 raw tp tail-calling 10 by id, count", progs: 10, raw: true, tail: true, count: true},
	{name: "baseline again"},
}

// value is one per-CPU counter slot: the calls counted, and those of them
// whose arguments read were the loop's.
type value struct{ Count, Matched uint64 }

var counters *ebpf.Map

var settle time.Duration

// load returns the program for probes[i] under c; its counter is slot i.
func load(c config, i int) (*ebpf.Program, error) {
	var insns asm.Instructions
	if c.check {
		insns = append(insns,
			asm.LoadMem(asm.R2, asm.R1, 8, asm.DWord), // ctx[1]: the syscall number
			asm.JNE.Imm(asm.R2, int32(probes[i].nr), "out"))
	}
	if c.args {
		insns = append(insns, asm.LoadMem(asm.R6, asm.R1, 0, asm.DWord)) // ctx[0]: struct pt_regs *
		for _, a := range []struct{ stack, reg int16 }{{-16, 112}, {-24, 104}} {
			if c.btf { // the verifier knows R6's type and makes this a fault-safe load
				insns = append(insns, asm.LoadMem(asm.R2, asm.R6, a.reg, asm.DWord), asm.StoreMem(asm.RFP, a.stack, asm.R2, asm.DWord))
				continue
			}
			insns = append(insns,
				asm.Mov.Reg(asm.R1, asm.RFP), asm.Add.Imm(asm.R1, int32(a.stack)),
				asm.Mov.Imm(asm.R2, 8),
				asm.Mov.Reg(asm.R3, asm.R6), asm.Add.Imm(asm.R3, int32(a.reg)),
				asm.FnProbeReadKernel.Call())
		}
	}
	if c.count {
		insns = append(insns,
			asm.StoreImm(asm.RFP, -4, int64(i), asm.Word),
			asm.LoadMapPtr(asm.R1, counters.FD()),
			asm.Mov.Reg(asm.R2, asm.RFP), asm.Add.Imm(asm.R2, -4),
			asm.FnMapLookupElem.Call(),
			asm.JEq.Imm(asm.R0, 0, "out"),
			asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord),
			asm.Add.Imm(asm.R1, 1),
			asm.StoreMem(asm.R0, 0, asm.R1, asm.DWord))
		if c.args { // count the calls whose di and si are the loop's
			insns = append(insns,
				asm.LoadMem(asm.R1, asm.RFP, -16, asm.DWord), asm.JNE.Imm(asm.R1, argDI, "out"),
				asm.LoadMem(asm.R1, asm.RFP, -24, asm.DWord), asm.JNE.Imm(asm.R1, argSI, "out"),
				asm.LoadMem(asm.R1, asm.R0, 8, asm.DWord),
				asm.Add.Imm(asm.R1, 1),
				asm.StoreMem(asm.R0, 8, asm.R1, asm.DWord))
		}
	}
	insns = append(insns, asm.Mov.Imm(asm.R0, 0).WithSymbol("out"), asm.Return())
	return loadInsns(c, insns)
}

func loadInsns(c config, insns asm.Instructions) (*ebpf.Program, error) {
	spec := &ebpf.ProgramSpec{Type: ebpf.TracePoint, Instructions: insns, License: "GPL"}
	switch {
	case c.btf:
		spec.Type, spec.AttachType, spec.AttachTo = ebpf.Tracing, ebpf.AttachTraceRawTp, "sys_enter"
	case c.raw:
		spec.Type = ebpf.RawTracepoint
	}
	p, err := ebpf.NewProgram(spec)
	if err == nil {
		if info, err := p.Info(); err == nil {
			if id, ok := info.ID(); ok {
				ours[id] = true
			}
		}
	}
	return p, err
}

// ours holds the ids of the programs this command loaded, others those of
// other programs and whether they could run on the loop's syscalls.
var ours, others = map[ebpf.ProgramID]bool{}, map[ebpf.ProgramID]bool{}

// busy reports whether a BPF program this command did not load and that
// could run on the loop's syscalls exists: a tracepoint, raw tracepoint,
// tp_btf or perf event program, as the tests of other hawk developers load
// on a shared machine. (Kprobe programs are uprobes here: kprobes do not work.)
func busy() bool {
	var id ebpf.ProgramID
	for {
		next, err := ebpf.ProgramGetNextID(id)
		if err != nil {
			return false
		}
		id = next
		if ours[id] {
			continue
		}
		if _, ok := others[id]; !ok {
			if p, err := ebpf.NewProgramFromID(id); err == nil {
				others[id] = p.Type() != ebpf.Kprobe
				p.Close()
			}
		}
		if others[id] {
			return true
		}
	}
}

// quietly runs f until no other tracer was busy before or after it,
// and returns how many runs it discarded.
func quietly(f func()) int {
	for tries := 0; ; tries++ {
		if !busy() {
			f()
			if !busy() {
				return tries
			}
		}
		if tries == 300 {
			fatal(fmt.Errorf("other tracers stayed loaded for %d tries", tries))
		}
		time.Sleep(settle)
	}
}

// dispatch attaches to sys_enter one program that tail-calls table[ctx[1]],
// probes[i]'s program at its syscall number; a syscall without a probe
// falls through. The kernel empties the table when its last file
// descriptor closes, so the caller keeps it open while tracing.
func dispatch(c config, progs []*ebpf.Program) (*ebpf.Program, link.Link, *ebpf.Map, error) {
	table, err := ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.ProgramArray, KeySize: 4, ValueSize: 4, MaxEntries: 512})
	if err != nil {
		return nil, nil, nil, err
	}
	for i, p := range progs {
		if err := table.Put(uint32(probes[i].nr), p); err != nil {
			table.Close()
			return nil, nil, nil, err
		}
	}
	d, err := loadInsns(c, asm.Instructions{
		asm.LoadMem(asm.R3, asm.R1, 8, asm.DWord), // ctx[1]: the syscall number
		asm.LoadMapPtr(asm.R2, table.FD()),
		asm.FnTailCall.Call(),
		asm.Mov.Imm(asm.R0, 0),
		asm.Return(),
	})
	if err != nil {
		table.Close()
		return nil, nil, nil, err
	}
	l, err := link.AttachRawTracepoint(link.RawTracepointOptions{Name: "sys_enter", Program: d})
	if err != nil {
		d.Close()
		table.Close()
		return nil, nil, nil, err
	}
	return d, l, table, nil
}

// attach loads and attaches the programs of c; closing links detaches them.
func attach(c config) (progs []*ebpf.Program, links []io.Closer, err error) {
	for i := range c.progs {
		p, err := load(c, i)
		if err != nil {
			return progs, links, fmt.Errorf("%s: load: %w", c.name, err)
		}
		progs = append(progs, p)
		if c.tail {
			continue
		}
		l, err := attachOne(c, i, p)
		if err != nil {
			return progs, links, fmt.Errorf("%s: attach: %w", c.name, err)
		}
		links = append(links, l)
	}
	if c.tail {
		d, l, table, err := dispatch(c, progs)
		if err != nil {
			return progs, links, fmt.Errorf("%s: dispatch: %w", c.name, err)
		}
		progs, links = append([]*ebpf.Program{d}, progs...), []io.Closer{l, table}
	}
	return progs, links, nil
}

// attachOne attaches p, the program of probes[i] under c.
func attachOne(c config, i int, p *ebpf.Program) (link.Link, error) {
	switch {
	case c.btf:
		return link.AttachTracing(link.TracingOptions{Program: p})
	case c.raw:
		return link.AttachRawTracepoint(link.RawTracepointOptions{Name: "sys_enter", Program: p})
	}
	return link.Tracepoint("syscalls", "sys_enter_"+probes[i].name, p, nil)
}

func closeAll[C io.Closer](progs []*ebpf.Program, links []C) {
	for _, l := range links {
		l.Close()
	}
	for _, p := range progs {
		p.Close()
	}
}

// loop makes n calls of syscall nr and returns ns per call.
func loop(nr uintptr, n int) float64 {
	start := time.Now()
	for range n {
		unix.RawSyscallNoError(nr, argDI, argSI, 0)
	}
	return float64(time.Since(start).Nanoseconds()) / float64(n)
}

// slot returns counter slot i summed over the CPUs.
func slot(i int) (sum value) {
	var vs []value
	if err := counters.Lookup(uint32(i), &vs); err != nil {
		fatal(err)
	}
	for _, v := range vs {
		sum.Count += v.Count
		sum.Matched += v.Matched
	}
	return sum
}

// stat is one timing: every run, and their median and minimum.
type stat struct {
	Runs   []float64 `json:"runs"`
	Median float64   `json:"median"`
	Min    float64   `json:"min"`
}

func newStat(runs []float64) stat {
	s := slices.Sorted(slices.Values(runs))
	return stat{Runs: runs, Median: s[len(s)/2], Min: s[0]}
}

// row is the result of one config: ns per call of each loop and how many
// getppid and getpid calls the getppid counter counted.
type row struct {
	Config         string `json:"config"`
	Getppid        stat   `json:"getppid_ns"`
	Getpid         stat   `json:"getpid_ns"`
	CountedGetppid uint64 `json:"counted_getppid,omitempty"`
	CountedGetpid  uint64 `json:"counted_getpid,omitempty"`
	Discarded      int    `json:"discarded_runs"` // another tracer was loaded
}

func measure(c config, n, reps int) (row, error) {
	progs, links, err := attach(c)
	defer closeAll(progs, links)
	if err != nil {
		return row{}, err
	}
	// Syscalls ran ~20 ns slower for a while after the previous config
	// detached (likely while the RCU grace periods it started were
	// pending); a second's wait before timing removes that.
	time.Sleep(settle)
	r := row{Config: c.name}
	var runs [2][]float64
	var matched uint64
	var t float64
	for i, nr := range []uintptr{unix.SYS_GETPPID, unix.SYS_GETPID} {
		before := slot(0)
		for range reps {
			r.Discarded += quietly(func() { t = loop(nr, n) })
			runs[i] = append(runs[i], t)
		}
		after := slot(0)
		if i == 0 {
			r.CountedGetppid, matched = after.Count-before.Count, after.Matched-before.Matched
		} else {
			r.CountedGetpid = after.Count - before.Count
		}
	}
	r.Getppid, r.Getpid = newStat(runs[0]), newStat(runs[1])
	// Other processes may call getppid too, and are counted as well: the
	// counts are lower bounds. (The benchmarks of other hawk developers make
	// millions of getppid calls.)
	calls := uint64(n * reps)
	if c.count && r.CountedGetppid < calls {
		return r, fmt.Errorf("%s: counted %d getppid calls of %d", c.name, r.CountedGetppid, calls)
	}
	if c.count && r.CountedGetpid >= calls {
		return r, fmt.Errorf("%s: counted %d of %d getpid calls as getppid", c.name, r.CountedGetpid, calls)
	}
	if c.args && matched < calls {
		return r, fmt.Errorf("%s: read di=%#x si=%#x from pt_regs in %d getppid calls of %d", c.name, argDI, argSI, matched, calls)
	}
	if len(progs) > 0 {
		if err := ran(progs[0], 10000); err != nil {
			return r, fmt.Errorf("%s: %w", c.name, err)
		}
	}
	return r, nil
}

// ran checks, with run statistics enabled only for the check, that p runs
// on each of k getppid calls.
func ran(p *ebpf.Program, k int) error {
	st, err := ebpf.EnableStats(unix.BPF_STATS_RUN_TIME)
	if err != nil {
		return err
	}
	defer st.Close()
	before, err := p.Stats()
	if err != nil {
		return err
	}
	loop(unix.SYS_GETPPID, k)
	after, err := p.Stats()
	if err != nil {
		return err
	}
	if d := after.RunCount - before.RunCount; d < uint64(k) {
		return fmt.Errorf("program ran %d times on %d getppid calls", d, k)
	}
	return nil
}

// lifecycle is the time to attach and to close probes.
type lifecycle struct {
	Case      string `json:"case"`
	Attach    stat   `json:"attach_ms"`
	Close     stat   `json:"close_ms"`
	Discarded int    `json:"discarded_runs"` // another tracer was loaded
}

// attachClose times attaching k probes of one kind and closing their links,
// one after another or from k goroutines at once.
func attachClose(raw bool, k int, concurrent bool, reps int) (lifecycle, error) {
	kind, how := "perf tp", "serially"
	if raw {
		kind = "raw tp"
	}
	if concurrent {
		how = "concurrently"
	}
	lc := lifecycle{Case: fmt.Sprintf("%d %s, closed %s", k, kind, how)}
	c := config{name: lc.Case, progs: k, raw: raw, check: raw, count: true}
	var progs []*ebpf.Program
	defer func() { closeAll[link.Link](progs, nil) }()
	for i := range k {
		p, err := load(c, i)
		if err != nil {
			return lc, err
		}
		progs = append(progs, p)
	}
	var att, cls []float64
	var a, cl float64
	var err error
	for range reps {
		time.Sleep(settle)
		lc.Discarded += quietly(func() {
			start := time.Now()
			var links []link.Link
			for i, p := range progs {
				var l link.Link
				if l, err = attachOne(c, i, p); err != nil {
					closeAll(nil, links)
					return
				}
				links = append(links, l)
			}
			a = ms(time.Since(start))
			start = time.Now()
			var wg sync.WaitGroup
			for _, l := range links {
				if concurrent {
					wg.Go(func() { l.Close() })
				} else {
					l.Close()
				}
			}
			wg.Wait()
			cl = ms(time.Since(start))
		})
		if err != nil {
			return lc, err
		}
		att, cls = append(att, a), append(cls, cl)
	}
	lc.Attach, lc.Close = newStat(att), newStat(cls)
	return lc, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "syscallbench:", err)
	os.Exit(1)
}

func main() {
	n := flag.Int("n", 2000000, "syscalls per timed run")
	reps := flag.Int("reps", 5, "timed runs per measurement; the table shows their median")
	asJSON := flag.Bool("json", false, "print the results as JSON")
	flag.DurationVar(&settle, "settle", time.Second, "wait after attaching before timing (the last detach slows syscalls for a while)")
	flag.Parse()
	runtime.LockOSThread()

	var err error
	counters, err = ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: 16, MaxEntries: uint32(len(probes))})
	if err != nil {
		fatal(err)
	}
	var rows []row
	for _, c := range configs {
		r, err := measure(c, *n, *reps)
		if err != nil {
			fatal(err)
		}
		rows = append(rows, r)
	}
	var lcs []lifecycle
	for _, raw := range []bool{false, true} {
		for _, k := range []struct {
			n          int
			concurrent bool
		}{{1, false}, {4, false}, {4, true}} {
			lc, err := attachClose(raw, k.n, k.concurrent, *reps)
			if err != nil {
				fatal(err)
			}
			lcs = append(lcs, lc)
		}
	}

	if *asJSON {
		e := json.NewEncoder(os.Stdout)
		e.SetIndent("", "  ")
		if err := e.Encode(struct {
			N         int         `json:"n"`
			Reps      int         `json:"reps"`
			Loops     []row       `json:"loops"`
			Lifecycle []lifecycle `json:"lifecycle"`
		}{*n, *reps, rows, lcs}); err != nil {
			fatal(err)
		}
		return
	}
	base := rows[0]
	fmt.Printf("ns per call, median of %d runs of %d calls (+added over baseline, median / min)\n", *reps, *n)
	fmt.Printf("%-44s %22s %22s %9s %6s\n", "config", "getppid (probed)", "getpid (unprobed)", "counted", "redone")
	for _, r := range rows {
		fmt.Printf("%-44s %22s %22s %9d %6d\n", r.Config,
			cell(r.Getppid, base.Getppid), cell(r.Getpid, base.Getpid), r.CountedGetppid, r.Discarded)
	}
	fmt.Printf("\nms, median of %d (min)\n%-44s %16s %16s %6s\n", *reps, "case", "attach", "close", "redone")
	for _, lc := range lcs {
		fmt.Printf("%-44s %8.2f (%5.2f) %8.2f (%5.2f) %6d\n", lc.Case, lc.Attach.Median, lc.Attach.Min, lc.Close.Median, lc.Close.Min, lc.Discarded)
	}
	fmt.Println("(redone: runs timed again because another tracer's BPF program was loaded)")
}

func cell(s, base stat) string {
	return fmt.Sprintf("%6.1f %+6.1f/%+6.1f", s.Median, s.Median-base.Median, s.Min-base.Min)
}

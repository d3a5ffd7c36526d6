package runtime

import (
	"errors"
	"fmt"
	"io"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/runtime/kernel"
)

// perfLink is a BPF link to a perf event, and the event.
type perfLink struct {
	link link.Link
	fd   int
}

func (p *perfLink) Close() error {
	err := p.link.Close()
	unix.Close(p.fd)
	return err
}

// perfEvent opens a perf event and attaches prog to it.
func perfEvent(prog *ebpf.Program, attr *unix.PerfEventAttr, pid, cpu int) (io.Closer, error) {
	fd, err := kernel.OpenPerfEvent(*attr, pid, cpu)
	if err != nil {
		return nil, err
	}
	l, err := link.AttachRawLink(link.RawLinkOptions{Target: fd, Program: prog, Attach: ebpf.AttachPerfEvent})
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	return &perfLink{link: l, fd: fd}, nil
}

// perfEventOnCPUs opens the event on every online CPU, for the process
// pid (-1: all processes), as bpftrace's profile and software probes do.
func perfEventOnCPUs(prog *ebpf.Program, attr unix.PerfEventAttr, pid int) (io.Closer, error) {
	cpus, err := kernel.OnlineCPUs()
	if err != nil {
		return nil, err
	}
	var cs closers
	for _, cpu := range cpus {
		a := attr
		c, err := perfEvent(prog, &a, pid, cpu)
		if err != nil {
			cs.Close()
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, nil
}

// pidOrAll is the pid argument of perf_event_open: the traced process,
// or -1 for all.
func pidOrAll(t target) int {
	if t.pid > 0 {
		return t.pid
	}
	return -1
}

// inherit makes an event on one process follow the threads and children
// it creates from now on (a -c command starts with one thread).
func inherit(attr *unix.PerfEventAttr, t target) {
	if t.pid > 0 {
		attr.Bits |= unix.PerfBitInherit
	}
}

// attachInterval fires prog every period nanoseconds on one CPU, from a
// software cpu-clock perf event, as bpftrace's interval probes do.
func attachInterval(prog *ebpf.Program, ap *codegen.AttachMeta, _ target) (io.Closer, error) {
	attr := unix.PerfEventAttr{Type: unix.PERF_TYPE_SOFTWARE, Config: unix.PERF_COUNT_SW_CPU_CLOCK, Sample: ap.PeriodNs}
	c, err := perfEvent(prog, &attr, -1, 0)
	if err != nil {
		return nil, fmt.Errorf("opening a cpu-clock perf event: %w", err)
	}
	return c, nil
}

// attachProfile fires prog every period on every CPU. A frequency
// (profile:hz:99) samples at that rate; a period, every so long.
func attachProfile(prog *ebpf.Program, ap *codegen.AttachMeta, t target) (io.Closer, error) {
	attr := unix.PerfEventAttr{Type: unix.PERF_TYPE_SOFTWARE, Config: unix.PERF_COUNT_SW_CPU_CLOCK, Sample: ap.PeriodNs}
	if ap.Args[0] == "hz" {
		attr.Bits |= unix.PerfBitFreq
		attr.Sample = 1e9 / ap.PeriodNs
	}
	inherit(&attr, t)
	c, err := perfEventOnCPUs(prog, attr, pidOrAll(t))
	if err != nil {
		return nil, fmt.Errorf("opening a cpu-clock perf event: %w", err)
	}
	return c, nil
}

func attachSoftware(prog *ebpf.Program, ap *codegen.AttachMeta, t target) (io.Closer, error) {
	attr := unix.PerfEventAttr{Type: unix.PERF_TYPE_SOFTWARE, Config: ap.PerfConfig, Sample: ap.PerfCount}
	inherit(&attr, t)
	c, err := perfEventOnCPUs(prog, attr, pidOrAll(t))
	if err != nil {
		return nil, fmt.Errorf("opening software event %s: %w", ap.Args[0], err)
	}
	return c, nil
}

// attachHardware counts a CPU event; a machine without a PMU, such as
// most virtual machines, has none to count.
func attachHardware(prog *ebpf.Program, ap *codegen.AttachMeta, t target) (io.Closer, error) {
	attr := unix.PerfEventAttr{Type: unix.PERF_TYPE_HARDWARE, Config: ap.PerfConfig, Sample: ap.PerfCount}
	inherit(&attr, t)
	c, err := perfEventOnCPUs(prog, attr, pidOrAll(t))
	if kernel.NoPMU(err) {
		return nil, fmt.Errorf("this machine has no hardware performance counters for %s (no PMU: perf_event_open says %v)", ap.Args[0], err)
	}
	if err != nil {
		return nil, fmt.Errorf("opening hardware event %s: %w", ap.Args[0], err)
	}
	return c, nil
}

// Breakpoint types of perf_event_attr.bp_type (linux/hw_breakpoint.h).
const (
	hwBreakpointR = 1
	hwBreakpointW = 2
	hwBreakpointX = 4
)

// attachWatchpoint sets a hardware breakpoint on an address: in the
// process -p or -c names, on each of its threads and on those they
// create, else in the kernel (or every process), on every CPU. An
// execute breakpoint covers an instruction: the kernel wants its length
// to be that of a long, whatever the probe says, as in bpftrace.
func attachWatchpoint(prog *ebpf.Program, ap *codegen.AttachMeta, t target) (io.Closer, error) {
	w := ap.Watch
	var bp uint32
	for _, c := range w.Mode {
		switch c {
		case 'r':
			bp |= hwBreakpointR
		case 'w':
			bp |= hwBreakpointW
		case 'x':
			bp |= hwBreakpointX
		}
	}
	length := uint64(w.Len)
	if bp&hwBreakpointX != 0 {
		length = 8 // sizeof(long)
	}
	attr := unix.PerfEventAttr{Type: unix.PERF_TYPE_BREAKPOINT, Sample: 1, Bp_type: bp}
	attr.Ext1, attr.Ext2 = w.Addr, length // bp_addr, bp_len
	var c io.Closer
	var err error
	if t.pid > 0 {
		c, err = watchThreads(prog, attr, t.pid)
	} else {
		c, err = perfEventOnCPUs(prog, attr, -1)
	}
	if t.pid <= 0 && errors.Is(err, unix.EPERM) {
		return nil, fmt.Errorf("setting a hardware watchpoint at %#x: the kernel refuses a breakpoint there, on a kernel address, to hawk (%w): some kernels and hypervisors allow none", w.Addr, err)
	}
	if err != nil {
		return nil, fmt.Errorf("setting a hardware watchpoint at %#x: %w", w.Addr, err)
	}
	return c, nil
}

// watchThreads sets a breakpoint on every thread of process pid: a perf
// event on a task follows that thread alone, and (inherited) the threads
// it creates from then on.
func watchThreads(prog *ebpf.Program, attr unix.PerfEventAttr, pid int) (io.Closer, error) {
	attr.Bits |= unix.PerfBitInherit
	tids, err := kernel.ProcessThreads(pid)
	if err != nil {
		return nil, err
	}
	var cs closers
	for _, tid := range tids {
		a := attr
		c, err := perfEvent(prog, &a, tid, -1)
		if errors.Is(err, unix.ESRCH) {
			continue // the thread ended meanwhile
		}
		if err != nil {
			cs.Close()
			return nil, err
		}
		cs = append(cs, c)
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("process %d has no threads left", pid)
	}
	return cs, nil
}

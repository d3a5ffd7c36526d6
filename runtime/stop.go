package runtime

import (
	"io"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk/lang"
)

// Ending a run, the probes stop firing at once, and only once END ran and
// the output was flushed does hawk wait for what is slow to close: closing
// a perf-event tracepoint, kprobe or uprobe waits for an RCU grace period
// (60-90 ms each on Linux 6.18, measured with strace), which the user
// should not wait for before seeing END's output and the maps.
//
// Stopping closes every BPF link that detaches at once (raw and BTF raw
// tracepoints, fentry, fexit, iterators: 0.1 ms) and disables the perf
// events the runtime opened itself (interval, profile, software,
// hardware, watchpoints) with PERF_EVENT_IOC_DISABLE, which stops their
// program. A perf-event tracepoint's program runs whether its event is
// enabled or not (perf_trace_run_bpf_submit), so those, and the kprobes
// and uprobes, go on firing until closed: in a script that calls exit()
// they return at once (the exit word, codegen/exited.go); otherwise what
// they do after the stop is not read, as bpftrace, which prints the maps
// before it detaches.

// disabler is an attachment that can stop firing without being closed.
type disabler interface {
	disable()
}

// disable stops the perf event from firing; Close releases it.
func (p *perfLink) disable() {
	unix.IoctlSetInt(p.fd, unix.PERF_EVENT_IOC_DISABLE, 0)
}

func (cs closers) disable() {
	for _, c := range cs {
		if d, ok := c.(disabler); ok {
			d.disable()
		}
	}
}

// slowToClose reports whether closing a attachment waits for the kernel
// (an RCU grace period): a perf-event tracepoint, kprobe or uprobe.
func slowToClose(a attachment) bool {
	switch a.point.Kind {
	case lang.ProbeTracepoint:
		return a.prog.RawSyscall == ""
	case lang.ProbeKprobe, lang.ProbeKretprobe, lang.ProbeUprobe, lang.ProbeUretprobe, lang.ProbeUsdt:
		return true
	}
	return false
}

// stopProbes stops every attached probe at once: it disables the perf
// events, closes the attachments that close at once, and keeps those slow
// to close, for detach to close later. It returns at once.
func (s *Session) stopProbes() {
	s.mu.Lock()
	for _, a := range s.attached {
		if d, ok := a.link.(disabler); ok {
			d.disable()
		}
	}
	s.mu.Unlock()
	// The slow ones too, for now: a perf-event tracepoint goes on firing
	// until closed, and a probe that sends faster than the drain reads
	// (TestSigintUnderHeavyLoad: system() on every context switch) kept
	// the drain below from ending. Deferring them needs the probes to
	// stop on the exit word first.
	s.detach(func(a attachment) bool { return true })
}

// closeAll closes the closers in parallel, and waits for them: the grace
// periods of perf-event tracepoints overlap.
func closeAll(cs []io.Closer) {
	var wg sync.WaitGroup
	for _, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Close()
		}()
	}
	wg.Wait()
}

// closeSlow closes what stopProbes left attached, once the run's output
// is out: Options.Closing is called first.
func (s *Session) closeSlow() {
	if s.opts.Closing != nil {
		s.opts.Closing()
	}
	s.detach(func(attachment) bool { return true })
}

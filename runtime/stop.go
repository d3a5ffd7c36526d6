package runtime

import (
	"io"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk/lang"
)

// Ending a run, the probes stop firing at once, all together: the perf
// events the runtime opened itself (interval, profile, software,
// hardware, watchpoints) are disabled with PERF_EVENT_IOC_DISABLE, then
// every attachment is closed in parallel, so that the grace periods of
// perf-event tracepoints, kprobes and uprobes (60-90 ms each on Linux
// 6.18) overlap. A perf-event tracepoint's program runs whether its event
// is enabled or not (perf_trace_run_bpf_submit): closing it later, after
// END and the output, would leave it firing meanwhile, and a probe that
// sends faster than the drain reads would keep the run from ending
// (TestSigintUnderHeavyLoad). The syscall tracepoints run from raw
// tracepoints, whose links close at once. slowToClose names the rest.

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

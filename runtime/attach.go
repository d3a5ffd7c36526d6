package runtime

import (
	"fmt"
	"io"
	"sync"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
)

// attachment is one attached attach point.
type attachment struct {
	prog  *codegen.ProgramMeta
	point *codegen.AttachMeta
	link  io.Closer
}

// attach attaches every attach point of the programs that fire on events
// (everything but BEGIN and END). It returns how many it attached.
func (s *Session) attach() (int, error) {
	n := 0
	for _, p := range s.man.Programs {
		if p.Kind == lang.ProbeBegin || p.Kind == lang.ProbeEnd {
			continue
		}
		prog := s.coll.Programs[p.Name]
		for _, ap := range p.Points {
			l, err := attachPoint(prog, ap)
			if err != nil {
				return n, &AttachError{Point: ap.Raw, Err: err}
			}
			s.mu.Lock()
			s.attached = append(s.attached, attachment{prog: p, point: ap, link: l})
			s.mu.Unlock()
			n++
		}
	}
	return n, nil
}

// AttachError says which attach point the kernel refused.
type AttachError struct {
	Point string
	Err   error
}

func (e *AttachError) Error() string { return fmt.Sprintf("attaching %s: %v", e.Point, e.Err) }
func (e *AttachError) Unwrap() error { return e.Err }

func attachPoint(prog *ebpf.Program, ap *codegen.AttachMeta) (io.Closer, error) {
	switch ap.Kind {
	case lang.ProbeTracepoint:
		return link.Tracepoint(ap.Args[0], ap.Args[1], prog, nil)
	case lang.ProbeInterval:
		return attachInterval(prog, ap.PeriodNs)
	case lang.ProbeKprobe, lang.ProbeKretprobe:
		return attachKprobe(prog, ap)
	case lang.ProbeUprobe, lang.ProbeUretprobe:
		return attachUprobe(prog, ap)
	}
	return nil, fmt.Errorf("hawk cannot attach %s probes", ap.Kind)
}

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

// attachInterval fires prog every period nanoseconds on one CPU, from a
// software cpu-clock perf event, as bpftrace's interval probes do.
func attachInterval(prog *ebpf.Program, periodNs uint64) (io.Closer, error) {
	attr := unix.PerfEventAttr{
		Type:   unix.PERF_TYPE_SOFTWARE,
		Config: unix.PERF_COUNT_SW_CPU_CLOCK,
		Size:   uint32(unsafe.Sizeof(unix.PerfEventAttr{})),
		Sample: periodNs,
	}
	fd, err := unix.PerfEventOpen(&attr, -1, 0, -1, unix.PERF_FLAG_FD_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("opening a cpu-clock perf event: %w", err)
	}
	l, err := link.AttachRawLink(link.RawLinkOptions{Target: fd, Program: prog, Attach: ebpf.AttachPerfEvent})
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	return &perfLink{link: l, fd: fd}, nil
}

// detach closes the attachments that keep returns true for, all at once:
// closing a perf-event tracepoint waits for an RCU grace period, and those
// waits overlap when the closes run in parallel.
func (s *Session) detach(which func(attachment) bool) {
	s.mu.Lock()
	var closing, kept []attachment
	for _, a := range s.attached {
		if which(a) {
			closing = append(closing, a)
		} else {
			kept = append(kept, a)
		}
	}
	s.attached = kept
	s.mu.Unlock()
	var wg sync.WaitGroup
	for _, a := range closing {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.link.Close()
		}()
	}
	wg.Wait()
}

// runProgram runs a BEGIN or END program once, now, in this process.
func (s *Session) runProgram(p *codegen.ProgramMeta) error {
	if _, err := s.coll.Programs[p.Name].Run(&ebpf.RunOptions{}); err != nil {
		return fmt.Errorf("running %s: %w", p.Text, err)
	}
	return nil
}

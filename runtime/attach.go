package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
)

// attachment is one attached attach point.
type attachment struct {
	prog  *codegen.ProgramMeta
	point *codegen.AttachMeta
	link  io.Closer
}

// target is what the attachers need beside the program and attach point:
// the process -p or -c traces, 0 for all.
type target struct {
	pid int
}

// attacher attaches a program to one attach point of its kind.
type attacher func(prog *ebpf.Program, ap *codegen.AttachMeta, t target) (io.Closer, error)

// attachers has an entry for every kind that attaches to an event: every
// kind but BEGIN and END, which the runtime runs itself.
var attachers = map[lang.ProbeKind]attacher{
	lang.ProbeInterval:      attachInterval,
	lang.ProbeProfile:       attachProfile,
	lang.ProbeSoftware:      attachSoftware,
	lang.ProbeHardware:      attachHardware,
	lang.ProbeWatchpoint:    attachWatchpoint,
	lang.ProbeTracepoint:    attachTracepoint,
	lang.ProbeRawtracepoint: attachRawTracepoint,
	lang.ProbeKprobe:        attachKprobe,
	lang.ProbeKretprobe:     attachKprobe,
	lang.ProbeFentry:        attachTracing,
	lang.ProbeFexit:         attachTracing,
	lang.ProbeUprobe:        attachUprobe,
	lang.ProbeUretprobe:     attachUprobe,
	lang.ProbeUsdt:          attachUsdt,
	lang.ProbeIter:          attachIter,
}

// CanAttach reports whether the runtime can attach or run probes of kind
// k.
func CanAttach(k lang.ProbeKind) bool {
	_, ok := attachers[k]
	return ok || k.IsSpecial()
}

// attach attaches every attach point of the programs that fire on events
// (everything but BEGIN and END). It returns how many it attached. When
// ctx is done it stops, and returns what it attached so far.
func (s *Session) attach(ctx context.Context) (int, error) {
	n := 0
	// Probes attach to the child -c runs, or the process -p names, as
	// bpftrace's do.
	t := target{pid: s.opts.target()}
	dispatchers := map[string]bool{}
	for _, p := range attachOrder(s.man.Programs) {
		if _, ok := attachers[p.Kind]; !ok {
			continue // BEGIN, END and the kinds the runtime runs itself
		}
		if ctx.Err() != nil {
			return n, nil
		}
		prog := s.coll.Programs[p.Name]
		if p.Func != "" && dispatchers[p.Name] {
			n += len(p.Points) // its dispatcher is attached
			continue
		}
		dispatchers[p.Name] = p.Func != ""
		if p.RawSyscall != "" {
			// One attachment serves every syscall of the program (and
			// every program of a dispatcher): a raw tracepoint program,
			// attached by name (codegen's syscalls.go), or a tp_btf one
			// (calling kfuncs), bound to its tracepoint at load.
			l, err := attachRawSyscall(prog, p.RawSyscall)
			if err != nil {
				return n, &AttachError{Point: p.Text, Err: err, At: pointDiagnostic(s.out.Src, p.Points[0], "")}
			}
			s.remember(attachment{prog: p, point: p.Points[0], link: l})
			n += len(p.Points)
			continue
		}
		if s.multi[p.Name] {
			l, err := attachUprobeMulti(prog, p, t)
			if err != nil {
				return n, &AttachError{Point: p.Text, Err: err}
			}
			s.remember(attachment{prog: p, point: p.Points[0], link: l})
			n += len(p.Points)
			continue
		}
		for _, ap := range p.Points {
			if ctx.Err() != nil {
				return n, nil
			}
			l, err := attachers[ap.Kind](prog, ap, t)
			if err != nil {
				return n, &AttachError{Point: ap.Raw, Err: err, At: withHint(pointDiagnostic(s.out.Src, ap, ""), privilegeHint(ap.Kind, err))}
			}
			s.remember(attachment{prog: p, point: ap, link: l})
			n++
		}
	}
	return n, nil
}

// remember keeps an attachment, to detach it.
func (s *Session) remember(a attachment) {
	s.mu.Lock()
	s.attached = append(s.attached, a)
	s.mu.Unlock()
}

// AttachError says which attach point the kernel refused.
type AttachError struct {
	Point string
	Err   error
	// At places the message where the script writes the attach point,
	// when known.
	At *lang.Diagnostic
}

// Positioned reports whether the message starts with the script's
// file:line:col, as a diagnostic does, rather than needing a prefix.
func (e *AttachError) Positioned() bool { return e.At != nil }

func (e *AttachError) Error() string {
	msg := fmt.Sprintf("attaching %s: %v", e.Point, e.Err)
	if e.At == nil {
		return msg
	}
	d := *e.At
	d.Msg = msg
	return d.Error()
}
func (e *AttachError) Unwrap() error { return e.Err }

func attachTracepoint(prog *ebpf.Program, ap *codegen.AttachMeta, _ target) (io.Closer, error) {
	return link.Tracepoint(ap.Args[0], ap.Args[1], prog, nil)
}

func attachRawTracepoint(prog *ebpf.Program, ap *codegen.AttachMeta, _ target) (io.Closer, error) {
	return attachRawSyscall(prog, ap.Args[len(ap.Args)-1])
}

// attachRawSyscall attaches a raw tracepoint program to tracepoint, or a
// BTF raw tracepoint (tp_btf) one, bound to its tracepoint at load.
func attachRawSyscall(prog *ebpf.Program, tracepoint string) (io.Closer, error) {
	if prog.Type() == ebpf.Tracing {
		return link.AttachTracing(link.TracingOptions{Program: prog, AttachType: ebpf.AttachTraceRawTp})
	}
	return link.AttachRawTracepoint(link.RawTracepointOptions{Name: tracepoint, Program: prog})
}

// attachTracing attaches fentry and fexit programs, whose target the
// kernel bound when it loaded them.
func attachTracing(prog *ebpf.Program, ap *codegen.AttachMeta, _ target) (io.Closer, error) {
	return link.AttachTracing(link.TracingOptions{Program: prog})
}

// closers closes several links as one attachment: a probe on every CPU,
// or on every site of a usdt probe.
type closers []io.Closer

func (cs closers) Close() error {
	var errs []error
	for _, c := range cs {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
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
	cs := make([]io.Closer, len(closing))
	for i, a := range closing {
		cs[i] = a.link
	}
	closeAll(cs)
}

// runProgram runs a BEGIN or END program once, now, in this process.
func (s *Session) runProgram(p *codegen.ProgramMeta) error {
	if p.User != nil {
		return s.runUser(p)
	}
	if _, err := s.coll.Programs[p.Name].Run(&ebpf.RunOptions{}); err != nil {
		return fmt.Errorf("running %s: %w", p.Text, err)
	}
	return nil
}

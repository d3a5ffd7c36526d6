package runtime

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/cilium/ebpf"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/output"
)

// testRunInput is the packet test and bench probes (XDP programs) run on:
// the kernel wants at least an Ethernet header's 14 bytes.
var testRunInput = make([]byte, 14)

// resultWriter is what writes test and bench results: the text and JSON
// writers.
type resultWriter interface {
	BenchResult(names []string, index int, average time.Duration, iters uint64)
	TestResult(names []string, index int, duration time.Duration, passed []bool, output string)
}

// countingWriter is a writer that counts the errors (errorf(), runtime
// errors) written through it.
type countingWriter struct {
	output.Writer
	errors int
}

func (w *countingWriter) Diagnostic(d output.Diagnostic) {
	if d.Severity == output.Error {
		w.errors++
	}
	w.Writer.Diagnostic(d)
}

// runMode runs the test or bench probes, as the mode says, in script
// order, with l reading what they send.
func (s *Session) runMode(l *loop) error {
	kind := lang.ProbeTest
	if s.opts.Mode == ModeBench {
		kind = lang.ProbeBench
	}
	progs := s.programs(kind)
	if len(progs) == 0 && len(s.programs(lang.ProbeBegin))+len(s.programs(lang.ProbeEnd)) > 0 {
		return nil // BEGIN and END run, as in bpftrace
	}
	if len(progs) == 0 {
		return fmt.Errorf("%w: the script has no %s probes for --mode %s", lang.ErrNoProbesToAttach, kind, kind)
	}
	names := make([]string, len(progs))
	for i, p := range progs {
		names[i] = p.Points[0].Args[0]
	}
	rw, ok := s.w.(resultWriter)
	if !ok {
		return fmt.Errorf("the output format cannot show %s results", kind)
	}
	l.drain(false) // what BEGIN printed
	if l.exited {
		return nil // BEGIN called exit(): nothing more runs but END
	}
	main := s.w
	defer func() { s.w = main }()
	failed := 0
	passed := make([]bool, 0, len(progs))
	for i, p := range progs {
		prog := s.coll.Programs[p.Name]
		if kind == lang.ProbeBench {
			avg, iters, ok, err := s.bench(l, prog, main)
			switch {
			case err != nil:
				return fmt.Errorf("running %s: %w", p.Text, err)
			case !ok:
				s.warnf("ERROR: Benchmark '%s' failed.", names[i])
				failed++
			case iters > 0:
				rw.BenchResult(names, i, avg, iters)
			}
			continue
		}
		var buf bytes.Buffer
		ok, took, err := s.test(l, prog, &buf)
		if err != nil {
			return fmt.Errorf("running %s: %w", p.Text, err)
		}
		passed = append(passed, ok)
		rw.TestResult(names, i, took, passed, buf.String())
		if !ok {
			failed++
		}
	}
	s.w.Flush()
	if failed > 0 {
		l.exited, l.code = true, 1
	}
	return nil
}

// test runs a test probe once, with what it prints written to out. It
// passes when it neither calls exit() with a code other than 0 nor
// reports an error.
func (s *Session) test(l *loop, prog *ebpf.Program, out io.Writer) (passed bool, took time.Duration, err error) {
	w := &countingWriter{Writer: output.NewText(out, out, output.BufferFull)}
	s.w = w
	ret, took, err := prog.Benchmark(testRunInput, 1, nil) // took: the kernel's time
	if err != nil {
		return false, 0, err
	}
	l.drain(false)
	code := l.code
	s.resetRun(l)
	return ret == 0 && code == 0 && w.errors == 0, took, nil
}

// bench times a bench probe: it runs it 1, 1000, ... times until the
// runs take a millisecond, dropping what they print, as bpftrace does.
// It returns the time of one run and the runs timed; ok is false when
// the probe called exit() with an error code or reported an error.
func (s *Session) bench(l *loop, prog *ebpf.Program, main output.Writer) (avg time.Duration, iters uint64, ok bool, err error) {
	w := &countingWriter{Writer: output.NewText(io.Discard, io.Discard, output.BufferFull)}
	s.w = w
	defer func() { s.w = main }()
	iters = 1
	for {
		var ret uint32
		ret, avg, err = prog.Benchmark(testRunInput, int(iters), nil)
		if err != nil {
			return 0, 0, false, err
		}
		l.drain(false)
		code := l.code
		s.resetRun(l)
		if code != 0 || w.errors > 0 {
			return 0, 0, false, nil
		}
		if ret != 0 {
			return 0, 0, true, nil // the probe skipped itself
		}
		switch total := avg * time.Duration(iters); {
		case total < time.Microsecond:
			iters *= 1000
		case total < 10*time.Microsecond:
			iters *= 100
		case total < 100*time.Microsecond:
			iters *= 10
		case total < time.Millisecond:
			iters *= 2
		default:
			return avg, iters, true, nil
		}
	}
}

// resetRun forgets, after a test or bench probe ran, its exit() and the
// events the ring buffer had no room for: the next probe starts afresh.
func (s *Session) resetRun(l *loop) {
	l.exited, l.code = false, 0
	state := make([]byte, codegen.StateSize(s.man))
	m := s.coll.Maps[s.man.LostMap]
	if err := m.Lookup(uint32(0), state); err != nil {
		return
	}
	s.lost = codegen.LostEvents(s.man, state)
	ne.PutUint64(state[codegen.StateExitOffset:], 0)
	m.Update(uint32(0), state, ebpf.UpdateExist)
}

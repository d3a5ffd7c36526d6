package runtime

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/cilium/ebpf/ringbuf"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
)

// lostCheckInterval is how often the count of lost events is read while
// events flow or the reader waits.
const lostCheckInterval = time.Second

// Run runs the script: BEGIN, attach, print events until exit() or until
// ctx is done (hawk cancels it on Ctrl-C and SIGTERM), then detach, END,
// and print the maps. It returns the script's exit code.
//
// When ctx is done before Run begins, nothing runs: Run returns ctx's
// error. Once BEGIN has run, ctx being done ends the run as exit() does:
// attaching stops, the probes attached are detached, the system()
// commands still queued are dropped (the one running is killed), END
// runs and the maps print.
func (s *Session) Run(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	user := ctx
	// The run also ends when the traced process does, or the iteration.
	ctx, finish := context.WithCancel(ctx)
	defer finish()
	l, err := s.newLoop()
	if err != nil {
		return 0, err
	}
	defer l.close()
	skb, err := s.startSkbOutput()
	if err != nil {
		return 0, err
	}
	defer skb.close()

	// Stop reading when asked to.
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-ctx.Done():
		case <-stop:
			return
		}
		if user.Err() == nil { // the run ended by itself; the user may still stop it
			l.interrupt()
			select {
			case <-user.Done():
			case <-stop:
				return
			}
		}
		l.stop()
	}()

	begins := 0
	for _, p := range s.programs(lang.ProbeBegin) {
		if err := s.runProgram(p); err != nil {
			return 0, err
		}
		begins += len(p.Points)
	}
	if s.opts.Mode != ModeRun {
		// Test and bench runs run their probes, then END.
		if err := s.runMode(l); err != nil {
			return 0, err
		}
		return s.end(l)
	}
	n, err := s.attach(ctx)
	if err != nil {
		// What BEGIN printed is shown before the error.
		s.detach(func(attachment) bool { return true })
		l.drain(false)
		s.w.Flush()
		return 0, err
	}
	if s.opts.DryRun {
		// As bpftrace v0.26: BEGIN ran and every probe attached; nothing
		// is read or printed, END does not run.
		s.detach(func(attachment) bool { return true })
		return 0, nil
	}
	if ctx.Err() != nil {
		// Stopped while attaching: the run ends before it began to read.
		return s.end(l)
	}
	for _, p := range s.programs(lang.ProbeEnd) {
		n += len(p.Points)
	}
	selfs, stopSelf := s.watchSelf()
	defer stopSelf()
	n += selfs
	if n+begins == 0 {
		if err := s.errNotInMode(); err != nil {
			return 0, err
		}
	}
	if !s.opts.Quiet {
		s.w.Attached(n + begins)
	}
	stopWatch, err := s.endWithProcess(finish)
	if err != nil {
		s.detach(func(attachment) bool { return true })
		return 0, err
	}
	defer stopWatch()
	if s.opts.Attached != nil {
		s.opts.Attached()
		s.dwFollowChild()
	}
	iterDone := make(chan struct{})
	if len(s.programs(lang.ProbeIter)) > 0 {
		l.iterating = true
		go func() {
			defer close(iterDone)
			if err := s.iterate(); err != nil {
				s.warnf("%v", err)
			}
			finish()
		}()
	} else {
		close(iterDone)
	}

	// Events come while probes are attached, or a traced process lives.
	if len(s.attached) > 0 || s.opts.target() != 0 || selfs > 0 {
		l.events()
	}
	<-iterDone // what the iteration sends is drained below
	return s.end(l)
}

// end ends a run whose BEGIN ran: it detaches the probes, handles what
// they sent, runs END and prints the maps.
func (s *Session) end(l *loop) (int, error) {
	if s.opts.Ending != nil {
		s.opts.Ending()
	}
	// Everything but END stops firing. What is left in the ring buffer was
	// sent before the probes stopped: after Ctrl-C it is printed. What is
	// slow to close is closed once the output is out (stop.go).
	s.stopProbes()
	defer s.closeSlow()
	l.drain(false)
	for _, p := range s.programs(lang.ProbeEnd) {
		if err := s.runProgram(p); err != nil {
			return 0, err
		}
	}
	l.drain(true)
	if l.writeErr != nil {
		return l.code, writeError(l.writeErr)
	}
	if exit, code := s.reportLost(true); exit && !l.exited {
		l.exited, l.code = true, code // its event found no room
	}
	s.w.End()
	if s.opts.Mode == ModeRun { // test and bench runs print no maps, as bpftrace's
		s.printMaps()
	}
	if err := s.w.Flush(); err != nil {
		return l.code, writeError(err)
	}
	return l.code, nil
}

// writeError is what a failed write of the output means: nothing when
// the reader went away (hawk ... | head), which ends hawk quietly.
func writeError(err error) error {
	if errors.Is(err, syscall.EPIPE) {
		return nil
	}
	return fmt.Errorf("writing output: %w", err)
}

// programs returns the programs of one kind, in script order.
func (s *Session) programs(k lang.ProbeKind) []*codegen.ProgramMeta {
	var ps []*codegen.ProgramMeta
	for _, p := range s.man.Programs {
		if p.Kind == k {
			ps = append(ps, p)
		}
	}
	return ps
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// reportLost prints how many events the ring buffer had no room for since
// the last report; at the end it also prints the total. It also returns
// an exit() that found no room for its event, if one did.
func (s *Session) reportLost(final bool) (exit bool, code int) {
	state := make([]byte, codegen.StateSize(s.man))
	if err := s.coll.Maps[s.man.LostMap].Lookup(uint32(0), state); err != nil {
		return false, 0
	}
	s.reportSites(state)
	total := codegen.LostEvents(s.man, state)
	if req := ne.Uint64(state[codegen.StateExitOffset:]); req&codegen.StateExitUnsent != 0 {
		exit, code = true, int(int32(uint32(req)))
	}
	if total > s.lost {
		s.w.Lost(total - s.lost)
		s.lost = total
	}
	if final && s.lost > 0 {
		s.w.Flush()
		s.warnf("WARNING: Total lost event count: %d", s.lost)
	}
	return exit, code
}

// isStop reports whether a reader error means there is nothing more to read
// now.
func isStop(err error) bool {
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, ringbuf.ErrFlushed)
}

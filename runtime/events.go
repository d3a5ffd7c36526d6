package runtime

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cilium/ebpf/ringbuf"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/output"
)

// loop reads and handles the events programs send.
type loop struct {
	s           *Session
	rd          *ringbuf.Reader
	waiter      *ringWaiter // nil: the reader blocks in its own epoll_wait
	wake        *wakeWord   // nil: every record may wake the reader
	lingered    int         // looks at an empty ring buffer since the last record
	rec         ringbuf.Record
	buf         []byte
	interrupted atomic.Bool
	// stopped is closed when the user stops the run (Ctrl-C, SIGTERM):
	// the command system() runs then is killed, and those queued before
	// the stop are not run.
	stopped  chan struct{}
	stopOnce sync.Once
	final    bool // END's events are handled: its system() commands run
	exited   bool // an exit event arrived
	// iterating is set while an iter probe runs: its exit() does not cut
	// the iteration short, as in bpftrace, where an iterator prints
	// straight into the iteration: everything it prints is printed.
	iterating bool
	writeErr  error // output could not be written: stop
	code      int   // exit code
	lastLost  time.Time
}

// newLoop opens the session's ring buffer for reading.
func (s *Session) newLoop() (*loop, error) {
	rb := s.coll.Maps[s.man.RingbufMap]
	rd, err := ringbuf.NewReader(rb)
	if err != nil {
		return nil, fmt.Errorf("opening the event ring buffer: %w", err)
	}
	l := &loop{s: s, rd: rd, waiter: newRingWaiter(rb), stopped: make(chan struct{})}
	if l.waiter != nil && s.man.WakeMap != "" {
		l.wake = newWakeWord(s.coll.Maps[s.man.WakeMap])
	}
	return l, nil
}

// interrupt makes events return soon, from any goroutine.
func (l *loop) interrupt() {
	l.interrupted.Store(true)
	l.rd.Flush()
	if l.waiter != nil {
		l.waiter.wake()
	}
}

// stop is interrupt for a stop the user asked for: besides, the command
// system() runs is killed, and the system() calls still queued are
// dropped. A storm of events, each a command, would otherwise keep hawk
// running their backlog long after Ctrl-C.
func (l *loop) stop() {
	l.stopOnce.Do(func() { close(l.stopped) })
	l.interrupt()
}

// userStopped reports whether stop was called.
func (l *loop) userStopped() bool {
	select {
	case <-l.stopped:
		return true
	default:
		return false
	}
}

// close releases the reader.
func (l *loop) close() {
	if l.wake != nil {
		l.wake.Close()
	}
	if l.waiter != nil {
		l.waiter.Close()
	}
	l.rd.Close()
}

// events handles events until exit() or an interruption.
func (l *loop) events() {
	l.lastLost = time.Now()
	// What BEGIN blocks run in user space printed shows now, not when the
	// first record or the next look at the lost count flushes it.
	if l.handlePending(false) {
		l.writeErr = l.s.w.Flush()
	}
	ready := func() bool { return l.rd.AvailableBytes() > 0 || l.interrupted.Load() }
	if l.waiter != nil {
		l.rd.SetDeadline(time.Unix(1, 0)) // in the past: reads never block
	}
	if l.wake != nil {
		l.lingered = 0
		l.wake.set(submitNoWakeup)
		defer l.wake.set(submitWakeIfCaughtUp)
	}
	for (!l.exited || l.iterating) && !l.interrupted.Load() && l.writeErr == nil {
		deadline := l.lastLost.Add(lostCheckInterval)
		switch {
		case l.waiter == nil:
			l.rd.SetDeadline(deadline)
		case !ready():
			l.idle(deadline, ready) // park only when nothing waits
		}
		err := l.rd.ReadInto(&l.rec)
		if err == nil {
			l.woken()
		}
		switch {
		case err == nil && l.exited:
			l.handleAfterExit(l.rec.RawSample)
			if l.rd.AvailableBytes() == 0 {
				l.writeErr = l.s.w.Flush()
			}
		case err == nil:
			l.handle(l.rec.RawSample)
			if l.rd.AvailableBytes() == 0 {
				l.writeErr = l.s.w.Flush()
			}
		case isStop(err):
			l.writeErr = l.s.w.Flush()
		default:
			l.s.warnf("reading events: %v", err)
			return
		}
		if time.Since(l.lastLost) >= lostCheckInterval {
			if exit, code := l.s.reportLost(false); exit && !l.exited {
				l.exited, l.code = true, code
			}
			l.lastLost = time.Now()
		}
	}
}

// idle waits for records (or the deadline, or an interruption) when the
// ring buffer is empty: lingering awake at first, then asleep until a
// record wakes the reader (lingerTime).
func (l *loop) idle(deadline time.Time, ready func() bool) {
	if l.wake == nil {
		l.waiter.wait(deadline, ready)
		return
	}
	if l.lingered == lingerTurns {
		l.wake.set(submitWakeIfCaughtUp)
	}
	if l.lingered <= lingerTurns {
		l.lingered++
		if d := time.Now().Add(lingerTime); d.Before(deadline) {
			deadline = d
		}
	}
	l.waiter.wait(deadline, ready)
}

// woken is called for each record read: a reader that had asked
// programs to wake it tells them it is awake again.
func (l *loop) woken() {
	if l.wake != nil && l.lingered > lingerTurns {
		l.wake.set(submitNoWakeup)
	}
	l.lingered = 0
}

// drain handles the events already in the ring buffer. Before END runs,
// what a program sent after exit() is dropped, as bpftrace does; final is
// set for END's events, which are all handled.
func (l *loop) drain(final bool) {
	l.final = final
	l.handlePending(final)
	l.rd.SetDeadline(time.Now())
	for {
		err := l.rd.ReadInto(&l.rec)
		if errors.Is(err, ringbuf.ErrFlushed) {
			continue // left over from an interruption
		}
		if err != nil {
			break
		}
		switch {
		case final || l.iterating:
			l.handleAfterExit(l.rec.RawSample)
		case !l.exited:
			l.handle(l.rec.RawSample)
		}
	}
	l.s.w.Flush()
}

// handleAfterExit handles an event once stopping has begun: later exit
// events change nothing.
func (l *loop) handleAfterExit(rec []byte) {
	if ne.Uint32(rec[codegen.EventKindOffset:]) == codegen.EventExit {
		return
	}
	l.handle(rec)
}

// handle dispatches one record, taking turns with ReadMap.
func (l *loop) handle(rec []byte) {
	if len(rec) < codegen.EventHeaderSize {
		return
	}
	l.s.decodeMu.Lock()
	defer l.s.decodeMu.Unlock()
	id := ne.Uint32(rec[codegen.EventIDOffset:])
	switch ne.Uint32(rec[codegen.EventKindOffset:]) {
	case codegen.EventPrintf:
		if int(id) >= len(l.s.man.Printfs) {
			return
		}
		meta := l.s.man.Printfs[id]
		var stop <-chan struct{}
		if !l.final {
			if meta.Func == lang.FuncSystem && l.userStopped() {
				return // queued before the stop: not run
			}
			stop = l.stopped
		}
		l.buf = l.s.formatPrintf(l.buf[:0], meta, rec[codegen.EventHeaderSize:])
		l.s.formatted(meta, l.buf, stop)
	case codegen.EventExit:
		if !l.exited {
			l.exited, l.code = true, int(int32(id))
		}
	case codegen.EventPrintMap:
		if int(id) < len(l.s.man.Maps) && len(rec) >= codegen.EventHeaderSize+16 {
			args := rec[codegen.EventHeaderSize:]
			l.s.printMap(l.s.man.Maps[id], ne.Uint64(args), ne.Uint64(args[8:]), true)
		}
	case codegen.EventClear:
		if int(id) < len(l.s.man.Maps) {
			l.s.clearMap(l.s.man.Maps[id])
		}
	case codegen.EventZero:
		if int(id) < len(l.s.man.Maps) {
			l.s.zeroMap(l.s.man.Maps[id])
		}
	case codegen.EventPrintValue:
		if int(id) < len(l.s.man.Values) {
			l.s.w.Value(l.s.decoder().decode(l.s.man.Values[id], rec[codegen.EventHeaderSize:]))
		}
	case codegen.EventTime:
		if int(id) < len(l.s.man.TimeFormats) {
			l.s.w.Message(output.MessageTime, strftime(l.s.man.TimeFormats[id], time.Now()))
		}
	case codegen.EventPid:
		l.s.users().Remember(id)
		l.s.dwRefresh(id)
	case codegen.EventJoin:
		if int(id) < len(l.s.man.Joins) {
			l.buf = formatJoin(l.buf[:0], l.s.man.Joins[id], rec[codegen.EventHeaderSize:])
			l.s.w.Message(output.MessageJoin, string(l.buf))
		}
	case codegen.EventUnwatch:
		if len(rec) >= codegen.EventHeaderSize+8 {
			l.s.unwatch(ne.Uint64(rec[codegen.EventHeaderSize:]))
		}
	}
}

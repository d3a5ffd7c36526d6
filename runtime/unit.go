package runtime

import "github.com/hawktrace/hawk/lang"

// Unit is one script of a Live session: its programs, its attachments and
// its event loop. Its probes are numbered as in its script, from 0.
type Unit struct {
	lv      *Live
	s       *Session
	loop    *loop
	done    chan struct{} // closed when the event loop returns; nil if none ran
	dropped map[int]bool  // probes detached, whose END does not run
	closed  bool
}

// run reads events until the unit stops or a probe calls exit().
func (u *Unit) run() {
	defer close(u.done)
	u.loop.events()
	if u.loop.exited {
		select {
		case u.lv.exit <- u.loop.code:
		default:
		}
	}
}

// Exited reports whether the unit's BEGIN called exit(), which ended what
// ran before Add returned.
func (u *Unit) Exited() bool {
	u.lv.mu.Lock()
	defer u.lv.mu.Unlock()
	return u.done == nil && u.loop.exited
}

// Probes returns how many probes the unit's script has.
func (u *Unit) Probes() int {
	n := 0
	for _, p := range u.s.man.Programs {
		n = max(n, p.Probe+1)
	}
	return n
}

// Attached reports whether a probe of the unit is attached, or is an END
// probe still to run.
func (u *Unit) Attached(probe int) bool {
	u.lv.mu.Lock()
	defer u.lv.mu.Unlock()
	return u.attached(probe)
}

func (u *Unit) attached(probe int) bool {
	if u.closed || u.dropped[probe] {
		return false
	}
	for _, p := range u.s.man.Programs {
		if p.Probe == probe && p.Kind == lang.ProbeEnd {
			return true
		}
	}
	u.s.mu.Lock()
	defer u.s.mu.Unlock()
	for _, a := range u.s.attached {
		if a.prog.Probe == probe {
			return true
		}
	}
	return false
}

// Hits returns how many times a probe fired, past the filters of its kind,
// when the script was compiled to count them (codegen.Options.CountHits).
func (u *Unit) Hits(probe int) uint64 {
	u.lv.mu.Lock()
	defer u.lv.mu.Unlock()
	m := u.s.coll.Maps[u.s.man.HitsMap]
	if u.s.man.HitsMap == "" || m == nil || u.closed && u.s != u.lv.view {
		return 0
	}
	var total uint64
	for i, p := range u.s.man.Programs {
		if p.Probe != probe {
			continue
		}
		var perCPU []uint64
		if err := m.Lookup(uint32(i), &perCPU); err == nil {
			for _, v := range perCPU {
				total += v
			}
		}
	}
	return total
}

// Detach detaches a probe of the unit; an END probe will not run. The
// unit's programs leave the kernel once none is attached.
func (u *Unit) Detach(probe int) {
	u.lv.mu.Lock()
	defer u.lv.mu.Unlock()
	if u.closed {
		return
	}
	u.dropped[probe] = true
	u.s.detach(func(a attachment) bool { return a.prog.Probe == probe })
	u.retireIfIdle()
}

// retireIfIdle stops and releases the unit once nothing of it is attached
// and no END probe waits. Its session stays while it is the view.
func (u *Unit) retireIfIdle() {
	for probe := range u.Probes() {
		if u.attached(probe) {
			return
		}
	}
	u.stop()
	u.s.reportLost(true)
	u.release()
	units := u.lv.units[:0]
	for _, o := range u.lv.units {
		if o != u {
			units = append(units, o)
		}
	}
	u.lv.units = units
}

// stop ends the event loop, if one runs, and handles what is left in the
// ring buffer.
func (u *Unit) stop() {
	if u.done != nil {
		u.loop.interrupt()
		<-u.done
		u.done = nil
	}
	u.loop.drain(false)
}

// release closes the unit's reader, and its programs and maps unless they
// are the view, which prints the maps until a newer script replaces it.
func (u *Unit) release() {
	if !u.closed {
		u.loop.close()
		u.closed = true
	}
	if u.s != u.lv.view {
		u.s.Close()
	}
}

// close releases the unit's programs and maps, the view's too (the
// shared maps stay).
func (u *Unit) close() {
	u.release()
	u.s.Close()
}

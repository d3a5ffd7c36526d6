package runtime

import (
	"fmt"

	"github.com/cilium/ebpf"

	"github.com/hawktrace/hawk/codegen"
)

// runUser does what a BEGIN or END block that runs in user space does
// (codegen.UserBlock): it writes the state map as the program would, and
// queues the records the program would send, which the event loop
// handles before those in the ring buffer (handlePending), where it would
// have read the program's.
func (s *Session) runUser(p *codegen.ProgramMeta) error {
	if len(p.User.State) > 0 {
		m := s.coll.Maps[s.man.LostMap]
		state := make([]byte, codegen.StateSize(s.man))
		if err := m.Lookup(uint32(0), state); err != nil {
			return fmt.Errorf("running %s: %w", p.Text, err)
		}
		for _, w := range p.User.State {
			if w.Offset < 0 || w.Offset+len(w.Data) > len(state) {
				return fmt.Errorf("running %s: state write at %d out of bounds", p.Text, w.Offset)
			}
			copy(state[w.Offset:], w.Data)
		}
		if err := m.Update(uint32(0), state, ebpf.UpdateExist); err != nil {
			return fmt.Errorf("running %s: %w", p.Text, err)
		}
	}
	for _, r := range p.User.Records {
		s.pending = append(s.pending, r.Data)
	}
	return nil
}

// handlePending handles the records of blocks run in user space, as drain
// handles the ring buffer's. It reports whether there were any.
func (l *loop) handlePending(final bool) bool {
	recs := l.s.pending
	l.s.pending = nil
	for _, rec := range recs {
		switch {
		case final || l.iterating:
			l.handleAfterExit(rec)
		case !l.exited:
			l.handle(rec)
		}
	}
	return len(recs) > 0
}

package runtime

import "github.com/hawktrace/hawk/lang"

// unwatch detaches the watchpoints on addr, as unwatch(addr) asks.
func (s *Session) unwatch(addr uint64) {
	s.detach(func(a attachment) bool {
		return a.point.Kind == lang.ProbeWatchpoint && a.point.Watch.Addr == addr
	})
}

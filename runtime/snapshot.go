package runtime

import (
	"errors"
	"fmt"

	"github.com/cilium/ebpf"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/runtime/output"
)

// ErrClosed is returned by reads of a session that was closed.
var ErrClosed = errors.New("the session is closed")

// MapNames returns the names of the script's maps, with their @ ("@",
// "@bytes"), in name order, as they print at exit.
func (s *Session) MapNames() []string {
	names := make([]string, 0, len(s.man.Maps))
	for _, m := range s.man.Maps {
		names = append(names, m.Name)
	}
	return names
}

// MapMeta returns what the manifest says of the map called name (its
// key, value type, aggregation), or nil when the script has no such map.
func (s *Session) MapMeta(name string) *codegen.MapMeta {
	for _, m := range s.man.Maps {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// ReadMap reads the map called name as it is now, decoded as print(@name)
// would show it: per-CPU values merged, entries sorted as bpftrace sorts
// them. It returns nil when the map holds nothing; a map without keys is
// its value, any other an output.Map of its entries.
//
// ReadMap may be called from any goroutine, before, during and after Run:
// it takes turns with the event loop, which decodes with the same caches.
func (s *Session) ReadMap(name string) (*output.Value, error) {
	m := s.MapMeta(name)
	if m == nil {
		return nil, fmt.Errorf("the script has no map %s", name)
	}
	s.decodeMu.Lock()
	defer s.decodeMu.Unlock()
	if s.isClosed() {
		return nil, ErrClosed
	}
	return s.readMap(m, 0, 1)
}

// ScanMap reads the map called name as ReadMap does, but a map with keys
// is handed over entry by entry as it is read, not built into one value:
// each is called with every entry, in the order they are read (it must
// not keep e, which the next entry reuses), and ScanMap returns order,
// the indices of the entries (counted in that order) in ReadMap's order.
// A map without keys is returned as ReadMap returns it, with no call. A
// reader that turns the entries into values of its own (the Go API,
// hawk.Running.Map) reads a big map much faster so: ReadMap's entries are
// big, and a big map's take memory that has to be found and cleared. Each
// runs while the map is read, when no event is handled: it must not call
// the session.
func (s *Session) ScanMap(name string, each func(e *output.Entry)) (v *output.Value, order []int32, err error) {
	m := s.MapMeta(name)
	if m == nil {
		return nil, nil, fmt.Errorf("the script has no map %s", name)
	}
	s.decodeMu.Lock()
	defer s.decodeMu.Unlock()
	if s.isClosed() {
		return nil, nil, ErrClosed
	}
	v, entries, err := s.readEntries(m, 0, 1, each, false)
	if err != nil {
		return nil, nil, err
	}
	if v != nil && v.Kind == output.Map && hasUserKey(m) {
		// A bucketed map with keys comes read and sorted.
		order = make([]int32, len(v.Entries))
		for i := range v.Entries {
			each(&v.Entries[i])
			order[i] = int32(i)
		}
		return nil, order, nil
	}
	if entries != nil {
		return nil, entries.streamOrder(), nil
	}
	if v != nil {
		c := *v // the list's entry is reused
		v = &c
	}
	return v, nil, nil
}

// Collection returns the cilium/ebpf collection the session loaded: its
// programs and maps, by their names in the object (codegen.MapMeta's
// SpecName). It is closed with the session.
func (s *Session) Collection() *ebpf.Collection { return s.coll }

// isClosed reports whether Close ran.
func (s *Session) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

package runtime

import (
	"fmt"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/runtime/output"
)

// Counters are what a running session counts beside its maps, read at one
// moment.
type Counters struct {
	// Lost is how many events the ring buffer had no room for.
	Lost uint64
	// MapFull counts, by map name, the updates a map refused because it
	// was full: one entry for each map whose keys the programs add (a map
	// the script only reads, or a scalar one, has none).
	MapFull map[string]uint64
	// ProbeHits counts the runs of each probe's action, past its
	// predicate, by attach point; nil unless the script was compiled to
	// count them (codegen.Options.CountHits).
	ProbeHits []ProbeHits
}

// ProbeHits is how many times one probe's action ran.
type ProbeHits struct {
	// Probe is the attach point (tracepoint:syscalls:sys_enter_openat)
	// of a program that serves one; one that serves several is counted
	// by its attach points as the script writes them, patterns
	// unexpanded (tracepoint:syscalls:sys_enter_*, or
	// tracepoint:syscalls:sys_enter_read,tracepoint:syscalls:sys_enter_write).
	// Programs of one name add up.
	Probe string
	Hits  uint64
}

// Counters reads what the session's programs count beside its maps. Like
// ReadMap, it may be called from any goroutine, before, during and after
// Run, until Close.
func (s *Session) Counters() (*Counters, error) {
	s.decodeMu.Lock()
	defer s.decodeMu.Unlock()
	if s.isClosed() {
		return nil, ErrClosed
	}
	state := make([]byte, codegen.StateSize(s.man))
	if err := s.coll.Maps[s.man.LostMap].Lookup(uint32(0), state); err != nil {
		return nil, fmt.Errorf("reading the state map: %w", err)
	}
	c := &Counters{Lost: codegen.LostEvents(s.man, state), MapFull: map[string]uint64{}}
	for i, site := range s.man.Sites {
		if site.Kind == codegen.SiteFull {
			c.MapFull[s.man.Maps[site.Map].Name] += codegen.SiteCount(site.Kind, ne.Uint64(state[codegen.StateSitesOffset+8*i:]))
		}
	}
	hits := s.coll.Maps[s.man.HitsMap]
	if s.man.HitsMap == "" || hits == nil {
		return c, nil
	}
	at := map[string]int{}
	for i, p := range s.man.Programs {
		var perCPU []uint64
		if err := hits.Lookup(uint32(i), &perCPU); err != nil {
			return nil, fmt.Errorf("reading the probe hits map: %w", err)
		}
		var n uint64
		for _, v := range perCPU {
			n += v
		}
		name := p.Text
		if len(p.Points) > 1 && p.Written != "" {
			name = p.Written
		}
		j, ok := at[name]
		if !ok {
			j = len(c.ProbeHits)
			at[name] = j
			c.ProbeHits = append(c.ProbeHits, ProbeHits{Probe: name})
		}
		c.ProbeHits[j].Hits += n
	}
	return c, nil
}

// ReadMapTotals reads the map called name as ReadMap does, except that an
// avg() map reads as a stats() map prints (count, average, total): what
// a sum and a count are made of, which metrics export; and that the
// entries of a map of keys other than histograms are in no order, which
// saves sorting large maps for readers that sort them their own way.
func (s *Session) ReadMapTotals(name string) (*output.Value, error) {
	m := s.MapMeta(name)
	if m == nil {
		return nil, fmt.Errorf("the script has no map %s", name)
	}
	if m.Agg == codegen.AggAvg {
		stats := *m
		stats.Agg = codegen.AggStats
		m = &stats
	}
	s.decodeMu.Lock()
	defer s.decodeMu.Unlock()
	if s.isClosed() {
		return nil, ErrClosed
	}
	return s.readMapUnsorted(m)
}

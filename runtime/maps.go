package runtime

import (
	"sort"

	"github.com/cilium/ebpf"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/runtime/output"
)

// printMaps prints every non-empty map, in name order, as bpftrace does
// at exit.
func (s *Session) printMaps() {
	for _, m := range s.man.Maps {
		v, err := s.readMap(m)
		if err != nil {
			s.warnf("reading %s: %v", m.Name, err)
			continue
		}
		if v != nil {
			s.text.Map(m.Name, *v)
		}
	}
}

// sumValue is the per-CPU value of a sum() map.
type sumValue struct {
	Sum   int64
	Count uint64
}

// readMap reads a map into a value: nil when it is empty; a scalar for a
// map without keys; else an ordered map, sorted as bpftrace sorts.
func (s *Session) readMap(m *codegen.MapMeta) (*output.Value, error) {
	bm := s.coll.Maps[m.SpecName]
	var entries []output.Entry
	add := func(key []byte, v output.Value) {
		var k output.Value
		if m.Key != nil {
			k = decodeKey(m.Key, key)
		}
		entries = append(entries, output.Entry{Key: k, Value: v})
	}
	var err error
	switch m.Agg {
	case codegen.AggCount:
		err = iterate(bm, func(key []byte, perCPU []uint64) {
			var total uint64
			for _, v := range perCPU {
				total += v
			}
			if total > 0 || !m.Array {
				add(key, decode(m.Value, ne.AppendUint64(nil, total)))
			}
		})
	case codegen.AggSum:
		err = iterate(bm, func(key []byte, perCPU []sumValue) {
			var total sumValue
			for _, v := range perCPU {
				total.Sum += v.Sum
				total.Count += v.Count
			}
			if total.Count > 0 || !m.Array {
				add(key, decode(m.Value, ne.AppendUint64(nil, uint64(total.Sum))))
			}
		})
	default:
		err = iterate(bm, func(key []byte, val []byte) { add(key, decode(m.Value, val)) })
	}
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, nil
	}
	if m.Key == nil {
		return &entries[0].Value, nil
	}
	sortEntries(m, entries)
	return &output.Value{Kind: output.Map, Entries: entries}, nil
}

// sortEntries orders a map as bpftrace prints it: integers and
// aggregations ascending by value, anything else by key; ties by key.
func sortEntries(m *codegen.MapMeta, entries []output.Entry) {
	byValue := m.Agg != codegen.AggNone || m.Value.IsInteger()
	sort.SliceStable(entries, func(i, j int) bool {
		if byValue {
			if c := output.Compare(entries[i].Value, entries[j].Value); c != 0 {
				return c < 0
			}
		}
		return output.Compare(entries[i].Key, entries[j].Key) < 0
	})
}

// iterate calls each for every entry of bm; V is []byte for a plain map, a
// slice with one element per CPU for a per-CPU one.
func iterate[V any](bm *ebpf.Map, each func(key []byte, value V)) error {
	var key []byte
	var value V
	it := bm.Iterate()
	for it.Next(&key, &value) {
		each(key, value)
	}
	return it.Err()
}

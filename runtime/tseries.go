package runtime

import (
	"bytes"
	"sort"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/output"
)

// tseriesBucket is one CPU's value of a tseries() bucket (codegen's
// TseriesValueSize layout).
type tseriesBucket struct {
	V     int64
	Meta  uint64
	Epoch uint64
}

// readTseries reads a tseries() map, as bpftrace does: the CPUs' values
// of each bucket are put together, then every series is shown over the
// last intervals of the most recent one, from its own first interval in
// them; series are ordered by their key's bytes.
func (s *Session) readTseries(m *codegen.MapMeta) (*output.Value, error) {
	bm := s.coll.Maps[m.SpecName]
	parts := len(m.Key.Parts) - 1
	bucketOff := m.Key.Parts[parts].Offset
	interval, n, agg := m.Value.TseriesArgs()
	type series struct {
		key    []byte
		epochs map[uint64]output.Value
	}
	byKey := map[string]*series{}
	var order []*series
	var last uint64
	err := iterate(bm, func(key []byte, perCPU []tseriesBucket) {
		user := key[:bucketOff]
		ts := byKey[string(user)]
		if ts == nil {
			ts = &series{key: append([]byte(nil), user...), epochs: map[uint64]output.Value{}}
			byKey[string(user)] = ts
			order = append(order, ts)
		}
		epoch, v := reduceTseries(perCPU, agg, m.Value.Signed)
		if _, ok := ts.epochs[epoch]; !ok {
			ts.epochs[epoch] = v
		}
		last = max(last, epoch)
	})
	if err != nil || len(order) == 0 {
		return nil, err
	}
	// The window ends at the latest interval of any series; as in
	// bpftrace, it is empty when that is not past n intervals since the
	// epoch (as after zero()).
	first := last - uint64(n) + 1
	points := func(ts *series) []output.SeriesPoint {
		start := last
		for e := range ts.epochs {
			if e >= first {
				start = min(start, e)
			}
		}
		var pts []output.SeriesPoint
		for e := max(first, start); e >= first && e <= last; e++ {
			v, ok := ts.epochs[e]
			pts = append(pts, output.SeriesPoint{Start: int64(e * uint64(interval)), Value: v, Missing: !ok})
			if e == last {
				break
			}
		}
		return pts
	}
	if parts == 0 {
		return &output.Value{Kind: output.Series, Points: points(order[0])}, nil
	}
	sort.Slice(order, func(i, j int) bool { return bytes.Compare(order[i].key, order[j].key) < 0 })
	return keyedEntries(s, m, order, func(ts *series) []byte { return ts.key },
		func(ts *series) output.Value { return output.Value{Kind: output.Series, Points: points(ts)} }), nil
}

// reduceTseries puts the CPUs' values of one bucket together, as
// bpftrace does: only values of the bucket's latest interval count, each
// CPU's combined as the aggregation says (the default keeps the value set
// last, by its time). A bucket no CPU set is interval 0, value 0.
func reduceTseries(perCPU []tseriesBucket, agg lang.TseriesAgg, signed bool) (uint64, output.Value) {
	var latest uint64
	for _, b := range perCPU {
		latest = max(latest, b.Epoch)
	}
	var cur tseriesBucket
	seen := false
	for _, b := range perCPU {
		if b.Epoch == 0 || b.Epoch != latest {
			continue
		}
		if !seen {
			cur, seen = b, true
			continue
		}
		switch agg {
		case lang.TseriesLast:
			if b.Meta > cur.Meta {
				cur.V, cur.Meta = b.V, b.Meta
			}
		case lang.TseriesAvg:
			cur.V += b.V
			cur.Meta += b.Meta
		case lang.TseriesSum:
			cur.V += b.V
		case lang.TseriesMin, lang.TseriesMax:
			less := b.V < cur.V
			if !signed {
				less = uint64(b.V) < uint64(cur.V)
			}
			if less == (agg == lang.TseriesMin) && b.V != cur.V {
				cur.V = b.V
			}
		}
	}
	if agg == lang.TseriesAvg && cur.Meta > 0 {
		if signed {
			cur.V /= int64(cur.Meta)
		} else {
			cur.V = int64(uint64(cur.V) / cur.Meta)
		}
	}
	if signed {
		return latest, output.IntValue(cur.V)
	}
	return latest, output.UintValue(uint64(cur.V))
}

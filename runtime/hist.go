package runtime

import (
	"bytes"
	"sort"
	"strconv"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/runtime/output"
)

// readHist reads a hist() or lhist() map: its entries are keyed by the
// script's key and a bucket; counts add up over the CPUs. Histograms are
// ordered by their total count; counts are divided by div.
func (s *Session) readHist(m *codegen.MapMeta, top, div uint64) (*output.Value, error) {
	bm := s.coll.Maps[m.SpecName]
	parts := len(m.Key.Parts) - 1
	bucketOff := m.Key.Parts[parts].Offset
	type hist struct {
		key    []byte
		counts map[uint64]uint64
		total  uint64
	}
	byKey := map[string]*hist{}
	var order []*hist
	err := iterate(bm, func(key []byte, perCPU []uint64) {
		var n uint64
		for _, v := range perCPU {
			n += v
		}
		if n == 0 {
			return
		}
		user := key[:bucketOff]
		h := byKey[string(user)]
		if h == nil {
			h = &hist{key: append([]byte(nil), user...), counts: map[uint64]uint64{}}
			byKey[string(user)] = h
			order = append(order, h)
		}
		h.counts[ne.Uint64(key[bucketOff:])] += n
		h.total += n
	})
	if err != nil || len(order) == 0 {
		return nil, err
	}
	rows := func(h *hist) []output.HistRow {
		var rows []output.HistRow
		if m.Agg == codegen.AggHist {
			rows = log2Rows(h.counts, int(m.Value.Args[0]))
		} else {
			a := m.Value.Args
			rows = linearRows(h.counts, a[0], a[1], a[2])
		}
		for i := range rows {
			rows[i].Count /= div
		}
		return rows
	}
	if parts == 0 {
		return &output.Value{Kind: output.Hist, Rows: rows(order[0])}, nil
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].total != order[j].total {
			return order[i].total < order[j].total
		}
		return bytes.Compare(order[i].key, order[j].key) < 0
	})
	if top > 0 && uint64(len(order)) > top {
		order = order[uint64(len(order))-top:]
	}
	return keyedEntries(s, m, order, func(h *hist) []byte { return h.key },
		func(h *hist) output.Value { return output.Value{Kind: output.Hist, Rows: rows(h)} }), nil
}

// keyedEntries is the map of a bucketed aggregation (hist, lhist,
// tseries) whose keys are the script's key followed by a bucket: each
// item's script key, decoded from the parts before the bucket, with its
// value.
func keyedEntries[T any](s *Session, m *codegen.MapMeta, items []T, key func(T) []byte, value func(T) output.Value) *output.Value {
	parts := len(m.Key.Parts) - 1
	userKey := &codegen.Layout{Size: m.Key.Parts[parts].Offset, Parts: m.Key.Parts[:parts]}
	d := s.decoder()
	v := &output.Value{Kind: output.Map}
	for _, it := range items {
		v.Entries = append(v.Entries, output.Entry{Key: d.decodeKey(userKey, key(it)), Value: value(it)})
	}
	return v
}

// bucketRange returns the lowest and highest non-empty buckets.
func bucketRange(counts map[uint64]uint64) (uint64, uint64) {
	lo, hi := ^uint64(0), uint64(0)
	for b, n := range counts {
		if n > 0 {
			lo, hi = min(lo, b), max(hi, b)
		}
	}
	return lo, hi
}

// label is a bucket bound: a number, or a number with a 1024-based suffix.
type label struct {
	text string
	n    int64
	sym  bool // has a suffix: never printed as a single value
}

func numLabel(n int64) label { return label{text: strconv.FormatInt(n, 10), n: n} }

// rowsFrom lays out histogram lines as bpftrace does: each bucket is
// [previous bound, its bound), written [n] when it holds one value; the
// first is (..., bound) below everything, the last [bound, ...) above.
func rowsFrom(counts map[uint64]uint64, lo, hi uint64, lower *label, bound func(uint64) (label, bool)) []output.HistRow {
	var rows []output.HistRow
	prev := lower
	for i := lo; i <= hi; i++ {
		var text string
		b, ok := bound(i)
		switch {
		case prev == nil:
			text = "(..., " + b.text + ")"
		case !ok:
			text = "[" + prev.text + ", ...)"
		case !prev.sym && !b.sym && prev.n+1 == b.n:
			text = "[" + prev.text + "]"
		default:
			text = "[" + prev.text + ", " + b.text + ")"
		}
		row := output.HistRow{Label: text, Count: counts[i], Hi: b.n, HasHi: ok}
		if prev != nil {
			row.Lo, row.HasLo = prev.n, true
		}
		rows = append(rows, row)
		bb := b
		prev = &bb
	}
	return rows
}

// log2Rows renders hist() buckets: bucket 0 holds negative values, then
// one bucket per value below 2^k, then 2^k buckets per power of two.
func log2Rows(counts map[uint64]uint64, k int) []output.HistRow {
	lo, hi := bucketRange(counts)
	bound := func(i uint64) (label, bool) {
		if i <= 2<<k {
			return numLabel(int64(i)), true
		}
		return log2Label(i, k), true
	}
	var lower *label
	if lo != 0 {
		l := numLabel(int64(lo - 1))
		if lo-1 > 2<<k {
			l = log2Label(lo-1, k)
		}
		lower = &l
	}
	return rowsFrom(counts, lo, hi, lower, bound)
}

// log2Label is where bucket index starts in a hist() with k bits: powers
// of 1024 get the suffixes K, M, G, T, P, E.
func log2Label(index uint64, k int) label {
	n := uint64(1) << k
	interval := index & (n - 1)
	power := (index >> k) - 1
	value := (uint64(1) << power) * (n + interval)
	decade := power / 10
	power -= 10 * decade
	text := strconv.FormatUint((uint64(1)<<power)*(n+interval), 10)
	if decade > 0 {
		text += string("KMGTPE"[decade-1])
	}
	return label{text: text, n: int64(value), sym: decade > 0}
}

// linearRows renders lhist() buckets: 0 below min, one per step, and one
// above max.
func linearRows(counts map[uint64]uint64, min, max, step int64) []output.HistRow {
	lo, hi := bucketRange(counts)
	bound := func(i uint64) (label, bool) {
		v := min + int64(i)*step
		if v > max {
			return label{}, false
		}
		return lhistLabel(v, step), true
	}
	var lower *label
	if lo != 0 {
		l := lhistLabel(min+int64(lo-1)*step, step)
		lower = &l
	}
	return rowsFrom(counts, lo, hi, lower, bound)
}

// lhistLabel writes a bound with a K or M suffix when the step is a
// multiple of 1024, as bpftrace does.
func lhistLabel(n, step int64) label {
	if step%1024 != 0 {
		return numLabel(n)
	}
	switch {
	case n == 0:
		return label{text: "0", n: 0, sym: true}
	case n%(1024*1024) == 0:
		return label{text: strconv.FormatInt(n/(1024*1024), 10) + "M", n: n, sym: true}
	case n%1024 == 0:
		return label{text: strconv.FormatInt(n/1024, 10) + "K", n: n, sym: true}
	}
	return label{text: strconv.FormatInt(n, 10), n: n, sym: true}
}

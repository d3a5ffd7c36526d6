package repl

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/runtime/output"
)

// watchMode is what .watch shows of a map's values.
type watchMode int

// .watch's modes.
const (
	watchValues watchMode = iota // the values as print() shows them
	watchDelta                   // what changed in the interval
	watchRate                    // what changed, per second
)

func (m watchMode) String() string {
	switch m {
	case watchDelta:
		return "delta"
	case watchRate:
		return "rate"
	}
	return "values"
}

// deltaAggs says which aggregations delta and rate work on, for messages.
const deltaAggs = "count(), sum(), hist(), lhist() and integer maps"

// countsUp reports whether delta and rate work on the map: counts, sums,
// histograms and integers assigned. The others (avg, min, max, stats, a
// time series, strings) do not add up over an interval.
func countsUp(m *codegen.MapMeta) bool {
	switch m.Agg {
	case codegen.AggCount, codegen.AggSum, codegen.AggHist, codegen.AggLhist:
		return true
	case codegen.AggNone:
		return m.Value.IsInteger()
	}
	return false
}

// aggName names a map's aggregation in messages.
func aggName(m *codegen.MapMeta) string {
	names := map[codegen.Agg]string{
		codegen.AggAvg: "avg()", codegen.AggMin: "min()", codegen.AggMax: "max()",
		codegen.AggStats: "stats()", codegen.AggTseries: "tseries()",
	}
	if n, ok := names[m.Agg]; ok {
		return n
	}
	return m.Value.String()
}

// view is what .watch shows of one map in one interval.
type view struct {
	mode watchMode
	secs float64 // the interval, for rates
	top  int     // the entries with the largest values only; 0: all
}

// show returns what .watch shows of a map read as cur, prev being the
// read one interval before (unused for watchValues; nil for an empty map
// with keys). Deltas: a count or a histogram bucket that went down was
// reset (clear, zero, delete) and counts from 0 again, so its delta is
// its value; a sum or an integer assigned is a signed difference. Entries
// that did not change, or are gone, are left out; a map without keys is
// always shown. Rates are deltas divided by the interval's seconds:
// integers when whole, else with two decimals; a histogram's buckets are
// rounded to whole counts. top keeps the top entries with the largest
// value shown (a histogram weighs its count, stats() its count), in print
// order: ascending, the largest last.
func (vw view) show(prev, cur *output.Value) *output.Value {
	if cur == nil {
		return nil
	}
	if cur.Kind != output.Map {
		if vw.mode == watchValues {
			return cur
		}
		v, _ := vw.change(prev, *cur)
		return &v
	}
	type shown struct {
		e output.Entry
		w float64
	}
	var old map[string]output.Value
	if vw.mode != watchValues && prev != nil {
		old = make(map[string]output.Value, len(prev.Entries))
		for _, e := range prev.Entries {
			old[keyOf(e.Key)] = e.Value
		}
	}
	list := make([]shown, 0, len(cur.Entries))
	for _, e := range cur.Entries {
		if vw.mode == watchValues {
			list = append(list, shown{e, weight(e.Value)})
			continue
		}
		p, ok := old[keyOf(e.Key)]
		if !ok {
			p = zeroOf(e.Value)
		}
		v, changed := vw.change(&p, e.Value)
		if changed {
			list = append(list, shown{output.Entry{Key: e.Key, Value: v}, weight(v)})
		}
	}
	if vw.mode != watchValues || vw.top > 0 {
		slices.SortStableFunc(list, func(a, b shown) int { return cmp.Compare(a.w, b.w) })
	}
	if vw.top > 0 && len(list) > vw.top {
		list = list[len(list)-vw.top:]
	}
	out := &output.Value{Kind: output.Map, Entries: make([]output.Entry, len(list))}
	for i, s := range list {
		out.Entries[i] = s.e
	}
	return out
}

// change is what changed from prev to cur (prev nil: from zero), as the
// mode shows it, and whether anything did.
func (vw view) change(prev *output.Value, cur output.Value) (output.Value, bool) {
	if prev == nil {
		z := zeroOf(cur)
		prev = &z
	}
	scale := 1.0
	if vw.mode == watchRate {
		scale = 1 / vw.secs
	}
	switch cur.Kind {
	case output.Hist:
		return histChange(prev.Rows, cur.Rows, scale)
	case output.Uint:
		d := float64(cur.U)
		if prev.Kind == output.Uint && cur.U >= prev.U { // else reset
			d = float64(cur.U - prev.U)
		}
		return number(d, scale, vw.mode), d != 0
	case output.Int:
		d := float64(cur.I - prev.I)
		return number(d, scale, vw.mode), d != 0
	}
	return cur, false // not a number: countsUp keeps these out
}

// histChange is the change of each bucket, scaled and rounded: bucket by
// bucket, matched by their bounds, without the empty buckets before the
// first and after the last that are not, as hist() prints.
func histChange(prev, cur []output.HistRow, scale float64) (output.Value, bool) {
	type bounds struct {
		lo, hi       int64
		hasLo, hasHi bool
	}
	old := make(map[bounds]uint64, len(prev))
	for _, r := range prev {
		old[bounds{r.Lo, r.Hi, r.HasLo, r.HasHi}] = r.Count
	}
	rows := make([]output.HistRow, 0, len(cur))
	first, last := -1, -1
	for _, r := range cur {
		d := r.Count
		if p := old[bounds{r.Lo, r.Hi, r.HasLo, r.HasHi}]; p <= r.Count { // else reset
			d -= p
		}
		r.Count = uint64(math.Round(float64(d) * scale))
		if r.Count != 0 {
			if first < 0 {
				first = len(rows)
			}
			last = len(rows)
		}
		rows = append(rows, r)
	}
	if first < 0 {
		return output.Value{Kind: output.Hist}, false
	}
	return output.Value{Kind: output.Hist, Rows: rows[first : last+1]}, true
}

// number is a delta as the mode shows it: an integer, or a rate.
func number(d, scale float64, mode watchMode) output.Value {
	if mode != watchRate {
		return output.IntValue(int64(d))
	}
	r := d * scale
	if r == math.Trunc(r) && math.Abs(r) < 1<<53 {
		return output.IntValue(int64(r))
	}
	s := strconv.FormatFloat(r, 'f', 2, 64)
	return output.Value{Kind: output.Verbatim, S: trimZeros(s)}
}

// trimZeros cuts a decimal's trailing zeros: 1.50 is 1.5.
func trimZeros(s string) string {
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}

// zeroOf is a value of v's kind that counts nothing.
func zeroOf(v output.Value) output.Value {
	switch v.Kind {
	case output.Hist:
		return output.Value{Kind: output.Hist}
	case output.Uint:
		return output.UintValue(0)
	}
	return output.IntValue(0)
}

// weight is a value's size, to find the largest: a number's value, a
// histogram's count, a stats() value's count; 0 for what is not a number.
func weight(v output.Value) float64 {
	switch v.Kind {
	case output.Int:
		return float64(v.I)
	case output.Uint:
		return float64(v.U)
	case output.Verbatim: // a rate
		f, _ := strconv.ParseFloat(v.S, 64)
		return f
	case output.Hist:
		var n float64
		for _, r := range v.Rows {
			n += float64(r.Count)
		}
		return n
	case output.Stats:
		return weight(v.Elems[0])
	}
	return 0
}

// keyOf is a map key as a string, to find an entry's value in the read
// before.
func keyOf(k output.Value) string { return fmt.Sprintf("%v", k) }

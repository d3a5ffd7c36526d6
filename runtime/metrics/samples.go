package metrics

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hawktrace/hawk/runtime/output"
)

// sample is one series of a family, one key of its map, before it
// becomes a metric.
type sample struct {
	labels []string
	value  float64 // a counter's, gauge's or info's
	// A histogram's counts of each bucket by its le (not cumulative), and
	// its count of all values; a summary's count and sum.
	buckets map[float64]uint64
	count   uint64
	sum     float64
}

// samples turns what ReadMapTotals read of the family's map into its
// series, in the order read, and counts the entries the map holds
// in the kernel (one for each bucket a histogram uses). Keys that print
// alike (two addresses of one symbol) make one series, whose values add
// up. A nil v (an empty map) has none.
func (f *family) samples(v *output.Value) ([]sample, int) {
	if v == nil {
		return nil, 0
	}
	entries := []output.Entry{{Value: *v}}
	if keyParts(f.meta) > 0 {
		entries = v.Entries
	}
	out := make([]sample, 0, len(entries))
	byLabels := make(map[string]int, len(entries))
	held := 0
	for _, e := range entries {
		labels := f.keyLabels(e.Key)
		if f.kind == info {
			labels = append(labels, labelText(e.Value))
		}
		var id string
		if len(labels) == 1 {
			id = labels[0]
		} else {
			id = strings.Join(labels, "\xff")
		}
		i, ok := byLabels[id]
		if !ok {
			i = len(out)
			byLabels[id] = i
			out = append(out, sample{labels: labels})
		}
		held += out[i].add(f.kind, e.Value)
	}
	return out, held
}

// add adds one map value to s and returns how many entries of the map
// in the kernel it stands for.
func (s *sample) add(k kind, v output.Value) int {
	switch k {
	case info:
		s.value = 1
	case histogram:
		if s.buckets == nil {
			s.buckets = map[float64]uint64{}
		}
		held := 0
		for _, r := range v.Rows {
			if r.Count == 0 {
				continue
			}
			held++
			s.count += r.Count
			if r.HasHi {
				// Bucket values are integers below Hi: at most Hi-1.
				s.buckets[float64(r.Hi-1)] += r.Count
			}
		}
		// A histogram's map keeps no sum of its values.
		s.sum = math.NaN()
		return held
	case summary:
		if v.Kind == output.Stats && len(v.Elems) == 3 {
			s.count += uint64(number(v.Elems[0]))
			s.sum += number(v.Elems[2])
		}
	default:
		s.value += number(v)
	}
	return 1
}

// number is an integer value (or a time series' latest) as a float.
func number(v output.Value) float64 {
	switch v.Kind {
	case output.Int:
		return float64(v.I)
	case output.Uint:
		return float64(v.U)
	case output.Bool:
		if v.B {
			return 1
		}
	case output.Series:
		for i := len(v.Points) - 1; i >= 0; i-- {
			if !v.Points[i].Missing {
				return number(v.Points[i].Value)
			}
		}
	}
	return 0
}

// keyLabels are the label values of a key: each part as hawk prints it.
func (f *family) keyLabels(key output.Value) []string {
	n := keyParts(f.meta)
	labels := make([]string, 0, n+1)
	switch {
	case n == 0:
	case n > 1 && key.Kind == output.Tuple && len(key.Elems) == n:
		for _, e := range key.Elems {
			labels = append(labels, labelText(e))
		}
	default:
		labels = append(labels, labelText(key))
		for len(labels) < n {
			labels = append(labels, "")
		}
	}
	return labels
}

// labelText is a value as a label holds it: as hawk prints it inline, in
// valid UTF-8.
func labelText(v output.Value) string {
	var s string
	switch v.Kind {
	case output.Int:
		return strconv.FormatInt(v.I, 10)
	case output.Uint:
		return strconv.FormatUint(v.U, 10)
	case output.String, output.Symbol, output.Verbatim:
		s = v.S
	default:
		s = output.InlineText(v)
	}
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

package metrics

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/prometheus/common/model"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
)

// kind is the Prometheus type a map is exported as.
type kind int

const (
	counter   kind = iota // count() and unsigned sum() maps the script never resets
	gauge                 // a number that may go down
	info                  // a value that is not a number, in the value label, as 1
	histogram             // hist() and lhist()
	summary               // avg() and stats(): _sum and _count
)

// The families hawk exports beside the maps, whose names no map takes.
const (
	lostName    = "hawk_lost_events_total"
	hitsName    = "hawk_probe_hits_total"
	entriesName = "hawk_map_entries"
	fullName    = "hawk_map_full_total"
)

// valueLabel is the label of an info family that holds the map's value.
const valueLabel = "value"

// family is how one map, or one of hawk's own counts, is exported: its
// metric's name, help, type and labels.
type family struct {
	meta   *codegen.MapMeta // nil for hawk's own families
	name   string
	help   string
	kind   kind
	labels []string // one for each part of the key the script gives, then value for info
	err    error    // why the family cannot be exported (check's), or nil
}

// newFamily returns a family of hawk's own, of no map.
func newFamily(name, help string, k kind, labels ...string) *family {
	f := &family{name: name, help: help, kind: k, labels: labels}
	f.err = f.check()
	return f
}

// check is why the family's name or labels cannot be exported, as a
// Prometheus registry checks them: names in valid UTF-8, label names not
// Prometheus's own (__) nor twice.
func (f *family) check() error {
	if !model.UTF8Validation.IsValidMetricName(f.name) {
		return fmt.Errorf("%q is not a valid metric name", f.name)
	}
	for i, l := range f.labels {
		if !model.UTF8Validation.IsValidLabelName(l) || strings.HasPrefix(l, "__") {
			return fmt.Errorf("%q is not a valid label name for metric %q", l, f.name)
		}
		if slices.Contains(f.labels[:i], l) {
			return fmt.Errorf("duplicate label names in constant and variable labels for metric %q", f.name)
		}
	}
	return nil
}

// families returns the families of the maps, in the order of metas, with
// names that differ from each other and from hawk's own families.
func families(metas []*codegen.MapMeta) []*family {
	taken := map[string]bool{lostName: true, hitsName: true, entriesName: true, fullName: true}
	fams := make([]*family, 0, len(metas))
	for _, m := range metas {
		f := &family{meta: m, kind: kindOf(m)}
		base := "hawk_" + strings.TrimPrefix(m.Name, "@")
		if m.Name == "@" {
			base = "hawk_map"
		}
		f.name = metricName(base, f.kind)
		for i := 1; taken[f.name]; i++ {
			f.name = metricName(base+"_"+strconv.Itoa(i), f.kind)
		}
		taken[f.name] = true
		f.labels = labelNames(m, f.kind)
		f.help = "hawk map " + m.Name
		if m.Value != nil {
			f.help += ": " + m.Value.String()
		}
		f.err = f.check()
		fams = append(fams, f)
	}
	return fams
}

// metricName is a family's name: counters end in _total, as Prometheus
// names them.
func metricName(base string, k kind) string {
	if k == counter && !strings.HasSuffix(base, "_total") {
		return base + "_total"
	}
	return base
}

// kindOf is the Prometheus type of a map: counters for values that only
// grow, gauges for the others.
func kindOf(m *codegen.MapMeta) kind {
	switch m.Agg {
	case codegen.AggCount:
		if !m.Reset {
			return counter
		}
	case codegen.AggSum:
		// A sum of signed values may go down, which a counter cannot.
		if !m.Reset && !m.Value.Signed {
			return counter
		}
	case codegen.AggHist, codegen.AggLhist:
		return histogram
	case codegen.AggAvg, codegen.AggStats:
		return summary
	case codegen.AggNone:
		if t := m.Value; t == nil || !(t.Kind == lang.KindInt && !t.IsEnum() || t.Kind == lang.KindBool) {
			return info
		}
	}
	return gauge
}

// keyParts is how many parts of a map's key the script gives: all but a
// histogram's bucket.
func keyParts(m *codegen.MapMeta) int {
	if m.Key == nil {
		return 0
	}
	if m.Agg.Bucketed() {
		return len(m.Key.Parts) - 1
	}
	return len(m.Key.Parts)
}

// labelNames names the labels of a map's family: each key part after the
// expression the script writes for it where that is a name that can be a
// label (in the legacy charset, which every scraper takes; names that
// start with __ are Prometheus's own), keyN otherwise; then value for an
// info family.
func labelNames(m *codegen.MapMeta, k kind) []string {
	n := keyParts(m)
	taken := map[string]bool{}
	switch k {
	case histogram:
		taken["le"] = true
	case summary:
		taken["quantile"] = true
	case info:
		taken[valueLabel] = true
	}
	names := make([]string, n, n+1)
	for i := range names {
		names[i] = "key" + strconv.Itoa(i)
	}
	// The keyN names come first: a name written in the script yields.
	for _, name := range names {
		taken[name] = true
	}
	if len(m.KeyNames) == n {
		for i, name := range m.KeyNames {
			if model.LegacyValidation.IsValidLabelName(name) && !strings.HasPrefix(name, "__") && !taken[name] {
				names[i] = name
				taken[name] = true
			}
		}
	}
	if k == info {
		names = append(names, valueLabel)
	}
	return names
}

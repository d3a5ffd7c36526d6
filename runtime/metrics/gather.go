package metrics

import (
	"cmp"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// gatherer is a prometheus.Gatherer of a Collector's families, built
// straight into client_model's types, in bulk: a registry makes a
// prometheus.Metric of each series, then converts, checks and sorts it,
// a dozen allocations a series, which for a map of 10,000 keys takes
// longer than a scrape should. The families, series and order are the
// registry's (TestGathererIsRegistry).
type gatherer struct{ c *Collector }

// Gather reads the families and returns those that hold series, sorted
// by name, and what could not be read.
func (g gatherer) Gather() ([]*dto.MetricFamily, error) {
	var errs prometheus.MultiError
	var mfs []*dto.MetricFamily
	for _, fs := range g.c.read() {
		switch {
		case fs.err != nil:
			errs = append(errs, fs.err)
		case len(fs.samples) > 0:
			mfs = append(mfs, fs.f.dto(fs.samples))
		}
	}
	slices.SortFunc(mfs, func(a, b *dto.MetricFamily) int { return strings.Compare(a.GetName(), b.GetName()) })
	return mfs, errs.MaybeUnwrap()
}

// dto makes samples the family's series, sorted by their label values as
// a registry sorts them.
func (f *family) dto(samples []sample) *dto.MetricFamily {
	// Labels go by name, as a registry orders them.
	order := make([]int, len(f.labels))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(f.labels[a], f.labels[b]) })
	names := make([]string, len(f.labels))
	for j, i := range order {
		names[j] = f.labels[i]
	}
	n, nl := len(samples), len(f.labels)
	metrics := make([]dto.Metric, n)
	ptrs := make([]*dto.Metric, n)
	pairs := make([]dto.LabelPair, n*nl)
	pairPtrs := make([]*dto.LabelPair, n*nl)
	values := make([]float64, n)
	var counters []dto.Counter
	var gauges []dto.Gauge
	switch f.kind {
	case counter:
		counters = make([]dto.Counter, n)
	case gauge, info:
		gauges = make([]dto.Gauge, n)
	}
	for i := range samples {
		s, m := &samples[i], &metrics[i]
		ptrs[i] = m
		m.Label = pairPtrs[i*nl : (i+1)*nl : (i+1)*nl]
		for j, k := range order {
			p := &pairs[i*nl+j]
			p.Name, p.Value = &names[j], &s.labels[k]
			m.Label[j] = p
		}
		values[i] = s.value
		switch f.kind {
		case counter:
			counters[i].Value = &values[i]
			m.Counter = &counters[i]
		case gauge, info:
			gauges[i].Value = &values[i]
			m.Gauge = &gauges[i]
		case histogram:
			m.Histogram = s.histogram()
		case summary:
			m.Summary = &dto.Summary{SampleCount: &s.count, SampleSum: &s.sum}
		}
	}
	slices.SortFunc(ptrs, func(a, b *dto.Metric) int {
		for j := range a.Label {
			if c := cmp.Compare(*a.Label[j].Value, *b.Label[j].Value); c != 0 {
				return c
			}
		}
		return 0
	})
	mf := &dto.MetricFamily{Name: &f.name, Help: &f.help, Metric: ptrs}
	switch f.kind {
	case counter:
		mf.Type = dto.MetricType_COUNTER.Enum()
	case histogram:
		mf.Type = dto.MetricType_HISTOGRAM.Enum()
	case summary:
		mf.Type = dto.MetricType_SUMMARY.Enum()
	default:
		mf.Type = dto.MetricType_GAUGE.Enum()
	}
	return mf
}

// histogram is s as a histogram: its buckets by their bounds, counts
// cumulated.
func (s *sample) histogram() *dto.Histogram {
	bounds := make([]float64, 0, len(s.buckets))
	for le := range s.buckets {
		bounds = append(bounds, le)
	}
	slices.Sort(bounds)
	counts := make([]uint64, len(bounds))
	buckets := make([]dto.Bucket, len(bounds))
	h := &dto.Histogram{SampleCount: &s.count, SampleSum: &s.sum, Bucket: make([]*dto.Bucket, len(bounds))}
	var n uint64
	for i := range bounds {
		n += s.buckets[bounds[i]]
		counts[i] = n
		buckets[i].UpperBound, buckets[i].CumulativeCount = &bounds[i], &counts[i]
		h.Bucket[i] = &buckets[i]
	}
	return h
}

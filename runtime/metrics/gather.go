package metrics

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	dto "github.com/prometheus/client_model/go"
)

// gather reads the Collector's families straight into client_model's
// types, in bulk, as a Prometheus registry of it would gather them: a
// registry makes a prometheus.Metric of each series, then converts,
// checks and sorts it, a dozen allocations a series, which for a map of
// 10,000 keys takes longer than a scrape should. The families, series,
// order, checks and errors are the registry's (TestGathererIsRegistry,
// TestInvalidFamily). It returns the families that hold series, sorted
// by name, and what could not be read or exported.
func (c *Collector) gather() ([]*dto.MetricFamily, error) {
	var errs gatherErrors
	var mfs []*dto.MetricFamily
	for _, fs := range c.read() {
		switch {
		case fs.err != nil:
			errs = append(errs, fs.err)
		case fs.f.err != nil && len(fs.samples) > 0:
			errs = append(errs, fs.f.err)
		case len(fs.samples) > 0:
			samples, bad := valid(fs.samples)
			errs = append(errs, bad...)
			if len(samples) > 0 {
				mfs = append(mfs, fs.f.dto(samples))
			}
		}
	}
	slices.SortFunc(mfs, func(a, b *dto.MetricFamily) int { return strings.Compare(a.GetName(), b.GetName()) })
	return mfs, errs.err()
}

// valid returns samples without those check refuses (a copy if it
// refuses any), and why it refused them.
func valid(samples []sample) ([]sample, []error) {
	var errs []error
	out := samples
	for i := range samples {
		if err := samples[i].check(); err != nil {
			if errs == nil {
				out = slices.Clone(samples[:i])
			}
			errs = append(errs, err)
		} else if errs != nil {
			out = append(out, samples[i])
		}
	}
	return out, errs
}

// check is why s's label values cannot be exported, as a registry
// checks them: each in valid UTF-8 (labelText makes them so).
func (s *sample) check() error {
	for _, v := range s.labels {
		if !utf8.ValidString(v) {
			return fmt.Errorf("label value %q is not valid UTF-8", v)
		}
	}
	return nil
}

// gatherErrors are what a scrape could not read or export; as a registry
// reports them (client_golang's MultiError).
type gatherErrors []error

// err is nil for no error, the error itself for one, or all of them.
func (e gatherErrors) err() error {
	switch len(e) {
	case 0:
		return nil
	case 1:
		return e[0]
	}
	return e
}

// Error lists the errors, one a line.
func (e gatherErrors) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d error(s) occurred:", len(e))
	for _, err := range e {
		fmt.Fprintf(&b, "\n* %v", err)
	}
	return b.String()
}

// Unwrap is the errors, for errors.Is and errors.As.
func (e gatherErrors) Unwrap() []error { return e }

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

package metrics

import (
	"slices"

	"github.com/prometheus/client_golang/prometheus"
)

// registryCollector is a prometheus.Collector of a Collector's families,
// through client_golang's own constructors: what Handler serves is held
// to what a registry of it gathers (TestGathererIsRegistry).
type registryCollector struct{ c *Collector }

// desc is the descriptor of f.
func desc(f *family) *prometheus.Desc {
	return prometheus.NewDesc(f.name, f.help, f.labels, nil)
}

// Describe sends the descriptors of every family the collector exports.
func (r registryCollector) Describe(ch chan<- *prometheus.Desc) {
	c := r.c
	for _, f := range c.fams {
		ch <- desc(f)
	}
	for _, f := range []*family{c.lost, c.hits, c.entries, c.mapFull} {
		ch <- desc(f)
	}
}

// Collect reads the maps and counters as they are now and sends their
// metrics. What cannot be read is sent as an invalid metric, which a
// registry reports while it gathers the rest.
func (r registryCollector) Collect(ch chan<- prometheus.Metric) {
	for _, fs := range r.c.read() {
		d := desc(fs.f)
		if fs.err != nil {
			ch <- prometheus.NewInvalidMetric(d, fs.err)
			continue
		}
		for i := range fs.samples {
			m, err := metric(d, fs.f.kind, &fs.samples[i])
			if err != nil {
				m = prometheus.NewInvalidMetric(d, err)
			}
			ch <- m
		}
	}
}

// metric makes s a metric of kind k.
func metric(d *prometheus.Desc, k kind, s *sample) (prometheus.Metric, error) {
	switch k {
	case counter:
		return prometheus.NewConstMetric(d, prometheus.CounterValue, s.value, s.labels...)
	case histogram:
		bounds := make([]float64, 0, len(s.buckets))
		for le := range s.buckets {
			bounds = append(bounds, le)
		}
		slices.Sort(bounds)
		cumulative := make(map[float64]uint64, len(bounds))
		var n uint64
		for _, le := range bounds {
			n += s.buckets[le]
			cumulative[le] = n
		}
		return prometheus.NewConstHistogram(d, s.count, s.sum, cumulative, s.labels...)
	case summary:
		return prometheus.NewConstSummary(d, s.count, s.sum, nil, s.labels...)
	}
	return prometheus.NewConstMetric(d, prometheus.GaugeValue, s.value, s.labels...)
}

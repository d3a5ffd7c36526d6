package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/runtime"
	"github.com/hawktrace/hawk/runtime/output"
)

// Source is what the collector reads its values from: a loaded
// runtime.Session, from any goroutine.
type Source interface {
	MapNames() []string
	MapMeta(name string) *codegen.MapMeta
	ReadMapTotals(name string) (*output.Value, error)
	Counters() (*runtime.Counters, error)
}

var _ Source = (*runtime.Session)(nil)

// Collector is a prometheus.Collector of a script's maps and counters,
// which it reads at each scrape; it keeps nothing between scrapes.
type Collector struct {
	src                          Source
	fams                         []*family
	lost, hits, entries, mapFull *prometheus.Desc
}

// NewCollector returns the collector of src's maps.
func NewCollector(src Source) *Collector {
	var metas []*codegen.MapMeta
	for _, name := range src.MapNames() {
		metas = append(metas, src.MapMeta(name))
	}
	return &Collector{
		src:     src,
		fams:    families(metas),
		lost:    prometheus.NewDesc(lostName, "Events the ring buffer had no room for.", nil, nil),
		hits:    prometheus.NewDesc(hitsName, "Runs of each probe's action, past its predicate.", []string{"probe"}, nil),
		entries: prometheus.NewDesc(entriesName, "Entries each map holds in the kernel (one for each bucket a histogram uses).", []string{"map"}, nil),
		mapFull: prometheus.NewDesc(fullName, "Updates each map refused because it was full.", []string{"map"}, nil),
	}
}

// Describe sends the descriptors of every family the collector exports.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, f := range c.fams {
		ch <- f.desc
	}
	ch <- c.lost
	ch <- c.hits
	ch <- c.entries
	ch <- c.mapFull
}

// Collect reads the maps and counters as they are now and sends their
// metrics. What cannot be read is sent as an invalid metric, which the
// handler reports while it serves the rest.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	for _, f := range c.fams {
		v, err := c.src.ReadMapTotals(f.meta.Name)
		if err != nil {
			ch <- prometheus.NewInvalidMetric(f.desc, err)
			continue
		}
		samples, held := f.samples(v)
		for i := range samples {
			m, err := f.metric(&samples[i])
			if err != nil {
				m = prometheus.NewInvalidMetric(f.desc, err)
			}
			ch <- m
		}
		ch <- prometheus.MustNewConstMetric(c.entries, prometheus.GaugeValue, float64(held), f.meta.Name)
	}
	counters, err := c.src.Counters()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.lost, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.lost, prometheus.CounterValue, float64(counters.Lost))
	for _, h := range counters.ProbeHits {
		ch <- prometheus.MustNewConstMetric(c.hits, prometheus.CounterValue, float64(h.Hits), h.Probe)
	}
	for _, f := range c.fams {
		if n, ok := counters.MapFull[f.meta.Name]; ok {
			ch <- prometheus.MustNewConstMetric(c.mapFull, prometheus.CounterValue, float64(n), f.meta.Name)
		}
	}
}

// Handler serves the metrics of src: the Prometheus text format, or
// OpenMetrics when the scraper asks for it.
func Handler(src Source) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(NewCollector(src))
	return handlerFor(reg)
}

// handlerFor serves what reg gathers.
func handlerFor(reg prometheus.Gatherer) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		EnableOpenMetrics: true,
		// A map that cannot be read leaves the others served.
		ErrorHandling: promhttp.ContinueOnError,
	})
}

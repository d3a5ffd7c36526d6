package metrics

import (
	"fmt"

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

// Collector reads a script's maps and counters as families of metrics,
// at each scrape; it keeps nothing between scrapes.
type Collector struct {
	src                          Source
	fams                         []*family // the maps'
	lost, hits, entries, mapFull *family
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
		lost:    newFamily(lostName, "Events the ring buffer had no room for.", counter),
		hits:    newFamily(hitsName, "Runs of each probe's action, past its predicate.", counter, "probe"),
		entries: newFamily(entriesName, "Entries each map holds in the kernel (one for each bucket a histogram uses).", gauge, "map"),
		mapFull: newFamily(fullName, "Updates each map refused because it was full.", counter, "map"),
	}
}

// familySamples is what one family holds at a scrape, or why it could not
// be read.
type familySamples struct {
	f       *family
	samples []sample
	err     error
}

// read reads every family as it is now: each map, then hawk's own counts.
func (c *Collector) read() []familySamples {
	out := make([]familySamples, 0, len(c.fams)+4)
	entries := familySamples{f: c.entries}
	for _, f := range c.fams {
		v, err := c.src.ReadMapTotals(f.meta.Name)
		if err != nil {
			out = append(out, familySamples{f: f, err: fmt.Errorf("reading %s: %w", f.meta.Name, err)})
			continue
		}
		samples, held := f.samples(v)
		out = append(out, familySamples{f: f, samples: samples})
		entries.samples = append(entries.samples, sample{labels: []string{f.meta.Name}, value: float64(held)})
	}
	out = append(out, entries)
	counters, err := c.src.Counters()
	if err != nil {
		return append(out, familySamples{f: c.lost, err: err})
	}
	out = append(out, familySamples{f: c.lost, samples: []sample{{value: float64(counters.Lost)}}})
	hits := familySamples{f: c.hits}
	for _, h := range counters.ProbeHits {
		hits.samples = append(hits.samples, sample{labels: []string{h.Probe}, value: float64(h.Hits)})
	}
	full := familySamples{f: c.mapFull}
	for _, f := range c.fams {
		if n, ok := counters.MapFull[f.meta.Name]; ok {
			full.samples = append(full.samples, sample{labels: []string{f.meta.Name}, value: float64(n)})
		}
	}
	return append(out, hits, full)
}

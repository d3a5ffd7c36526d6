package metrics

import (
	"compress/gzip"
	"io"
	"net/http"
	"sync"

	"github.com/prometheus/common/expfmt"
)

// Handler serves the metrics of src: the Prometheus text format, or
// OpenMetrics or protobuf when the scraper asks for it, gzipped when it
// takes gzip. It serves what client_golang's promhttp.HandlerFor serves
// of a registry of src's families, with EnableOpenMetrics and
// ContinueOnError (a test holds them to it), without the registry: the
// families are gathered straight into client_model's types (gather), and
// prometheus/common's expfmt negotiates the format and writes it.
func Handler(src Source) http.Handler {
	return handler{NewCollector(src)}
}

// gzipWriters keeps the gzip writers of past scrapes (each holds
// hundreds of kilobytes of tables).
var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

// handler is Handler's: it gathers c at each request.
type handler struct{ c *Collector }

// ServeHTTP serves one scrape. A map that cannot be read leaves the
// others served; an error is served alone only when nothing else is.
// name[] parameters select families by name, as promhttp's do.
func (h handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	mfs, err := h.c.gather()
	if err != nil && len(mfs) == 0 {
		http.Error(w, "An error has occurred while serving metrics:\n\n"+err.Error(), http.StatusInternalServerError)
		return
	}
	format := expfmt.NegotiateAccept(r.Header, expfmt.DefaultOpenMetricsAcceptedFormats()...)
	w.Header().Add("Vary", "Accept")
	w.Header().Add("Vary", "Accept-Encoding")
	w.Header().Set("Content-Type", string(format))
	var out io.Writer = w
	if takesGzip(r.Header) {
		w.Header().Set("Content-Encoding", "gzip")
		gz := gzipWriters.Get().(*gzip.Writer)
		gz.Reset(w)
		defer func() {
			gz.Close()
			gzipWriters.Put(gz)
		}()
		out = gz
	}
	var only map[string]bool
	if r.URL != nil {
		for _, name := range r.URL.Query()["name[]"] {
			if only == nil {
				only = map[string]bool{}
			}
			only[name] = true
		}
	}
	enc := expfmt.NewEncoder(out, format)
	for _, mf := range mfs {
		if only != nil && !only[mf.GetName()] {
			continue
		}
		// What cannot be written is left out; the rest is served.
		enc.Encode(mf)
	}
	if c, ok := enc.(expfmt.Closer); ok {
		// OpenMetrics's # EOF.
		c.Close()
	}
}

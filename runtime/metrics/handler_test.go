package metrics

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
)

// serve is what h answers to a GET of target with headers (name, value
// pairs): its status, headers and body, unzipped.
func serve(t *testing.T, h http.Handler, target string, headers ...string) (int, http.Header, string) {
	t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	for i := 0; i < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body := rec.Body.Bytes()
	if rec.Header().Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	return rec.Code, rec.Header(), string(body)
}

// Handler answers every request as promhttp's handler of a registry of
// the same families does: format and compression negotiated alike, the
// same headers, the same bytes; name[] selects families.
func TestHandlerIsPromhttp(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(registryCollector{NewCollector(sampleSource())})
	want := promhttp.HandlerFor(reg, promhttp.HandlerOpts{EnableOpenMetrics: true, ErrorHandling: promhttp.ContinueOnError})
	got := Handler(sampleSource())
	for _, tc := range []struct {
		target  string
		headers []string
	}{
		{"/metrics", nil},
		{"/metrics", []string{"Accept", "application/openmetrics-text; version=1.0.0"}},
		{"/metrics", []string{"Accept", "application/openmetrics-text;version=1.0.0;escaping=underscores"}},
		{"/metrics", []string{"Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"}},
		{"/metrics", []string{"Accept", "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"}},
		{"/metrics", []string{"Accept-Encoding", "gzip"}},
		{"/metrics", []string{"Accept-Encoding", "gzip;q=0"}},
		{"/metrics", []string{"Accept-Encoding", "identity, gzip"}},
		{"/metrics", []string{"Accept-Encoding", "identity;q=0.5, gzip"}},
		{"/metrics", []string{"Accept-Encoding", "br"}},
		{"/metrics?name[]=hawk_map_total&name[]=hawk_lat", nil},
	} {
		wantCode, wantHeader, wantBody := serve(t, want, tc.target, tc.headers...)
		gotCode, gotHeader, gotBody := serve(t, got, tc.target, tc.headers...)
		if gotCode != wantCode || gotBody != wantBody {
			t.Errorf("%s %q: Handler serves %d\n%s\npromhttp %d\n%s", tc.target, tc.headers, gotCode, gotBody, wantCode, wantBody)
		}
		for _, h := range []string{"Content-Type", "Content-Encoding", "Vary"} {
			if g, w := strings.Join(gotHeader.Values(h), ", "), strings.Join(wantHeader.Values(h), ", "); g != w {
				t.Errorf("%s %q: %s %q, promhttp's %q", tc.target, tc.headers, h, g, w)
			}
		}
	}
}

// A family whose name a registry refuses is left out, with its error;
// the others are served. With nothing to serve, the error is.
func TestInvalidFamily(t *testing.T) {
	src := sampleSource()
	src.metas = append(src.metas, meta("@bad\xff", codegen.AggCount, lang.CountType))
	src.values["@bad\xff"] = ptr(u(1))
	mfs, err := NewCollector(src).gather()
	if err == nil || !strings.Contains(err.Error(), "is not a valid metric name") {
		t.Errorf("gather's error %v, want the invalid name's", err)
	}
	for _, mf := range mfs {
		if strings.HasPrefix(mf.GetName(), "hawk_bad") {
			t.Errorf("the invalid family is served")
		}
	}
	if len(mfs) < 5 {
		t.Errorf("the valid families are not served: %d", len(mfs))
	}

	code, _, body := serve(t, Handler(&failingCounters{&fakeSource{}}), "/metrics")
	if code != http.StatusInternalServerError || !strings.Contains(body, "An error has occurred while serving metrics") {
		t.Errorf("nothing to serve: %d %q", code, body)
	}
}

// Label values in invalid UTF-8 (which labelText never makes) are
// refused, one series at a time.
func TestInvalidLabelValue(t *testing.T) {
	samples := []sample{{labels: []string{"a"}}, {labels: []string{"b\xff"}}, {labels: []string{"c"}}}
	ok, errs := valid(samples)
	if len(ok) != 2 || ok[0].labels[0] != "a" || ok[1].labels[0] != "c" || len(errs) != 1 {
		t.Errorf("valid kept %v, refused %v", ok, errs)
	}
	if samples[1].labels[0] != "b\xff" {
		t.Errorf("valid changed its argument")
	}
}

// failingCounters is a source whose counters cannot be read.
type failingCounters struct{ *fakeSource }

func (f *failingCounters) Counters() (*runtime.Counters, error) { return nil, runtime.ErrClosed }

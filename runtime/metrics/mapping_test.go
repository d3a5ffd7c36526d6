package metrics

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/client_golang/prometheus/testutil/promlint"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/golden"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
	"github.com/hawktrace/hawk/runtime/output"
)

// row is a histogram line of bucket [lo, hi) holding n values.
func row(lo, hi int64, n uint64) output.HistRow {
	return output.HistRow{Count: n, Lo: lo, Hi: hi, HasLo: true, HasHi: true}
}

// sampleSource is a script's worth of maps of every kind.
func sampleSource() *fakeSource {
	reset := meta("@cleared", codegen.AggCount, lang.CountType, "comm")
	reset.Reset = true
	return &fakeSource{
		metas: []*codegen.MapMeta{
			meta("@", codegen.AggCount, lang.CountType),
			meta("@opens", codegen.AggCount, lang.CountType, "comm", "pid"),
			meta("@files", codegen.AggCount, lang.CountType, "filename"),
			meta("@mixed", codegen.AggSum, lang.SumType(false), "k", ""),
			meta("@signed", codegen.AggSum, lang.SumType(true)),
			reset,
			meta("@lat", codegen.AggHist, lang.AggType(lang.KindHist, false, 0)),
			meta("@lin", codegen.AggLhist, lang.AggType(lang.KindLhist, false, 0, 100, 10), "le"),
			meta("@avg", codegen.AggAvg, lang.AggType(lang.KindAvg, true), ""),
			meta("@stats", codegen.AggStats, lang.AggType(lang.KindStats, false)),
			meta("@max", codegen.AggMax, lang.AggType(lang.KindMax, true)),
			meta("@name", codegen.AggNone, lang.StringType(16), "pid"),
			meta("@stack", codegen.AggCount, lang.CountType, "kstack"),
			meta("@sym", codegen.AggCount, lang.CountType, "func"),
			meta("@lost_events", codegen.AggCount, lang.CountType),
			meta("@empty", codegen.AggCount, lang.CountType, "pid"),
			meta("@ts", codegen.AggTseries, lang.AggType(lang.KindTseries, true)),
		},
		values: map[string]*output.Value{
			"@":        ptr(u(7)),
			"@opens":   keyed(tuple(str("sshd"), u(812)), u(1), tuple(str("bash"), u(12)), u(3)),
			"@files":   keyed(str("/etc/\"passwd\""), u(2)),
			"@mixed":   keyed(tuple(u(1), u(3)), u(40)),
			"@signed":  ptr(i64(-5)),
			"@cleared": keyed(str("bash"), u(0)),
			"@lat": {Kind: output.Hist, Rows: []output.HistRow{
				row(0, 1, 1), row(1, 2, 0), row(2, 4, 2), row(4, 8, 0), row(8, 16, 3),
			}},
			"@lin": keyed(u(5), output.Value{Kind: output.Hist, Rows: []output.HistRow{
				{Count: 1, Hi: 0, HasHi: true}, row(0, 10, 4), row(10, 20, 5), {Count: 2, Lo: 100, HasLo: true},
			}}),
			"@avg":   keyed(str("x"), output.StatsValue(u(4), i64(-2), i64(-10))),
			"@stats": ptr(output.StatsValue(u(3), u(5), u(15))),
			"@max":   ptr(i64(-1)),
			"@name":  keyed(u(1), str("systemd"), u(2), str("kthreadd")),
			"@stack": keyed(output.Value{Kind: output.Verbatim, S: "\n\tfoo+1\n\tbar+2\n"}, u(9)),
			// Two addresses in one function: one series.
			"@sym": keyed(output.SymbolValue("vfs_read", 1), u(2), output.SymbolValue("vfs_read", 2), u(3),
				output.SymbolValue("bad\xffname", 3), u(1)),
			"@lost_events": ptr(u(1)),
			// A time series gives its latest interval's value.
			"@ts": {Kind: output.Series, Points: []output.SeriesPoint{
				{Start: 1, Value: i64(4)}, {Start: 2, Value: i64(-6)}, {Start: 3, Missing: true},
			}},
		},
		counters: &runtime.Counters{
			Lost:      4,
			MapFull:   map[string]uint64{"@opens": 0, "@files": 2},
			ProbeHits: []runtime.ProbeHits{{Probe: "tracepoint:raw_syscalls:sys_enter", Hits: 99}, {Probe: "BEGIN", Hits: 1}},
		},
	}
}

// scrape gets src's metrics as a scraper that accepts accept would.
func scrape(t testing.TB, src Source, accept string) (string, string) {
	t.Helper()
	return scrapeHandler(t, Handler(src), accept)
}

// scrapeHandler gets what h serves to a scraper that accepts accept.
func scrapeHandler(t testing.TB, h http.Handler, accept string) (string, string) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, err := http.NewRequest("GET", srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %s: %s", resp.Status, body)
	}
	return string(body), resp.Header.Get("Content-Type")
}

// The exposition of every kind of map, in both formats, is the golden
// one and passes promtool's checks (promlint).
func TestExposition(t *testing.T) {
	for _, tc := range []struct{ file, accept, contentType string }{
		{"testdata/exposition.txt", "", "text/plain; version=0.0.4"},
		{"testdata/exposition.openmetrics", "application/openmetrics-text; version=1.0.0", "application/openmetrics-text; version=1.0.0"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			body, ct := scrape(t, sampleSource(), tc.accept)
			if !strings.HasPrefix(ct, tc.contentType) {
				t.Errorf("Content-Type %q, want %q", ct, tc.contentType)
			}
			golden.Check(t, tc.file, body)
		})
	}
	body, _ := scrape(t, sampleSource(), "")
	problems, err := promlint.New(strings.NewReader(body)).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		// hawk's names are the script's: a map of bytes is not named
		// _bytes, and counts have no unit.
		t.Logf("promlint: %s: %s", p.Metric, p.Text)
	}
}

// lines returns the lines of body that start with prefix.
func lines(body, prefix string) []string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return out
}

// Each map's family has the name, type and labels the mapping gives it.
func TestMapping(t *testing.T) {
	body, _ := scrape(t, sampleSource(), "")
	for _, want := range []string{
		// Names: hawk_NAME, @ alone is hawk_map; counters end in _total;
		// a name hawk's own families take gets a number.
		"# TYPE hawk_map_total counter",
		"hawk_map_total 7",
		"# TYPE hawk_lost_events_1_total counter",
		// Labels named after the key expressions, keyN otherwise, values as printed.
		`hawk_opens_total{comm="bash",pid="12"} 3`,
		`hawk_opens_total{comm="sshd",pid="812"} 1`,
		`hawk_files_total{filename="/etc/\"passwd\""} 2`,
		`hawk_mixed_total{k="1",key1="3"} 40`,
		"hawk_stack_total{kstack=\"\\n\tfoo+1\\n\tbar+2\\n\"} 9", // tabs stay
		// Keys that print alike add up; invalid UTF-8 is replaced.
		`hawk_sym_total{func="vfs_read"} 5`,
		"hawk_sym_total{func=\"bad\uFFFDname\"} 1",
		// Gauges: maps the script resets, signed sums, max, plain values.
		"# TYPE hawk_cleared gauge",
		`hawk_cleared{comm="bash"} 0`,
		"# TYPE hawk_signed gauge",
		"hawk_signed -5",
		"hawk_max -1",
		"# TYPE hawk_ts gauge",
		"hawk_ts -6",
		`hawk_name{pid="1",value="systemd"} 1`,
		// Histograms: le is a bucket's largest value, counts cumulate; no
		// sum is kept.
		"# TYPE hawk_lat histogram",
		`hawk_lat_bucket{le="0"} 1`,
		`hawk_lat_bucket{le="3"} 3`,
		`hawk_lat_bucket{le="15"} 6`,
		`hawk_lat_bucket{le="+Inf"} 6`,
		"hawk_lat_sum NaN",
		"hawk_lat_count 6",
		// A key written le is keyN beside the buckets' le.
		`hawk_lin_bucket{key0="5",le="-1"} 1`,
		`hawk_lin_bucket{key0="5",le="9"} 5`,
		`hawk_lin_bucket{key0="5",le="19"} 10`,
		`hawk_lin_bucket{key0="5",le="+Inf"} 12`,
		// avg and stats: _sum and _count.
		"# TYPE hawk_avg summary",
		`hawk_avg_sum{key0="x"} -10`,
		`hawk_avg_count{key0="x"} 4`,
		"hawk_stats_sum 15",
		"hawk_stats_count 3",
		// hawk's own.
		"hawk_lost_events_total 4",
		`hawk_probe_hits_total{probe="tracepoint:raw_syscalls:sys_enter"} 99`,
		`hawk_probe_hits_total{probe="BEGIN"} 1`,
		`hawk_map_entries{map="@opens"} 2`,
		`hawk_map_entries{map="@lat"} 3`,
		`hawk_map_entries{map="@lin"} 4`,
		`hawk_map_entries{map="@sym"} 3`,
		`hawk_map_entries{map="@empty"} 0`,
		`hawk_map_full_total{map="@files"} 2`,
		`hawk_map_full_total{map="@opens"} 0`,
	} {
		if len(lines(body, want)) == 0 {
			t.Errorf("no line %q in\n%s", want, body)
		}
	}
	if got := lines(body, "hawk_empty"); len(got) > 0 {
		t.Errorf("an empty map has series: %q", got)
	}
}

// The collector's descriptors and metrics agree, as the pedantic
// registry checks, and Handler serves what the registry gathers from it,
// in both formats.
func TestGathererIsRegistry(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(registryCollector{NewCollector(sampleSource())})
	if _, err := reg.Gather(); err != nil {
		t.Fatal(err)
	}
	viaRegistry := promhttp.HandlerFor(reg, promhttp.HandlerOpts{EnableOpenMetrics: true})
	for _, accept := range []string{"", "application/openmetrics-text; version=1.0.0"} {
		want, _ := scrapeHandler(t, viaRegistry, accept)
		got, _ := scrape(t, sampleSource(), accept)
		if got != want {
			t.Errorf("Accept %q: Handler serves\n%s\nthe registry\n%s", accept, got, want)
		}
	}
}

// A map that cannot be read (the session closed) leaves the others
// served.
func TestUnreadableMap(t *testing.T) {
	src := sampleSource()
	src.metas = append(src.metas, meta("@gone", codegen.AggCount, lang.CountType))
	src.values["@gone"] = nil
	body, _ := scrape(t, &failing{src, "@gone"}, "")
	if len(lines(body, "hawk_map_total 7")) == 0 {
		t.Errorf("the readable maps are not served:\n%s", body)
	}
}

// failing is a source whose map name cannot be read.
type failing struct {
	*fakeSource
	name string
}

func (f *failing) ReadMapTotals(name string) (*output.Value, error) {
	if name == f.name {
		return nil, runtime.ErrClosed
	}
	return f.fakeSource.ReadMapTotals(name)
}

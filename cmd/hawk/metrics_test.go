package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// metricsScript is issue 15's acceptance script: a counter per process
// and a histogram.
const metricsScript = `tracepoint:raw_syscalls:sys_enter { @[comm] = count(); @lat = hist(nsecs % 1000); }`

// freeAddr returns a loopback address with a port no one listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// httpGet gets url, asking for the formats accept names; it returns the
// body and the Content-Type.
func httpGet(url, accept string) (string, string, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return "", "", err
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return "", "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", "", fmt.Errorf("GET %s: %s: %s", url, resp.Status, body)
	}
	return string(body), resp.Header.Get("Content-Type"), nil
}

// printedCounts reads the @[comm] counts hawk printed at exit.
func printedCounts(stdout string) map[string]float64 {
	counts := map[string]float64{}
	for _, m := range regexp.MustCompile(`(?m)^@\[(.*)\]: (\d+)$`).FindAllStringSubmatch(stdout, -1) {
		n, _ := strconv.ParseFloat(m[2], 64)
		counts[m[1]] = n
	}
	return counts
}

// hawk --metrics serves the maps while the script runs, in the text
// format and in OpenMetrics, which promtool's checks accept and a real
// Prometheus scrapes; Ctrl-C then prints the maps as usual and leaves
// nothing loaded.
func TestMetricsServe(t *testing.T) {
	addr := freeAddr(t)
	h := startHawk(t, "--metrics", addr, "-e", metricsScript)
	metricsURL := "http://" + addr + "/metrics"
	var body string
	h.waitFor("serving both maps", func() bool {
		b, _, err := httpGet(metricsURL, "")
		body = b
		// nsecs % 1000 falls in [512, 1K) half the time: le is 1023.
		return err == nil && strings.Contains(b, "hawk_map_total{comm=") && strings.Contains(b, `hawk_lat_bucket{le="1023"}`)
	})
	for _, want := range []string{
		"# TYPE hawk_map_total counter",
		"# TYPE hawk_lat histogram",
		`hawk_lat_bucket{le="+Inf"} `,
		"hawk_lost_events_total 0",
		`hawk_probe_hits_total{probe="tracepoint:raw_syscalls:sys_enter"} `,
		`hawk_map_entries{map="@"} `,
		`hawk_map_full_total{map="@"} 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the exposition has no %q:\n%s", want, body)
		}
	}
	problems, err := promlint.New(strings.NewReader(body)).Lint()
	if err != nil || len(problems) > 0 {
		t.Errorf("promlint: %v %v", problems, err)
	}
	t.Run("promtool", func(t *testing.T) {
		promtool, err := exec.LookPath("promtool")
		if err != nil {
			kerneltest.Missing(t, "no promtool (Debian's prometheus package): promtool check metrics cannot run")
		}
		cmd := exec.Command(promtool, "check", "metrics")
		cmd.Stdin = strings.NewReader(body)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool check metrics: %v\n%s", err, out)
		}
	})
	om, ct, err := httpGet(metricsURL, "application/openmetrics-text; version=1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ct, "application/openmetrics-text") || !strings.HasSuffix(om, "# EOF\n") {
		t.Errorf("OpenMetrics asked for, got %q:\n%s", ct, om)
	}

	var scraped map[string]float64
	t.Run("prometheus", func(t *testing.T) { scraped = scrapeWithPrometheus(t, addr) })

	took, st := h.stop(syscall.SIGINT)
	stdout, stderr := h.output()
	if !st.Success() {
		t.Errorf("hawk ended with %v after SIGINT (%v): %s", st, took, stderr)
	}
	printed := printedCounts(stdout)
	if len(printed) == 0 || !strings.Contains(stdout, "@lat:\n") {
		t.Errorf("the maps did not print at exit:\n%s", stdout)
	}
	// What Prometheus scraped was counted before hawk printed.
	for comm, n := range scraped {
		if p, ok := printed[comm]; !ok || p < n {
			t.Errorf("Prometheus has %s at %v, hawk printed %v (%v)", comm, n, p, ok)
		}
	}
	h.objs.assertReleased(t)
	if _, _, err := httpGet(metricsURL, ""); err == nil {
		t.Errorf("%s is still served after hawk ended", metricsURL)
	}
}

// scrapeWithPrometheus runs Prometheus (Debian's package) scraping addr
// every second, waits for two scrapes, and returns hawk_map_total by comm
// as its query API gives it. make test installs Prometheus
// (scripts/test-deps); without it t skips, or fails under
// HAWK_TEST_KERNEL=1.
func scrapeWithPrometheus(t *testing.T, addr string) map[string]float64 {
	t.Helper()
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		kerneltest.Missing(t, "no prometheus (Debian's package): the test against a real Prometheus server cannot run")
	}
	dir := t.TempDir()
	config := fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: hawk
    static_configs:
      - targets: [%q]
`, addr)
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	web := freeAddr(t)
	var log kerneltest.Buffer // written while the test reads it
	cmd := exec.Command(bin, "--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "data"), "--web.listen-address="+web)
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}()
	query := func(q string) ([]promSample, error) {
		body, _, err := httpGet("http://"+web+"/api/v1/query?query="+url.QueryEscape(q), "")
		if err != nil {
			return nil, err
		}
		var r struct {
			Status string
			Error  string
			Data   struct{ Result []promSample }
		}
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			return nil, err
		}
		if r.Status != "success" {
			return nil, fmt.Errorf("query %s: %s", q, r.Error)
		}
		return r.Data.Result, nil
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		// up is recorded at every scrape: two of them, both up.
		r, err := query(`count_over_time(up{job="hawk"}[5m]) >= 2 and on() min_over_time(up{job="hawk"}[5m]) == 1`)
		if err == nil && len(r) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Prometheus did not scrape hawk twice in 60s (%v):\n%s", err, log.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	counts := map[string]float64{}
	r, err := query("hawk_map_total")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range r {
		counts[s.Metric["comm"]] = s.number(t)
	}
	if counts["hawk"] <= 0 {
		t.Errorf("Prometheus has no syscalls of hawk: %v", counts)
	}
	if r, err := query(`hawk_lat_bucket{le="+Inf"}`); err != nil || len(r) != 1 || r[0].number(t) <= 0 {
		t.Errorf(`hawk_lat_bucket{le="+Inf"}: %v %v`, r, err)
	}
	// A histogram Prometheus can take quantiles of: nsecs % 1000 is below 1000.
	if r, err := query(`histogram_quantile(0.5, hawk_lat_bucket)`); err != nil || len(r) != 1 || r[0].number(t) <= 0 || r[0].number(t) > 1023 {
		t.Errorf("histogram_quantile(0.5, hawk_lat_bucket): %v %v", r, err)
	}
	if r, err := query(`hawk_probe_hits_total`); err != nil || len(r) != 1 || r[0].Metric["probe"] != "tracepoint:raw_syscalls:sys_enter" {
		t.Errorf("hawk_probe_hits_total: %v %v", r, err)
	}
	t.Logf("Prometheus scraped %d processes' counts", len(counts))
	return counts
}

// promSample is one series of a Prometheus instant query's answer.
type promSample struct {
	Metric map[string]string
	Value  [2]any // time, value as a string
}

func (s promSample) number(t *testing.T) float64 {
	t.Helper()
	text, _ := s.Value[1].(string)
	n, err := strconv.ParseFloat(text, 64)
	if err != nil {
		t.Errorf("value %v: %v", s.Value, err)
	}
	return n
}

// --metrics takes an address, binds it before the script loads, and goes
// only with a script that runs.
func TestMetricsOptions(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--metrics"}, "option --metrics needs a value"},
		{[]string{"--metrics=", "-e", "BEGIN {}"}, "option --metrics needs an address"},
		{[]string{"--metrics", ":0", "--verify", "-e", "BEGIN {}"}, "--metrics serves the maps of a running script"},
		{[]string{"--metrics", ":0", "-d", "asm", "-e", "BEGIN {}"}, "--metrics serves the maps of a running script"},
		{[]string{"--metrics", ":0", "--emit-elf", "x.o", "-e", "BEGIN {}"}, "--metrics serves the maps of a running script"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(tc.args, strings.NewReader(""), &stdout, &stderr); code != exitUser || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("hawk %q: exit %d, stderr %q; want %d and %q", tc.args, code, stderr.String(), exitUser, tc.want)
		}
	}
	if !strings.Contains(usage(), "--metrics ADDR") {
		t.Error("the usage does not list --metrics")
	}
}

// A port another program holds ends hawk before anything loads.
func TestMetricsPortTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	out, err := hawkCmd(t, "--metrics", ln.Addr().String(), "-e", "BEGIN { printf(\"ran\\n\"); exit(); }").CombinedOutput()
	if exitCode(err) != exitUser || !strings.Contains(string(out), "hawk: error: --metrics: listen tcp "+ln.Addr().String()) ||
		strings.Contains(string(out), "ran") {
		t.Errorf("exit %d, output %q", exitCode(err), out)
	}
}

// Updates a full map refuses are counted by map, the keys it holds too,
// and the key's label is named after the variable.
func TestMetricsMapFull(t *testing.T) {
	addr := freeAddr(t)
	h := startHawk(t, "--metrics", addr, "-e",
		`config = { max_map_keys = 4 } BEGIN { for ($i : 0..10) { @m[$i] = $i; } @c[1] = count(); } interval:s:10 { }`)
	var body string
	h.waitFor("serving", func() bool {
		b, _, err := httpGet("http://"+addr+"/metrics", "")
		body = b
		return err == nil && strings.Contains(b, "hawk_c_total")
	})
	for _, want := range []string{
		`hawk_map_full_total{map="@m"} 6`, `hawk_map_full_total{map="@c"} 0`,
		`hawk_map_entries{map="@m"} 4`, `hawk_m{i="3"} 3`, `hawk_c_total{key0="1"} 1`,
		`hawk_probe_hits_total{probe="BEGIN"} 1`, `hawk_probe_hits_total{probe="interval:s:10"} 0`,
	} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("no %q in\n%s", want, body)
		}
	}
	if _, st := h.stop(syscall.SIGINT); !st.Success() {
		t.Errorf("hawk ended with %v", st)
	}
	h.objs.assertReleased(t)
}

// A count() that finds its map full counts the refused key with the same
// add as a hit, into its site's counter (codegen's countOne, and
// incrFunc where two sites share it): each key past the fourth is one
// refusal.
func TestMetricsMapFullCount(t *testing.T) {
	for _, script := range []string{
		`config = { max_map_keys = 4 } BEGIN { for ($i : 0..10) { @m[$i] = count(); } } interval:s:10 { }`,
		`config = { max_map_keys = 4 } BEGIN { for ($i : 0..10) { @m[$i] = count(); } @n[1] = count(); } interval:s:10 { }`,
	} {
		addr := freeAddr(t)
		h := startHawk(t, "--metrics", addr, "-e", script)
		var body string
		h.waitFor("serving", func() bool {
			b, _, err := httpGet("http://"+addr+"/metrics", "")
			body = b
			return err == nil && strings.Contains(b, "hawk_m_total")
		})
		for _, want := range []string{
			`hawk_map_full_total{map="@m"} 6`, `hawk_map_entries{map="@m"} 4`,
			`hawk_m_total{i="0"} 1`, `hawk_m_total{i="3"} 1`,
		} {
			if !strings.Contains(body, want+"\n") {
				t.Errorf("%s: no %q in\n%s", script, want, body)
			}
		}
		if _, st := h.stop(syscall.SIGINT); !st.Success() {
			t.Errorf("hawk ended with %v", st)
		}
	}
}

// A program that serves several attach points counts its hits under the
// attach points as the script writes them, patterns unexpanded; one that
// serves one, under its attach point.
func TestMetricsProbeHits(t *testing.T) {
	addr := freeAddr(t)
	h := startHawk(t, "--metrics", addr, "-e", `tracepoint:syscalls:sys_enter_open* { @ = count(); }
tracepoint:syscalls:sys_enter_read,tracepoint:syscalls:sys_enter_write { @rw = count(); }
tracepoint:syscalls:sys_enter_close* { @c[probe] = count(); }`)
	var body string
	h.waitFor("serving", func() bool {
		b, _, err := httpGet("http://"+addr+"/metrics", "")
		body = b
		return err == nil && strings.Contains(b, "hawk_probe_hits_total")
	})
	for _, want := range []string{
		`hawk_probe_hits_total{probe="tracepoint:syscalls:sys_enter_open*"} `,
		`hawk_probe_hits_total{probe="tracepoint:syscalls:sys_enter_read,tracepoint:syscalls:sys_enter_write"} `,
		// probe makes one program an attach point.
		`hawk_probe_hits_total{probe="tracepoint:syscalls:sys_enter_close"} `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("no %q in\n%s", want, body)
		}
	}
	if n := strings.Count(body, "\nhawk_probe_hits_total{"); n > 10 {
		t.Errorf("%d series of hawk_probe_hits_total:\n%s", n, body)
	}
	h.stop(syscall.SIGINT)
}

package metrics

import (
	"encoding/binary"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cilium/ebpf"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
	"github.com/hawktrace/hawk/runtime/output"
)

// benchKeys is how many keys the scrape benchmark's map holds: issue 15
// wants them scraped in under 50 ms.
const benchKeys = 10000

// loadWithKeys loads a script whose @opens[comm, pid] map user space
// fills with n keys, and returns its session, which the test closes.
func loadWithKeys(tb testing.TB, n int) *runtime.Session {
	tb.Helper()
	kerneltest.Require(tb)
	script, err := hawk.Compile(lang.NewSource("bench.bt",
		`config = { max_map_keys = 20000 } tracepoint:raw_syscalls:sys_enter /pid == 0 && comm == "never"/ { @opens[comm, pid] = count(); @lat = hist(nsecs); }`),
		hawk.Config{CountHits: true})
	if err != nil {
		tb.Fatal(err)
	}
	sess, err := runtime.Load(script.Out, runtime.Options{Stdout: io.Discard, Stderr: io.Discard, Quiet: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { sess.Close() })
	m := sess.MapMeta("@opens")
	bm := sess.Collection().Maps[m.SpecName]
	ncpu, err := ebpf.PossibleCPU()
	if err != nil {
		tb.Fatal(err)
	}
	comm, pid := m.Key.Parts[0], m.Key.Parts[1]
	key := make([]byte, m.Key.Size)
	counts := make([]uint64, ncpu)
	for i := range n {
		clear(key)
		copy(key[comm.Offset:comm.Offset+comm.Type.Size-1], fmt.Sprintf("proc%d", i%97))
		binary.NativeEndian.PutUint64(key[pid.Offset:], uint64(1000+i))
		for c := range counts {
			counts[c] = uint64(i + c)
		}
		if err := bm.Update(key, counts, ebpf.UpdateAny); err != nil {
			tb.Fatal(err)
		}
	}
	return sess
}

// BenchmarkScrape10000Keys scrapes, as Prometheus does, a script whose
// map holds 10,000 keys: the batch lookups, decoding, and the text
// exposition.
func BenchmarkScrape10000Keys(b *testing.B) {
	sess := loadWithKeys(b, benchKeys)
	h := Handler(sess)
	req := httptest.NewRequest("GET", "/metrics", nil)
	var size int
	cpu := cpuTime()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		size = rec.Body.Len()
	}
	// The CPU time hawk spends (user and system), which other work on a
	// loaded machine does not lengthen as it does the elapsed time.
	b.ReportMetric(float64(cpuTime()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/scrape")
	b.ReportMetric(float64(b.Elapsed())/float64(time.Millisecond)/float64(b.N), "ms/scrape")
	b.ReportMetric(float64(size), "bytes/scrape")
}

// cpuTime is the CPU time the process has used, in user and system mode.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestScrape10000Keys checks what the benchmark scrapes: every key, each
// with its value.
func TestScrape10000Keys(t *testing.T) {
	sess := loadWithKeys(t, benchKeys)
	rec := httptest.NewRecorder()
	start := time.Now()
	Handler(sess).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	t.Logf("one scrape of %d keys took %v (%d bytes)", benchKeys, time.Since(start), rec.Body.Len())
	body := rec.Body.String()
	if got := strings.Count(body, "\nhawk_opens_total{"); got != benchKeys {
		t.Errorf("%d series of hawk_opens_total, want %d", got, benchKeys)
	}
	ncpu, _ := ebpf.PossibleCPU()
	// Key 1234 holds 1234 + c on each CPU c.
	want := fmt.Sprintf(`hawk_opens_total{comm="proc%d",pid="%d"} %d`, 1234%97, 1000+1234, 1234*ncpu+ncpu*(ncpu-1)/2)
	if !strings.Contains(body, want+"\n") {
		t.Errorf("no %q", want)
	}
	for _, want := range []string{`hawk_map_entries{map="@opens"} 10000`, `hawk_map_entries{map="@lat"} 0`,
		`hawk_probe_hits_total{probe="tracepoint:raw_syscalls:sys_enter"} 0`, `hawk_map_full_total{map="@opens"} 0`} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("no %q", want)
		}
	}
}

// BenchmarkExpose10000Keys is the scrape without the kernel: the mapping
// and the exposition of an @opens[comm, pid] map of 10,000 keys, as
// ReadMapTotals decodes it.
func BenchmarkExpose10000Keys(b *testing.B) {
	v := &output.Value{Kind: output.Map}
	for i := range benchKeys {
		v.Entries = append(v.Entries, output.Entry{
			Key:   tuple(str(fmt.Sprintf("proc%d", i%97)), u(uint64(1000+i))),
			Value: u(uint64(i)),
		})
	}
	src := &fakeSource{
		metas:  []*codegen.MapMeta{meta("@opens", codegen.AggCount, lang.CountType, "comm", "pid")},
		values: map[string]*output.Value{"@opens": v},
	}
	h := Handler(src)
	req := httptest.NewRequest("GET", "/metrics", nil)
	cpu := cpuTime()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/scrape")
}

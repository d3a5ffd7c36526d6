package hawk_test

import (
	"context"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/cilium/ebpf"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/internal/kerneltest"
)

// benchKeys is how many keys BenchmarkMapRead reads: issue 15 asks that
// reading 100,000 keys into Go values take under 100 ms.
const benchKeys = 100_000

// startFilled starts a script whose map @m has n keys (nsecs-typed, so
// uint64), filled from Go through the collection: a plain map of
// integers, or with count a count() map (per-CPU counters, which the read
// adds up).
func startFilled(tb testing.TB, n int, count bool) *hawk.Running {
	tb.Helper()
	kerneltest.Require(tb)
	value := "(uint64)0"
	if count {
		value = "count()"
	}
	script := compile(tb, `config = { max_map_keys = 200000 }
BEGIN { @m[(uint64)0] = `+value+`; }
interval:s:100 { exit(); }
`)
	r, err := hawk.Start(context.Background(), script, hawk.StartOptions{Runtime: quiet})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { r.Stop() })
	meta := r.Session().MapMeta("@m")
	if meta.Key.Size != 8 || meta.ValueSize != 8 {
		tb.Fatalf("@m has %d-byte keys and %d-byte values, want 8 and 8", meta.Key.Size, meta.ValueSize)
	}
	ncpus := 1
	if count {
		if ncpus, err = ebpf.PossibleCPU(); err != nil {
			tb.Fatal(err)
		}
	}
	keys, values := make([]uint64, n), make([]uint64, n*ncpus)
	for i := range keys {
		keys[i] = uint64(i)
		values[i*ncpus] = uint64(n - i) // on the first CPU
	}
	m := r.Collection().Maps[meta.SpecName]
	if _, err := m.BatchUpdate(keys, values, &ebpf.BatchOptions{}); err != nil {
		tb.Fatal(err)
	}
	return r
}

// TestMapRead100k: reading a map of 100,000 keys gives every entry, in
// print order (ascending values). How long it takes is BenchmarkMapRead's
// to measure (the issue asks for under 100 ms; speed is checked by make
// bench, not by timed tests): the test logs it.
func TestMapRead100k(t *testing.T) {
	r := startFilled(t, benchKeys, false)
	best := time.Hour
	for range 3 {
		start := time.Now()
		v, err := r.Map("@m")
		best = min(best, time.Since(start))
		if err != nil {
			t.Fatal(err)
		}
		m, ok := v.(hawk.Map)
		if !ok || len(m) != benchKeys {
			t.Fatalf("@m read as %T of %d entries, want a Map of %d", v, len(m), benchKeys)
		}
		if m[0].Key != uint64(benchKeys-1) || m[0].Value != uint64(1) || m[benchKeys-1].Value != uint64(benchKeys) {
			t.Fatalf("@m begins %v and ends %v", m[0], m[benchKeys-1])
		}
	}
	t.Logf("read %d keys in %v", benchKeys, best)
}

// BenchmarkMapRead reads a map of 100,000 keys into Go values. Besides
// the time a read takes, it reports the CPU time the process spent on it
// (cpu-ms/read, garbage collection included), which says more on a
// loaded machine.
func BenchmarkMapRead(b *testing.B) { benchMapRead(b, false) }

// BenchmarkMapReadCount is BenchmarkMapRead for a count() map of 100,000
// keys, whose counters are per CPU.
func BenchmarkMapReadCount(b *testing.B) { benchMapRead(b, true) }

func benchMapRead(b *testing.B, count bool) {
	r := startFilled(b, benchKeys, count)
	runtime.GC()
	b.ResetTimer()
	cpu := cpuTime()
	for range b.N {
		v, err := r.Map("@m")
		if err != nil {
			b.Fatal(err)
		}
		if m, _ := v.(hawk.Map); len(m) != benchKeys {
			b.Fatalf("@m has %d entries, want %d", len(m), benchKeys)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/read")
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/read")
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

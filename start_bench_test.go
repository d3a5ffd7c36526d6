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
// uint64), filled from Go through the collection.
func startFilled(tb testing.TB, n int) *hawk.Running {
	tb.Helper()
	kerneltest.Require(tb)
	script := compile(tb, `config = { max_map_keys = 200000 }
BEGIN { @m[(uint64)0] = (uint64)0; }
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
	keys, values := make([]uint64, n), make([]uint64, n)
	for i := range keys {
		keys[i], values[i] = uint64(i), uint64(n-i)
	}
	m := r.Collection().Maps[meta.SpecName]
	if _, err := m.BatchUpdate(keys, values, &ebpf.BatchOptions{}); err != nil {
		for i := range keys { // a kernel without batch updates
			if err := m.Put(keys[i], values[i]); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return r
}

// TestMapRead100k: reading a map of 100,000 keys gives every entry, in
// print order (ascending values). How long it takes is BenchmarkMapRead's
// to measure (the issue asks for under 100 ms; speed is checked by make
// bench, not by timed tests): the test logs it.
func TestMapRead100k(t *testing.T) {
	r := startFilled(t, benchKeys)
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
func BenchmarkMapRead(b *testing.B) {
	r := startFilled(b, benchKeys)
	runtime.GC()
	b.ResetTimer()
	cpu := cpuTime()
	for range b.N {
		if _, err := r.Map("@m"); err != nil {
			b.Fatal(err)
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

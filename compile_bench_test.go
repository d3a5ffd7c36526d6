package hawk_test

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/internal/testenv"
	"github.com/hawktrace/hawk/lang"
)

// generatedScript returns a script of about lines lines: probes of twenty
// lines each, mixing the language's constructs as real scripts do.
func generatedScript(lines int) string {
	var b strings.Builder
	b.WriteString("config = { max_strlen = 64 }\n")
	b.WriteString("macro clamp(x, hi) { x > hi ? hi : x }\n")
	for i := 0; i < lines/20; i++ {
		fmt.Fprintf(&b, `tracepoint:syscalls:sys_enter_openat /pid != %d/ {
	$f%d = str(args.filename);
	@opens%d[comm, $f%d] = count();
	@bytes%d = sum(args.flags & 0xff);
	@lat%d = hist(nsecs %% 1000);
	let $n: uint32 = (uint32)args.mode;
	if ($n > 10) {
		$n = clamp!($n * 2, 100);
	} else if ($n == 3) {
		$n += 7;
	} else {
		$n = $n << 2;
	}
	for ($i : 0..4) { @loop%d[$i] = $i * $n; }
	@t%d = (pid, comm, $n);
	@r%d = (a = tid, b = "x");
	if (strncmp($f%d, "/etc", 4) == 0) { printf("%%s %%d %%u\n", $f%d, pid, $n); }
	@m%d = max($n);
	@s%d = stats($n);
	unroll(2) { $n++; }
}
`, i, i, i, i, i, i, i, i, i, i, i, i, i)
	}
	return b.String()
}

// BenchmarkCompile1000Lines measures parse, check and code generation of a
// generated 1,000-line script; the target is 50 ms.
func BenchmarkCompile1000Lines(b *testing.B) { benchmarkCompile(b, 1000) }

// BenchmarkCompile2000Lines is the same for 2,000 lines.
func BenchmarkCompile2000Lines(b *testing.B) { benchmarkCompile(b, 2000) }

// BenchmarkCompile10000Lines is the same for 10,000 lines; the targets are
// a second and 100 MB at the peak.
func BenchmarkCompile10000Lines(b *testing.B) { benchmarkCompile(b, 10000) }

// benchmarkCompile compiles a generated script of lines lines and reports,
// beside time and allocations, the peak of the heap while compiling:
// "peak-heap-MB" is the most the heap's objects (live, and dead ones not
// yet swept) took at any sample, and "peak-sys-MB" the most memory the Go
// runtime had mapped (heap, stacks and its own, an upper bound of what the
// process adds to its resident set), both sampled every 200 µs from a
// collected heap at the start of each compile.
func benchmarkCompile(b *testing.B, lines int) {
	text := generatedScript(lines)
	env := &formatCache{formats: map[string]*lang.TracepointFormat{}}
	var peakHeap, peakSys uint64
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		stop := samplePeaks(&peakHeap, &peakSys)
		b.StartTimer()
		_, err := hawk.Compile(lang.NewSource("big.bt", text), hawk.Config{Env: env})
		b.StopTimer()
		stop()
		b.StartTimer()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(peakSys)/(1<<20), "peak-sys-MB")
}

// formatCache is testenv.Env, which reads a tracepoint's format from its
// file at every call, with the formats kept once read, as the kernel's
// Env keeps them (runtime/tracefs.Formats): what the benchmarks measure is
// hawk's compiling.
type formatCache struct {
	testenv.Env
	formats map[string]*lang.TracepointFormat
}

// TracepointFormat returns the format of category:name, read once.
func (c *formatCache) TracepointFormat(category, name string) (*lang.TracepointFormat, error) {
	key := category + ":" + name
	if f, ok := c.formats[key]; ok {
		return f, nil
	}
	f, err := c.Env.TracepointFormat(category, name)
	if err == nil {
		c.formats[key] = f
	}
	return f, err
}

// samplePeaks samples the heap's objects and the runtime's mapped memory
// until the function it returns is called, keeping the largest of each.
func samplePeaks(heap, sys *uint64) (stop func()) {
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/total:bytes"}}
	read := func() {
		metrics.Read(samples)
		*heap = max(*heap, samples[0].Value.Uint64())
		*sys = max(*sys, samples[1].Value.Uint64())
	}
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				read()
				return
			case <-t.C:
				read()
			}
		}
	}()
	return func() { close(done); <-finished }
}

// TestGeneratedScriptCompiles keeps the benchmarks' scripts valid and
// checks that compiling grows linearly, counted in allocations and bytes
// allocated, which do not flake as time does: 10x the lines may make at
// most 11x the allocations, and allocate 13x the bytes (slices that grow
// by doubling make the bytes of linear code a little uneven). Anything
// quadratic fails it: one allocation more for each pair of the
// 10,000-line script's 500 probes takes it past 11x. It checks the
// benchmarks' script, of many probes, 1,000 against 10,000 lines, and one
// probe of 500 against 5,000 statements.
func TestGeneratedScriptCompiles(t *testing.T) {
	for _, shape := range []struct {
		name       string
		script     func(lines int) string
		small, big int
	}{{"probes", generatedScript, 1000, 10000}, {"statements", longProbe, 500, 5000}} {
		t.Run(shape.name, func(t *testing.T) {
			small, smallBytes := compileAllocs(t, shape.script(shape.small))
			big, bigBytes := compileAllocs(t, shape.script(shape.big))
			allocs, bytes := float64(big)/float64(small), float64(bigBytes)/float64(smallBytes)
			if allocs > 11 || bytes > 13 {
				t.Errorf("%d lines: %d allocations, %d bytes; %d lines: %d allocations (%.1fx), %d bytes (%.1fx): more than linear",
					shape.small, small, smallBytes, shape.big, big, allocs, bigBytes, bytes)
			}
		})
	}
}

// longProbe returns a script of one probe of about lines statements.
func longProbe(lines int) string {
	var b strings.Builder
	b.WriteString("tracepoint:syscalls:sys_enter_openat {\n")
	for i := 0; i < lines; i++ {
		fmt.Fprintf(&b, "\t$x%d = %d + args.flags; @m%d[%d] = count(); if ($x%d > 3) { @c = sum($x%d); }\n", i%50, i, i%40, i, i%50, i%50)
	}
	b.WriteString("}\n")
	return b.String()
}

// compileAllocs compiles text, which must compile, and returns the
// allocations and bytes allocated of compiling it a second time.
func compileAllocs(t *testing.T, text string) (allocs, bytes uint64) {
	t.Helper()
	compile := func() {
		if _, err := hawk.Compile(lang.NewSource("big.bt", text), hawk.Config{Env: testenv.Env{}}); err != nil {
			t.Fatal(err)
		}
	}
	compile()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	compile()
	runtime.ReadMemStats(&after)
	return after.Mallocs - before.Mallocs, after.TotalAlloc - before.TotalAlloc
}

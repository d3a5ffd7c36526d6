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
	var peakHeap, peakSys uint64
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		stop := samplePeaks(&peakHeap, &peakSys)
		b.StartTimer()
		_, err := hawk.Compile(lang.NewSource("big.bt", text), hawk.Config{Env: testenv.Env{}})
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

// TestGeneratedScriptCompiles keeps the benchmark's script valid and
// checks that compiling grows linearly, counted in allocations, which do
// not flake as time does: 4x the lines may take at most 6x as many.
func TestGeneratedScriptCompiles(t *testing.T) {
	allocs := func(lines int) float64 {
		text := generatedScript(lines)
		if _, err := hawk.Compile(lang.NewSource("big.bt", text), hawk.Config{Env: testenv.Env{}}); err != nil {
			t.Fatal(err)
		}
		return testing.AllocsPerRun(1, func() {
			hawk.Compile(lang.NewSource("big.bt", text), hawk.Config{Env: testenv.Env{}})
		})
	}
	small, big := allocs(500), allocs(2000)
	if big > 6*small {
		t.Errorf("500 lines: %.0f allocations, 2000 lines: %.0f: more than linear", small, big)
	}
}

package output

import (
	"bytes"
	"testing"
	"time"
)

// TestBenchResultText: bpftrace's benchmark table, its name column 40
// wide or as wide as the longest name, the time column 15.
func TestBenchResultText(t *testing.T) {
	var b bytes.Buffer
	w := NewText(&b, &b, BufferFull)
	names := []string{"count", "loop"}
	w.BenchResult(names, 0, 9*time.Nanosecond, 160000)
	w.BenchResult(names, 1, 1234*time.Nanosecond, 2000)
	w.Flush()
	want := "Benchmark                                Time(ns)       Iterations\n" +
		"------------------------------------------------------------------\n" +
		"count                                    9              160000\n" +
		"loop                                     1234           2000\n"
	if b.String() != want {
		t.Errorf("got:\n%q\nwant:\n%q", b.String(), want)
	}
}

// TestTestResultText: bpftrace's test report, coloured, with the output
// of failed tests only, and the summary after the last.
func TestTestResultText(t *testing.T) {
	var b bytes.Buffer
	w := NewText(&b, &b, BufferFull)
	names := []string{"ok", "bad"}
	w.TestResult(names, 0, 2*time.Microsecond, []bool{true}, "hidden\n")
	w.TestResult(names, 1, 3*time.Millisecond, []bool{true, false}, "shown\n\nagain\n")
	w.Flush()
	const g, r, x = "\033[32m", "\033[31m", "\033[0m"
	want := g + "[==========]" + x + " Running 2 tests.\n" +
		g + "[ RUN      ]" + x + " ok\n" +
		g + "[       OK ]" + x + " ok (2 us)\n" +
		g + "[ RUN      ]" + x + " bad\n" +
		"shown\nagain\n" +
		r + "[  FAILED  ]" + x + " bad (3 ms)\n" +
		g + "[==========]" + x + " 2 tests ran.\n" +
		g + "[  PASSED  ]" + x + " 1 test.\n" +
		r + "[  FAILED  ]" + x + " 1 test, listed below:\n" +
		r + "[  FAILED  ]" + x + " bad\n"
	if b.String() != want {
		t.Errorf("got:\n%q\nwant:\n%q", b.String(), want)
	}
}

// TestResultsJSON: benchmark_result and test_result objects, one a line.
func TestResultsJSON(t *testing.T) {
	var b bytes.Buffer
	j := NewJSON(&b, BufferFull)
	j.BenchResult([]string{"a\"b"}, 0, 12*time.Nanosecond, 1000)
	j.TestResult([]string{"t"}, 0, 842*time.Nanosecond, []bool{false}, "out\n")
	j.Flush()
	want := `{"type": "benchmark_result", "data": {"a\"b": {"average": 12, "iters": 1000}}}` + "\n" +
		`{"type": "test_result", "data": {"t": {"duration": 842, "passed": false, "output": "out\n"}}}` + "\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

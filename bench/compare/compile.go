package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hawktrace/hawk/internal/benchtab"
)

// compileBench is what `go test -bench` printed for one benchmark: its
// metrics by unit ("ns/op", "B/op", "allocs/op", and any the benchmark
// reports itself, such as "peak-MB").
type compileBench struct {
	name    string
	metrics map[string]float64
}

// parseBench reads go test -bench output: lines "BenchmarkX-N  iters
// value unit value unit ...". A benchmark listed twice keeps its last
// figures.
func parseBench(r io.Reader) (map[string]compileBench, error) {
	out := map[string]compileBench{}
	s := bufio.NewScanner(r)
	for s.Scan() {
		f := strings.Fields(s.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue // a log line that starts with a benchmark's name
		}
		name := f[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		b := compileBench{name: name, metrics: map[string]float64{}}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%s: %q is not a number", f[0], f[i])
			}
			b.metrics[f[i+1]] = v
		}
		out[name] = b
	}
	return out, s.Err()
}

// peak returns a benchmark's peak-memory metric in MB, if it reports one
// (a unit naming "peak", in MB or bytes).
func (b compileBench) peak() (float64, string, bool) {
	for unit, v := range b.metrics {
		if !strings.Contains(strings.ToLower(unit), "peak") {
			continue
		}
		switch {
		case strings.Contains(unit, "MB"):
			return v, unit, true
		case strings.HasPrefix(unit, "B") || strings.Contains(unit, "bytes"):
			return v / 1e6, unit, true
		}
	}
	return 0, "", false
}

// compileGoals are issue 16's compile goals: time per compile in ms, and
// peak memory in MB (0: none).
var compileGoals = []struct {
	bench     string
	label     string
	ms, peakM float64
}{
	{"BenchmarkCompile1000Lines", "compile 1,000 lines", 50, 0},
	{"BenchmarkCompile10000Lines", "compile 10,000 lines", 1000, 100},
}

// compileBenchPattern selects the root package's Compile benchmarks: the
// goals' and any other.
const compileBenchPattern = "Compile"

// goBench returns the output to read: -gobench's file, or go test's.
func (h *harness) goBench() (io.Reader, error) {
	if h.gobench != "" {
		f, err := os.ReadFile(h.gobench)
		return strings.NewReader(string(f)), err
	}
	out, err := exec.Command("go", "test", "-run", "^$", "-bench", compileBenchPattern, "-benchmem", ".").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("go test: %v: %s", err, lastLineOf(string(out)))
	}
	return strings.NewReader(string(out)), nil
}

func lastLineOf(s string) string {
	var t tail
	t.Write([]byte(s))
	return t.lastLine()
}

// compile adds the compile benchmarks' rows: the goals', then any other
// Compile benchmark the output holds, without a goal. hawk only.
func (h *harness) compile(_ []string) []string {
	var benches map[string]compileBench
	r, err := h.goBench()
	if err == nil {
		benches, err = parseBench(r)
	}
	var names []string
	add := func(row benchtab.Row) {
		h.tab.Add(row)
		names = append(names, row.Case)
	}
	for _, g := range compileGoals {
		b, ok := benches[g.bench]
		timeRow := benchtab.Row{Case: g.label, Unit: benchtab.Millis, Goal: benchtab.AbsGoal(g.ms)}
		switch {
		case err != nil:
			timeRow.Hawk = benchtab.Of(0, err)
		case !ok:
			timeRow.Hawk = benchtab.Of(0, fmt.Errorf("no %s in the benchmark output", g.bench))
		default:
			timeRow.Hawk = benchtab.Of(b.metrics["ns/op"]/1e6, nil)
			timeRow.Note = fmt.Sprintf("%.1f MB, %.0f allocs per compile", b.metrics["B/op"]/1e6, b.metrics["allocs/op"])
		}
		add(timeRow)
		if g.peakM == 0 {
			continue
		}
		peakRow := benchtab.Row{Case: g.label + " peak", Unit: benchtab.MB, Goal: benchtab.AbsGoal(g.peakM), Hawk: timeRow.Hawk}
		if timeRow.Hawk.Err == nil {
			if v, unit, ok := b.peak(); ok {
				peakRow.Hawk, peakRow.Note = benchtab.Of(v, nil), "the benchmark's "+unit
			} else {
				kib, err := benchRSS(g.bench)
				peakRow.Hawk = benchtab.Of(float64(kib)*1024/1e6, err)
				peakRow.Note = "peak RSS of the test binary running it once (no peak metric)"
			}
		}
		add(peakRow)
	}
	for _, name := range sortedKeys(benches) {
		if !strings.HasPrefix(name, "BenchmarkCompile") || isGoalBench(name) {
			continue
		}
		b := benches[name]
		add(benchtab.Row{Case: strings.TrimPrefix(name, "Benchmark"), Unit: benchtab.Millis, Hawk: benchtab.Of(b.metrics["ns/op"]/1e6, nil),
			Note: fmt.Sprintf("%.1f MB, %.0f allocs per op", b.metrics["B/op"]/1e6, b.metrics["allocs/op"])})
	}
	return names
}

func isGoalBench(name string) bool {
	for _, g := range compileGoals {
		if g.bench == name {
			return true
		}
	}
	return false
}

// benchRSS returns the peak RSS, in KiB, of the root package's test binary
// running benchmark bench once (-test.benchtime 1x): an upper bound of
// what compiling takes, as it includes the test binary's own memory.
func benchRSS(bench string) (int64, error) {
	dir, err := os.MkdirTemp("", "compare")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "hawk.test")
	if out, err := exec.Command("go", "test", "-c", "-o", bin, ".").CombinedOutput(); err != nil {
		return 0, fmt.Errorf("go test -c: %v: %s", err, lastLineOf(string(out)))
	}
	s, err := runOnce([]string{bin, "-test.run", "^$", "-test.bench", "^" + bench + "$", "-test.benchtime", "1x"})
	return s.rssKiB, err
}

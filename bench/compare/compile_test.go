package main

import (
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/benchtab"
)

const benchOutput = `goos: linux
goarch: amd64
pkg: github.com/hawktrace/hawk
cpu: AMD EPYC
BenchmarkCompile1000Lines-2    	      30	  41000000 ns/op	        88.5 peak-MB	16000000 B/op	   75000 allocs/op
BenchmarkCompile2000Lines-2    	      10	 126000000 ns/op	32000000 B/op	  150000 allocs/op
BenchmarkCompile10000Lines     	       1	1200000000 ns/op	       120.0 peak-MB	160000000 B/op	  750000 allocs/op
BenchmarkCompile10000Lines: note this line is a log line
BenchmarkMapRead-2             	       5	  20000000 ns/op
PASS
`

func TestParseBench(t *testing.T) {
	b, err := parseBench(strings.NewReader(benchOutput))
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 4 {
		t.Errorf("%d benchmarks, want 4: %v", len(b), b)
	}
	c := b["BenchmarkCompile1000Lines"]
	if c.metrics["ns/op"] != 41e6 || c.metrics["allocs/op"] != 75000 {
		t.Errorf("BenchmarkCompile1000Lines: %v", c.metrics)
	}
	if v, unit, ok := c.peak(); !ok || v != 88.5 || unit != "peak-MB" {
		t.Errorf("peak %v %q %v, want 88.5 peak-MB", v, unit, ok)
	}
	if _, _, ok := b["BenchmarkCompile2000Lines"].peak(); ok {
		t.Error("a peak without a peak metric")
	}
}

func TestCompileRows(t *testing.T) {
	h := &harness{gobench: t.TempDir() + "/bench.txt"}
	writeFile(t, h.gobench, benchOutput)
	h.compile(nil)
	want := []struct {
		name, verdict string
		v             float64
	}{
		{"compile 1,000 lines", benchtab.OK, 41},
		{"compile 10,000 lines", benchtab.Miss, 1200},
		{"compile 10,000 lines peak", benchtab.Miss, 120},
		{"Compile2000Lines", "", 126},
	}
	if len(h.tab.Rows) != len(want) {
		t.Fatalf("%d rows, want %d: %v", len(h.tab.Rows), len(want), h.tab.Rows)
	}
	for i, w := range want {
		r := h.tab.Rows[i]
		if r.Case != w.name || r.Verdict() != w.verdict || r.Hawk.V != w.v {
			t.Errorf("row %d: %s %v %s, want %s %v %s", i, r.Case, r.Hawk.V, r.Verdict(), w.name, w.v, w.verdict)
		}
	}
}

func TestParseCases(t *testing.T) {
	sel, err := parseCases("begin,insns:count,insns:empty")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		cases, ok := sel.pick(g)
		switch g.name {
		case "begin":
			if !ok || cases != nil {
				t.Errorf("begin: %v %v, want all of it", cases, ok)
			}
		case "insns":
			if !ok || strings.Join(cases, ",") != "count,empty" {
				t.Errorf("insns: %v %v, want count,empty", cases, ok)
			}
		default:
			if ok {
				t.Errorf("%s picked", g.name)
			}
		}
	}
	for _, bad := range []string{"nope", "insns:nope", "begin:x"} {
		if _, err := parseCases(bad); err == nil {
			t.Errorf("-cases %s: no error", bad)
		}
	}
	if sel, _ := parseCases("insns:count,insns"); sel.groups["insns"] != nil {
		t.Error("a whole group after one of its cases is not the whole group")
	}
}

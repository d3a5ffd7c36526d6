package benchtab

import (
	"errors"
	"strings"
	"testing"
)

func TestVerdict(t *testing.T) {
	failed := Of(0, errors.New("boom"))
	tests := []struct {
		name string
		row  Row
		want string
	}{
		{"no goal", Row{Hawk: Of(1, nil), Peer: Of(2, nil)}, ""},
		{"ratio met", Row{Hawk: Of(5, nil), Peer: Of(100, nil), Goal: RatioGoal(0.05)}, OK},
		{"ratio met at printed precision", Row{Hawk: Of(12.4, nil), Peer: Of(100, nil), Goal: RatioGoal(0.12)}, OK},
		{"ratio missed", Row{Hawk: Of(13, nil), Peer: Of(100, nil), Goal: RatioGoal(0.12)}, Miss},
		{"no peer", Row{Hawk: Of(13, nil), Goal: RatioGoal(0.12)}, NA},
		{"peer failed", Row{Hawk: Of(13, nil), Peer: failed, Goal: RatioGoal(0.12)}, NA},
		{"peer zero", Row{Hawk: Of(13, nil), Peer: Of(0, nil), Goal: RatioGoal(0.12)}, NA},
		{"peer below zero", Row{Hawk: Of(13, nil), Peer: Of(-5, nil), Goal: RatioGoal(0.12)}, NA},
		{"hawk failed", Row{Hawk: failed, Peer: Of(100, nil), Goal: RatioGoal(0.12)}, Miss},
		{"hawk absent", Row{Peer: Of(100, nil), Goal: RatioGoal(0.12)}, Miss},
		{"abs met", Row{Hawk: Of(12, nil), Goal: AbsGoal(12)}, OK},
		{"abs missed", Row{Hawk: Of(12.5, nil), Peer: Of(100, nil), Goal: AbsGoal(12)}, Miss},
		{"abs zero met", Row{Hawk: Of(0, nil), Peer: Of(7, nil), Goal: AbsGoal(0)}, OK},
		{"abs zero missed", Row{Hawk: Of(1, nil), Goal: AbsGoal(0)}, Miss},
		{"abs hawk failed", Row{Hawk: failed, Goal: AbsGoal(12)}, Miss},
	}
	for _, tt := range tests {
		if got := tt.row.Verdict(); got != tt.want {
			t.Errorf("%s: verdict %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestRatio(t *testing.T) {
	if r, ok := (Row{Hawk: Of(1, nil), Peer: Of(4, nil)}).Ratio(); !ok || r != 0.25 {
		t.Errorf("ratio of 1 to 4: %v %v, want 0.25 true", r, ok)
	}
	if _, ok := (Row{Hawk: Of(1, nil)}).Ratio(); ok {
		t.Error("a ratio without a peer")
	}
}

func TestMedian(t *testing.T) {
	for _, tt := range []struct {
		xs   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := Median(tt.xs); got != tt.want {
			t.Errorf("Median(%v) = %v, want %v", tt.xs, got, tt.want)
		}
	}
	xs := []float64{3, 1, 2}
	Median(xs)
	if xs[0] != 3 {
		t.Error("Median sorted its argument")
	}
}

func TestPrint(t *testing.T) {
	var tab Table
	tab.Add(Row{Case: "start-up wall", Unit: Millis, Hawk: Of(10, nil), Peer: Of(250, nil), Goal: RatioGoal(0.05)})
	tab.Add(Row{Case: "start-up CPU", Unit: Millis, Hawk: Of(15, nil), Peer: Of(170, nil), Goal: AbsGoal(12)})
	tab.Add(Row{Case: "insns empty", Unit: Insns, Hawk: Of(0, errors.New("no\nprograms")), Peer: Of(2, nil), Goal: RatioGoal(1)})
	tab.Add(Row{Case: "RSS --info", Unit: MiB, Hawk: Of(12, nil), Note: "3 runs"})
	tab.Notes = []string{"bpftrace is 0.17"}
	var b strings.Builder
	if err := tab.Print(&b); err != nil {
		t.Fatal(err)
	}
	want := `case           hawk                bpftrace  ratio  goal             note
start-up wall  10.0 ms             250.0 ms  0.04×  ≤ 0.05×    ok
start-up CPU   15.0 ms             170.0 ms  0.09×  ≤ 12.0 ms  MISS
insns empty    error: no programs  2 insns   n/a    ≤ 1.00×    MISS
RSS --info     12.0 MiB            -         n/a                     3 runs
4 rows, 2 goals missed
note: bpftrace is 0.17
`
	if got := b.String(); got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
}

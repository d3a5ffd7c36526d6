package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/benchtab"
	"github.com/hawktrace/hawk/internal/kerneltest"
)

func writeFile(t *testing.T, name, text string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCompareHawkAlone runs the whole compare, hawk alone, on three cases
// with one run each: every row of the cases is in the table, with a
// figure from hawk and the ratio n/a. (The per-event run checks that the
// count map saw every traced call.)
func TestCompareHawkAlone(t *testing.T) {
	kerneltest.Require(t)
	bin := filepath.Join(t.TempDir(), "hawk")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/hawktrace/hawk/cmd/hawk").CombinedOutput(); err != nil {
		t.Fatalf("building hawk: %v\n%s", err, out)
	}
	tab, err := run(options{hawk: bin, peer: "none", runs: 1, reps: 1, events: 20000, cases: "begin,insns:count,events:count"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	rows := []string{"BEGIN{exit()} wall", "BEGIN{exit()} RSS", "BEGIN{exit()} CPU", "insns count", "per-event count"}
	if len(tab.Rows) != len(rows) {
		t.Errorf("%d rows, want %d", len(tab.Rows), len(rows))
	}
	var b strings.Builder
	if err := tab.Print(&b); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + b.String())
	for _, name := range rows {
		r, ok := tab.Find(name)
		if !ok {
			t.Errorf("no row %q", name)
			continue
		}
		// A time added per event may come out below zero on a busy machine.
		if r.Hawk.Err != nil || !r.Hawk.Set || r.Hawk.V <= 0 && r.Unit != benchtab.NsEvent {
			t.Errorf("%s: hawk's figure %+v", name, r.Hawk)
		}
		if r.Peer.Set {
			t.Errorf("%s: a peer's figure without a peer: %+v", name, r.Peer)
		}
		if v := r.Verdict(); r.Goal.Ratio > 0 && v != benchtab.NA {
			t.Errorf("%s: verdict %q without a peer, want n/a", name, v)
		}
		if !strings.Contains(b.String(), name+"  ") {
			t.Errorf("the printed table has no row %q", name)
		}
	}
}

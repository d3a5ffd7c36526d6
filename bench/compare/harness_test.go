package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/benchtab"
)

// TestPairAlternates: who goes first swaps every round, and a tracer's
// first error ends its runs.
func TestPairAlternates(t *testing.T) {
	h := &harness{hawk: tracer{"hawk", "/h"}, peer: &tracer{"bpftrace", "/b"}}
	var order []string
	calls := map[string]int{}
	hs, ps, herr, perr := pair(h, 4, func(tr tracer) (int, error) {
		order = append(order, tr.name[:1])
		calls[tr.name]++
		if tr.name == "bpftrace" && calls[tr.name] == 3 {
			return 0, errors.New("failed")
		}
		return calls[tr.name], nil
	})
	if got := strings.Join(order, ""); got != "hbbhhbh" {
		t.Errorf("order %s, want hbbhhbh", got)
	}
	if len(hs) != 4 || len(ps) != 2 || herr != nil || perr == nil {
		t.Errorf("hawk %v %v, bpftrace %v %v", hs, herr, ps, perr)
	}
	h.peer = nil
	hs, ps, _, perr = pair(h, 2, func(tracer) (int, error) { return 1, nil })
	if len(hs) != 2 || ps != nil || perr != nil {
		t.Errorf("hawk alone: %v, peer %v %v", hs, ps, perr)
	}
}

// TestRSSWorst judges the case with the largest RSS ratio, and a case
// hawk failed before any.
func TestRSSWorst(t *testing.T) {
	h := &harness{hawk: tracer{"hawk", "/h"}, peer: &tracer{"bpftrace", "/b"}}
	add := func(name string, hawk, peer benchtab.Value) {
		h.tab.Add(benchtab.Row{Case: name + " RSS", Unit: benchtab.MiB, Hawk: hawk, Peer: peer})
	}
	add("a", benchtab.Of(20, nil), benchtab.Of(100, nil))
	add("b", benchtab.Of(30, nil), benchtab.Of(100, nil))
	add("c", benchtab.Of(10, nil), benchtab.Of(0, errors.New("peer failed")))
	h.rssWorst(nil)
	if r, _ := h.tab.Find("RSS worst case"); r.Note != "b" || r.Verdict() != benchtab.Miss {
		t.Errorf("worst case %s (%s), want b (MISS)", r.Note, r.Verdict())
	}
	add("d", benchtab.Of(0, errors.New("hawk failed")), benchtab.Of(100, nil))
	h.rssWorst(nil)
	if r := h.tab.Rows[len(h.tab.Rows)-1]; r.Note != "d" || r.Verdict() != benchtab.Miss {
		t.Errorf("worst case %s (%s), want d (MISS)", r.Note, r.Verdict())
	}
	empty := &harness{}
	empty.rssWorst(nil)
	if r := empty.tab.Rows[0]; r.Hawk.Err == nil {
		t.Error("a worst case among none")
	}
}

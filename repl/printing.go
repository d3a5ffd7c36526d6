package repl

import (
	"fmt"
	"time"

	"github.com/hawktrace/hawk/lang"
)

// Ctrl-C on an empty line, while probes print, detaches the probes that
// print: those whose actions call an output function (printf, print,
// cat, system, time, join, errorf, warnf) and ran in the last
// printWindow. Their maps stay. A probe's runs are its hits, which a
// goroutine samples while the session runs (watchPrinting).

// ErrInterruptedEmpty is what a LineReader returns when Ctrl-C is pressed
// on a line where nothing was typed: the REPL then detaches the probes
// that print. It is an ErrInterrupted.
var ErrInterruptedEmpty = fmt.Errorf("%w on an empty line", ErrInterrupted)

const (
	// printWindow is how recently a probe must have run to be one that
	// prints now.
	printWindow = 2 * time.Second
	// sampleEvery is how often the probes' hits are sampled.
	sampleEvery = 500 * time.Millisecond
)

// outputFuncs are the functions whose calls make a probe one that prints.
var outputFuncs = map[lang.Func]bool{
	lang.FuncPrintf: true, lang.FuncPrint: true, lang.FuncCat: true, lang.FuncSystem: true,
	lang.FuncTime: true, lang.FuncJoin: true, lang.FuncErrorf: true, lang.FuncWarnf: true,
}

// prints reports whether a probe's predicate or actions call an output
// function.
func prints(info *lang.Info, p *lang.Probe) bool {
	found := false
	lang.Inspect(p, func(n lang.Node) bool {
		if c, ok := n.(*lang.Call); ok && outputFuncs[info.Funcs[c]] {
			found = true
		}
		return !found
	})
	return found
}

// watchPrinting samples the hits of the probes that print until done is
// closed.
func (r *REPL) watchPrinting(done <-chan struct{}) {
	tick := time.NewTicker(sampleEvery)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			r.sampleHits()
		case <-done:
			return
		}
	}
}

// sampleHits notes when the hits of each probe that prints last grew.
func (r *REPL) sampleHits() {
	r.pmu.Lock()
	defer r.pmu.Unlock()
	now := time.Now()
	for _, p := range r.probes {
		if !p.prints {
			continue
		}
		if h := p.unit.Hits(p.index); h > p.seen { // a detached probe reads 0
			p.seen, p.fired = h, now
		}
	}
}

// stopPrinting detaches the probes attached that print and ran lately,
// and says which.
func (r *REPL) stopPrinting() {
	r.sampleHits()
	var printing []*probe
	r.pmu.Lock()
	for _, p := range r.probes {
		if p.prints && time.Since(p.fired) < printWindow {
			printing = append(printing, p)
		}
	}
	r.pmu.Unlock()
	for _, p := range printing {
		if p.unit.Attached(p.index) {
			p.unit.Detach(p.index)
			r.errorf("detached [%d] %s", p.num, p.text)
		}
	}
}

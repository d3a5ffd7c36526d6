// Package benchtab is the table that `make bench` prints: one row per
// measured case, hawk's figure beside bpftrace's, their ratio, the goal
// issue 16 sets for the case, and whether hawk meets it.
//
// A goal is either a ratio (hawk's figure at most Ratio times bpftrace's)
// or an absolute limit (hawk's figure at most Abs, in the row's unit). A
// row whose hawk figure is an error misses its goal; a row whose ratio
// cannot be formed (bpftrace absent or failed) has no verdict on a ratio
// goal ("n/a"), but still one on an absolute goal.
package benchtab

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// Unit is what a figure counts, and how it prints.
type Unit int

// The units of the table's figures.
const (
	Millis  Unit = iota // milliseconds
	MiB                 // mebibytes (2^20 bytes)
	Insns               // BPF instructions (xlated, 8 bytes each)
	NsEvent             // nanoseconds per event
	Count               // a plain count (events)
	MB                  // megabytes (10^6 bytes)
)

// format prints v in the unit u.
func (u Unit) format(v float64) string {
	switch u {
	case Millis:
		return fmt.Sprintf("%.1f ms", v)
	case MiB:
		return fmt.Sprintf("%.1f MiB", v)
	case Insns:
		return fmt.Sprintf("%.0f insns", v)
	case MB:
		return fmt.Sprintf("%.1f MB", v)
	case NsEvent:
		return fmt.Sprintf("%.0f ns/ev", v)
	default:
		return fmt.Sprintf("%.0f", v)
	}
}

// Value is one tracer's figure for a case: a number, an error, or
// absent (the tracer is not installed, or does not run the case).
type Value struct {
	V   float64
	Err error
	Set bool // V (or Err) holds a measurement
}

// Of returns the figure v, or the error err when it is not nil.
func Of(v float64, err error) Value {
	if err != nil {
		return Value{Err: err, Set: true}
	}
	return Value{V: v, Set: true}
}

// ok reports whether the value is a measured number.
func (v Value) ok() bool { return v.Set && v.Err == nil }

// Goal is what issue 16 asks of a row. The zero Goal asks nothing.
type Goal struct {
	Ratio float64 // hawk ≤ Ratio × bpftrace, when not zero
	Abs   float64 // hawk ≤ Abs, in the row's unit, when AbsSet
	// AbsSet marks Abs as a goal (an absolute goal may be zero: no lost
	// events).
	AbsSet bool
}

// RatioGoal asks hawk's figure to be at most r times bpftrace's.
func RatioGoal(r float64) Goal { return Goal{Ratio: r} }

// AbsGoal asks hawk's figure to be at most limit, in the row's unit.
func AbsGoal(limit float64) Goal { return Goal{Abs: limit, AbsSet: true} }

// String is the goal as the table prints it.
func (g Goal) String(u Unit) string {
	switch {
	case g.Ratio > 0:
		return fmt.Sprintf("≤ %.2f×", g.Ratio)
	case g.AbsSet:
		return "≤ " + u.format(g.Abs)
	}
	return ""
}

// Row is one line of the table.
type Row struct {
	Case       string
	Unit       Unit
	Hawk, Peer Value
	Goal       Goal
	Note       string // anything else worth a word (events lost, runs)
}

// Ratio returns hawk's figure over bpftrace's, and whether both are
// measured numbers and bpftrace's is above zero. (A time added per event
// may come out below zero when it is below the noise.)
func (r Row) Ratio() (float64, bool) {
	if !r.Hawk.ok() || !r.Peer.ok() || r.Peer.V <= 0 {
		return 0, false
	}
	return r.Hawk.V / r.Peer.V, true
}

// Verdicts a row can have.
const (
	OK   = "ok"
	Miss = "MISS"
	NA   = "n/a"
)

// Verdict says whether hawk meets the row's goal: OK, Miss, NA (a ratio
// goal without a ratio), or "" (the row has no goal).
func (r Row) Verdict() string {
	g := r.Goal
	if g.Ratio == 0 && !g.AbsSet {
		return ""
	}
	if !r.Hawk.ok() {
		return Miss
	}
	if g.AbsSet {
		return pass(r.Hawk.V <= g.Abs)
	}
	ratio, ok := r.Ratio()
	if !ok {
		return NA
	}
	// Compare at the precision the table prints, so a printed 0.12×
	// against a goal of 0.12× reads as met.
	return pass(math.Round(ratio*100)/100 <= g.Ratio)
}

func pass(ok bool) string {
	if ok {
		return OK
	}
	return Miss
}

// cell prints one tracer's figure.
func cell(v Value, u Unit) string {
	switch {
	case !v.Set:
		return "-"
	case v.Err != nil:
		return "error: " + oneLine(v.Err.Error())
	}
	return u.format(v.V)
}

// oneLine keeps an error's message to one short line of the table.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const most = 60
	if r := []rune(s); len(r) > most {
		s = string(r[:most-1]) + "…"
	}
	return s
}

// Table is the rows of one run, in the order they were measured.
type Table struct {
	Rows []Row
	// PeerName names the peer column (bpftrace).
	PeerName string
	// Notes are printed under the table, one a line.
	Notes []string
}

// Add appends a row.
func (t *Table) Add(r Row) { t.Rows = append(t.Rows, r) }

// Find returns the row named c, and whether there is one.
func (t *Table) Find(c string) (Row, bool) {
	for _, r := range t.Rows {
		if r.Case == c {
			return r, true
		}
	}
	return Row{}, false
}

// Misses counts the rows whose verdict is Miss.
func (t *Table) Misses() int {
	n := 0
	for _, r := range t.Rows {
		if r.Verdict() == Miss {
			n++
		}
	}
	return n
}

// Print writes the table, aligned in columns: case, hawk, the peer,
// ratio, goal, verdict, note.
func (t *Table) Print(w io.Writer) error {
	peer := t.PeerName
	if peer == "" {
		peer = "bpftrace"
	}
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "case\thawk\t%s\tratio\tgoal\t\tnote\n", peer)
	for _, r := range t.Rows {
		ratio := NA
		if x, ok := r.Ratio(); ok {
			ratio = fmt.Sprintf("%.2f×", x)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Case, cell(r.Hawk, r.Unit), cell(r.Peer, r.Unit),
			ratio, r.Goal.String(r.Unit), r.Verdict(), r.Note)
	}
	tw.Flush()
	for line := range strings.Lines(b.String()) {
		if _, err := io.WriteString(w, strings.TrimRight(line, " \n")+"\n"); err != nil {
			return err
		}
	}
	if _, err := fmt.Fprintf(w, "%d rows, %d goals missed\n", len(t.Rows), t.Misses()); err != nil {
		return err
	}
	for _, n := range t.Notes {
		if _, err := fmt.Fprintf(w, "note: %s\n", n); err != nil {
			return err
		}
	}
	return nil
}

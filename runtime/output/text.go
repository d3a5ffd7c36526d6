package output

import (
	"io"
	"strconv"
)

// Text writes values in bpftrace's text format: output on one stream, the
// banner, lost events and diagnostics on another.
type Text struct {
	out  *sink
	errs io.Writer
	line []byte // scratch
}

// NewText returns a text writer on out and errs. Call Flush when done.
func NewText(out, errs io.Writer, mode BufferMode) *Text {
	return &Text{out: newSink(out, mode), errs: errs}
}

// Flush writes out what is buffered.
func (t *Text) Flush() error { return t.out.flush() }

// Printf writes formatted printf output as is.
func (t *Text) Printf(b []byte) {
	t.out.w.Write(b)
	t.out.done(b)
}

// Message writes an action's output: join() and system() end with a
// newline, time() and cat() are written as they are.
func (t *Text) Message(kind MessageKind, text string) {
	t.out.w.WriteString(text)
	if kind == MessageJoin {
		t.out.w.WriteByte('\n')
	}
	t.out.done([]byte{'\n'})
}

// End marks the end of the run, before the maps are printed: bpftrace
// writes two newlines here.
func (t *Text) End() {
	t.out.w.WriteString("\n\n")
	t.out.done(nil)
}

// Attached writes the banner "Attached N probes".
func (t *Text) Attached(n int) {
	word := " probes\n"
	if n == 1 {
		word = " probe\n"
	}
	t.toErrs("Attached " + strconv.Itoa(n) + word)
}

// Lost reports dropped events.
func (t *Text) Lost(n uint64) {
	t.toErrs("Lost " + strconv.FormatUint(n, 10) + " events\n")
}

// Diagnostic writes "file:line:col-end: WARNING: msg" (or ERROR).
func (t *Text) Diagnostic(d Diagnostic) {
	sev := "WARNING: "
	if d.Severity == Error {
		sev = "ERROR: "
	}
	msg := d.Msg
	if n := len(msg); n > 0 && msg[n-1] == '\n' {
		msg = msg[:n-1]
	}
	s := d.location() + ": " + sev + msg + "\n"
	for _, c := range d.Context {
		s += c + "\n"
	}
	t.toErrs(s)
}

// toErrs writes to the error stream, after what is buffered for output so
// that the two keep their order on a terminal.
func (t *Text) toErrs(s string) {
	t.out.flush()
	io.WriteString(t.errs, s)
}

// Map writes one map: `@name: value` for a scalar, one `@name[key]: value`
// line per entry otherwise, keys of several parts without parentheses.
func (t *Text) Map(name string, _ MapKind, v Value) {
	w := t.out.w
	if v.Kind != Map {
		w.WriteString(name)
		t.entryValue(v)
		t.out.done(nil)
		return
	}
	for _, e := range v.Entries {
		w.WriteString(name)
		w.WriteByte('[')
		if e.Key.Kind == Tuple {
			t.elems(e.Key.Elems)
		} else {
			t.value(e.Key)
		}
		w.WriteByte(']')
		t.entryValue(e.Value)
	}
	t.out.done(nil)
}

// entryValue writes what follows a map's name or key: ": value" on the
// line, or, for a histogram, its lines below and a blank line.
func (t *Text) entryValue(v Value) {
	w := t.out.w
	if v.Kind == Hist {
		w.WriteString(":\n")
		t.hist(v.Rows)
		w.WriteByte('\n')
		return
	}
	w.WriteString(": ")
	t.value(v)
	w.WriteByte('\n')
}

// Value writes a value on a line of its own, as print(value) does.
func (t *Text) Value(v Value) {
	if v.Kind == Hist {
		t.hist(v.Rows)
	} else {
		t.value(v)
		t.out.w.WriteByte('\n')
	}
	t.out.done([]byte{'\n'})
}

// hist writes a histogram's lines: the label left-aligned in 16 columns,
// the count right-aligned in 8, and a bar of @ scaled to 52 columns.
func (t *Text) hist(rows []HistRow) {
	var top uint64
	for _, r := range rows {
		top = max(top, r.Count)
	}
	line := t.line
	for _, r := range rows {
		width := 0
		if top > 0 {
			width = int(float32(r.Count) / float32(top) * 52)
		}
		line = append(line[:0], r.Label...)
		line = pad(line, 16-len(r.Label))
		count := strconv.FormatUint(r.Count, 10)
		line = pad(line, 8-len(count))
		line = append(line, count...)
		line = append(line, " |"...)
		for i := 0; i < width; i++ {
			line = append(line, '@')
		}
		line = pad(line, 52-width)
		line = append(line, "|\n"...)
		t.out.w.Write(line)
	}
	t.line = line
}

func pad(b []byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, ' ')
	}
	return b
}

// value writes a value inline: integers in decimal, strings as they are,
// tuples in parentheses, records as { .name = value }.
func (t *Text) value(v Value) {
	w := t.out.w
	var buf [24]byte
	switch v.Kind {
	case Int:
		w.Write(strconv.AppendInt(buf[:0], v.I, 10))
	case Uint:
		w.Write(strconv.AppendUint(buf[:0], v.U, 10))
	case String, Verbatim, Symbol:
		w.WriteString(v.S)
	case Buffer:
		w.WriteString(EscapeBuffer([]byte(v.S), 0))
	case Bool:
		w.WriteString(strconv.FormatBool(v.B))
	case Tuple:
		w.WriteByte('(')
		t.elems(v.Elems)
		w.WriteByte(')')
	case Record:
		t.record(v.Names, v.Elems)
	case Stats:
		t.record(statsNames, v.Elems)
	case Array:
		w.WriteByte('[')
		for i, e := range v.Elems {
			if i > 0 {
				w.WriteByte(',')
			}
			t.value(e)
		}
		w.WriteByte(']')
	}
}

// statsNames name the parts of a stats() value.
var statsNames = []string{"count", "average", "total"}

func (t *Text) record(names []string, elems []Value) {
	w := t.out.w
	if len(elems) == 0 {
		w.WriteString("{}")
		return
	}
	w.WriteString("{ ")
	for i, e := range elems {
		if i > 0 {
			w.WriteString(", ")
		}
		w.WriteString("." + names[i] + " = ")
		t.value(e)
	}
	w.WriteString(" }")
}

func (t *Text) elems(vs []Value) {
	for i, e := range vs {
		if i > 0 {
			t.out.w.WriteString(", ")
		}
		t.value(e)
	}
}

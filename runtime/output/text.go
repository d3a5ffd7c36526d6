package output

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"time"
)

// Text writes values in bpftrace's text format: output on one stream, the
// banner, lost events and diagnostics on another.
type Text struct {
	out  *sink
	errs io.Writer
	line []byte // scratch
	// loc is the time zone of the times of a time series: the local one.
	loc *time.Location
}

// NewText returns a text writer on out and errs. Call Flush when done.
func NewText(out, errs io.Writer, mode BufferMode) *Text {
	return &Text{out: newSink(out, mode), errs: errs, loc: time.Local}
}

// Flush writes out what is buffered.
func (t *Text) Flush() error { return t.out.flush() }

// Printf writes formatted printf output as is.
func (t *Text) Printf(b []byte) {
	t.out.w.Write(b)
	t.out.done(bytes.IndexByte(b, '\n') >= 0)
}

// Message writes an action's output: join() and system() end with a
// newline, time() and cat() are written as they are.
func (t *Text) Message(kind MessageKind, text string) {
	t.out.w.WriteString(text)
	if kind == MessageJoin {
		t.out.w.WriteByte('\n')
	}
	t.out.done(kind == MessageJoin || strings.IndexByte(text, '\n') >= 0)
}

// End marks the end of the run, before the maps are printed: bpftrace
// writes two newlines here.
func (t *Text) End() {
	t.out.w.WriteString("\n\n")
	t.out.done(true)
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
	if d.HelperFailed {
		msg = "Failed to " + d.Helper + ": " + msg + " (" + strconv.Itoa(d.Retcode) + ")"
	}
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
		t.out.done(true)
		return
	}
	for _, e := range v.Entries {
		w.WriteString(name)
		w.WriteByte('[')
		t.line = appendKey(t.line[:0], e.Key)
		w.Write(t.line)
		w.WriteByte(']')
		t.entryValue(e.Value)
	}
	t.out.done(true)
}

// entryValue writes what follows a map's name or key: ": value" on the
// line, or, for a histogram or a time series, its lines below and a blank
// line (a time series with no intervals: "<no data>").
func (t *Text) entryValue(v Value) {
	w := t.out.w
	switch v.Kind {
	case Hist:
		w.WriteString(":\n")
		t.hist(v.Rows)
		w.WriteByte('\n')
		return
	case Series:
		w.WriteString(":\n")
		t.line = appendSeries(t.line[:0], v.Points, t.loc)
		w.Write(t.line)
		w.WriteByte('\n')
		return
	}
	w.WriteString(": ")
	t.value(v)
	w.WriteByte('\n')
}

// Value writes a value on a line of its own, as print(value) does.
func (t *Text) Value(v Value) {
	switch v.Kind {
	case Hist:
		t.hist(v.Rows)
	case Series:
		t.line = appendSeries(t.line[:0], v.Points, t.loc)
		t.out.w.Write(t.line)
	default:
		t.value(v)
		t.out.w.WriteByte('\n')
	}
	t.out.done(true)
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

// value writes a value inline.
func (t *Text) value(v Value) {
	t.line = appendText(t.line[:0], v)
	t.out.w.Write(t.line)
}

// appendKey appends a map key as text: the parts of a tuple key without
// parentheses.
func appendKey(b []byte, k Value) []byte {
	if k.Kind == Tuple {
		return appendElems(b, k.Elems)
	}
	return appendText(b, k)
}

// appendText appends a value as bpftrace writes it inline: integers in
// decimal, strings as they are, tuples in parentheses, records as
// { .name = value }, arrays as [a,b].
func appendText(b []byte, v Value) []byte {
	switch v.Kind {
	case Int:
		return strconv.AppendInt(b, v.I, 10)
	case Uint:
		return strconv.AppendUint(b, v.U, 10)
	case String, Verbatim, Symbol:
		return append(b, v.S...)
	case Buffer:
		return append(b, EscapeBuffer([]byte(v.S), 0)...)
	case Bool:
		return strconv.AppendBool(b, v.B)
	case Null:
		return append(b, "null"...)
	case Tuple:
		b = append(b, '(')
		b = appendElems(b, v.Elems)
		return append(b, ')')
	case Record:
		return appendRecord(b, v.Names, v.Elems)
	case Stats:
		return appendRecord(b, statsNames, v.Elems)
	case Array:
		b = append(b, '[')
		for i, e := range v.Elems {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendText(b, e)
		}
		return append(b, ']')
	}
	return b
}

// statsNames name the parts of a stats() value.
var statsNames = []string{"count", "average", "total"}

func appendRecord(b []byte, names []string, elems []Value) []byte {
	if len(elems) == 0 {
		return append(b, "{}"...)
	}
	b = append(b, "{ "...)
	for i, e := range elems {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '.')
		b = append(b, names[i]...)
		b = append(b, " = "...)
		b = appendText(b, e)
	}
	return append(b, " }"...)
}

func appendElems(b []byte, vs []Value) []byte {
	for i, e := range vs {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendText(b, e)
	}
	return b
}

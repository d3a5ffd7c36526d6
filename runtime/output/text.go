package output

import (
	"bufio"
	"io"
	"strconv"
)

// Text writes values in bpftrace's text format.
type Text struct {
	w *bufio.Writer
}

// NewText returns a text writer on w. Call Flush when done.
func NewText(w io.Writer) *Text { return &Text{w: bufio.NewWriterSize(w, 64<<10)} }

// Flush writes out what is buffered.
func (t *Text) Flush() error { return t.w.Flush() }

// Printf writes formatted printf output as is.
func (t *Text) Printf(b []byte) { t.w.Write(b) }

// End marks the end of the run, before the maps are printed: bpftrace
// writes two newlines here.
func (t *Text) End() { t.w.WriteString("\n\n") }

// Map writes one map: `@name: value` for a scalar, one `@name[key]: value`
// line per entry otherwise, keys of several parts without parentheses.
func (t *Text) Map(name string, v Value) {
	if v.Kind != Map {
		t.w.WriteString(name)
		t.entryValue(v)
		return
	}
	for _, e := range v.Entries {
		t.w.WriteString(name)
		t.w.WriteByte('[')
		if e.Key.Kind == Tuple {
			t.elems(e.Key.Elems)
		} else {
			t.value(e.Key)
		}
		t.w.WriteByte(']')
		t.entryValue(e.Value)
	}
}

// entryValue writes what follows a map's name or key: ": value" on the
// line, or, for a histogram, its lines below and a blank line.
func (t *Text) entryValue(v Value) {
	if v.Kind == Hist {
		t.w.WriteString(":\n")
		t.hist(v.Rows)
		t.w.WriteByte('\n')
		return
	}
	t.w.WriteString(": ")
	t.value(v)
	t.w.WriteByte('\n')
}

// Value writes a value on a line of its own, as print(value) does.
func (t *Text) Value(v Value) {
	if v.Kind == Hist {
		t.hist(v.Rows)
		return
	}
	t.value(v)
	t.w.WriteByte('\n')
}

// hist writes a histogram's lines: the label left-aligned in 16 columns,
// the count right-aligned in 8, and a bar of @ scaled to 52 columns.
func (t *Text) hist(rows []HistRow) {
	var top uint64
	for _, r := range rows {
		top = max(top, r.Count)
	}
	var line []byte
	for _, r := range rows {
		width := 0
		if top > 0 {
			width = int(float32(r.Count) / float32(top) * 52)
		}
		line = append(line[:0], r.Label...)
		for len(line) < 16 {
			line = append(line, ' ')
		}
		count := strconv.FormatUint(r.Count, 10)
		for i := len(count); i < 8; i++ {
			line = append(line, ' ')
		}
		line = append(line, count...)
		line = append(line, " |"...)
		for i := 0; i < 52; i++ {
			if i < width {
				line = append(line, '@')
			} else {
				line = append(line, ' ')
			}
		}
		line = append(line, "|\n"...)
		t.w.Write(line)
	}
}

// value writes a value inline: integers in decimal, strings as they are,
// tuples in parentheses.
func (t *Text) value(v Value) {
	var buf [24]byte
	switch v.Kind {
	case Int:
		t.w.Write(strconv.AppendInt(buf[:0], v.I, 10))
	case Uint:
		t.w.Write(strconv.AppendUint(buf[:0], v.U, 10))
	case String:
		t.w.WriteString(v.S)
	case Bool:
		t.w.WriteString(strconv.FormatBool(v.B))
	case Tuple:
		t.w.WriteByte('(')
		t.elems(v.Elems)
		t.w.WriteByte(')')
	case Record:
		t.w.WriteString("{ ")
		for i, e := range v.Elems {
			if i > 0 {
				t.w.WriteString(", ")
			}
			t.w.WriteString("." + v.Names[i] + " = ")
			t.value(e)
		}
		t.w.WriteString(" }")
	case Array:
		t.w.WriteByte('[')
		for i, e := range v.Elems {
			if i > 0 {
				t.w.WriteByte(',')
			}
			t.value(e)
		}
		t.w.WriteByte(']')
	case Stats:
		t.w.WriteString("count ")
		t.value(v.Elems[0])
		t.w.WriteString(", average ")
		t.value(v.Elems[1])
		t.w.WriteString(", total ")
		t.value(v.Elems[2])
	case Verbatim:
		t.w.WriteString(v.S)
	}
}

func (t *Text) elems(vs []Value) {
	for i, e := range vs {
		if i > 0 {
			t.w.WriteString(", ")
		}
		t.value(e)
	}
}

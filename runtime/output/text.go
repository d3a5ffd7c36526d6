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
		t.w.WriteString(": ")
		t.value(v)
		t.w.WriteByte('\n')
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
		t.w.WriteString("]: ")
		t.value(e.Value)
		t.w.WriteByte('\n')
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

package output

import (
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// JSON writes bpftrace's JSON output: one object per line, shaped as
// bpftrace's latest release shapes them.
type JSON struct {
	out *sink
	b   []byte // the line being built
}

// NewJSON returns a JSON writer on out. Call Flush when done.
func NewJSON(out io.Writer, mode BufferMode) *JSON { return &JSON{out: newSink(out, mode)} }

// Flush writes out what is buffered.
func (j *JSON) Flush() error { return j.out.flush() }

// line writes the line built in j.b.
func (j *JSON) line() {
	j.b = append(j.b, "}\n"...)
	j.out.w.Write(j.b)
	j.out.done(true)
	j.b = j.b[:0]
}

// start begins a {"type": ..., "data": ...} object.
func (j *JSON) start(typ string) {
	j.b = append(j.b[:0], `{"type": "`...)
	j.b = append(j.b, typ...)
	j.b = append(j.b, `", "data": `...)
}

// Printf writes {"type": "printf", "data": "..."}.
func (j *JSON) Printf(text []byte) {
	j.start("printf")
	// appendJSONString keeps no part of its string.
	j.b = appendJSONString(j.b, unsafe.String(unsafe.SliceData(text), len(text)))
	j.line()
}

var messageTypes = [...]string{MessageTime: "time", MessageCat: "cat", MessageJoin: "join", MessageSystem: "syscall"}

// Message writes {"type": "time"|"cat"|"join"|"syscall", "data": "..."}.
func (j *JSON) Message(kind MessageKind, text string) {
	j.start(messageTypes[kind])
	j.b = appendJSONString(j.b, text)
	j.line()
}

// Map writes {"type": "map"|"hist"|"stats"|"tseries", "data": {"@name":
// ...}}; a map without entries writes nothing.
func (j *JSON) Map(name string, kind MapKind, v Value) {
	if v.Kind == Map && len(v.Entries) == 0 {
		return
	}
	typ := "map"
	switch {
	case kind == StatsMap:
		typ = "stats"
	case v.Kind == Hist, v.Kind == Map && v.Entries[0].Value.Kind == Hist:
		typ = "hist"
	case v.Kind == Series, v.Kind == Map && v.Entries[0].Value.Kind == Series:
		typ = "tseries"
	}
	j.start(typ)
	j.b = append(j.b, '{')
	j.b = appendJSONString(j.b, name)
	j.b = append(j.b, ": "...)
	j.b = appendJSONValue(j.b, v)
	j.b = append(j.b, '}')
	j.line()
}

// Value writes {"type": "value", "data": ...}.
func (j *JSON) Value(v Value) {
	j.start("value")
	j.b = appendJSONValue(j.b, v)
	j.line()
}

// Attached writes {"type": "attached_probes", "count": N, "data": {"probes": N}}.
func (j *JSON) Attached(n int) {
	j.counted("attached_probes", uint64(n), "probes")
}

// Lost writes {"type": "lost_events", "count": N, "data": {"events": N}}.
func (j *JSON) Lost(n uint64) { j.counted("lost_events", n, "events") }

func (j *JSON) counted(typ string, n uint64, field string) {
	j.b = append(j.b[:0], `{"type": "`...)
	j.b = append(j.b, typ...)
	j.b = append(j.b, `", "count": `...)
	j.b = strconv.AppendUint(j.b, n, 10)
	j.b = append(j.b, `, "data": {"`...)
	j.b = append(j.b, field...)
	j.b = append(j.b, `": `...)
	j.b = strconv.AppendUint(j.b, n, 10)
	j.b = append(j.b, '}')
	j.line()
}

// Diagnostic writes {"type": "errorf"|"warnf"|"runtime_error", "msg": ...,
// "filename": ..., "line": L, "col": C}; a failed helper is a
// "helper_error" that also names the helper and its return code.
func (j *JSON) Diagnostic(d Diagnostic) {
	typ := "warnf"
	switch {
	case d.Helper != "":
		typ = "helper_error"
	case d.Runtime:
		typ = "runtime_error"
	case d.Severity == Error:
		typ = "errorf"
	}
	j.b = append(j.b[:0], `{"type": "`...)
	j.b = append(j.b, typ...)
	j.b = append(j.b, `", "msg": `...)
	j.b = appendJSONString(j.b, d.Msg)
	if d.Helper != "" {
		j.b = append(j.b, `, "helper": `...)
		j.b = appendJSONString(j.b, d.Helper)
		j.b = append(j.b, `, "retcode": `...)
		j.b = strconv.AppendInt(j.b, int64(d.Retcode), 10)
	}
	j.b = append(j.b, `, "filename": `...)
	j.b = appendJSONString(j.b, fileName(d.File))
	j.b = append(j.b, `, "line": `...)
	j.b = strconv.AppendInt(j.b, int64(d.Line), 10)
	j.b = append(j.b, `, "col": `...)
	j.b = strconv.AppendInt(j.b, int64(d.Col), 10)
	j.line()
}

// End writes nothing: JSON has no separator before the maps.
func (j *JSON) End() {}

// appendJSONValue appends v as bpftrace's JSON writer does: ordered maps
// and records as objects ("key": value, spaced), tuples and arrays as
// arrays (unspaced), histograms as arrays of {"min", "max", "count"}
// with closed bounds, pointers and enums as numbers.
func appendJSONValue(b []byte, v Value) []byte {
	switch v.Kind {
	case Int:
		return appendJSONInt(b, v.I)
	case Uint:
		return appendJSONUint(b, v.U)
	case Symbol:
		return appendJSONUint(b, v.U)
	case String, Verbatim:
		return appendJSONString(b, v.S)
	case Bool:
		return strconv.AppendBool(b, v.B)
	case Buffer:
		// bpftrace writes a buffer's bytes as C chars: signed numbers.
		b = append(b, '[')
		for i := 0; i < len(v.S); i++ {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(int8(v.S[i])), 10)
		}
		return append(b, ']')
	case Tuple, Array:
		b = append(b, '[')
		for i, e := range v.Elems {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONValue(b, e)
		}
		return append(b, ']')
	case Record:
		return appendJSONObject(b, v.Names, v.Elems)
	case Stats:
		return appendJSONObject(b, statsNames, v.Elems)
	case Map:
		b = append(b, '{')
		for i, e := range v.Entries {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendJSONString(b, jsonKey(e.Key))
			b = append(b, ": "...)
			b = appendJSONValue(b, e.Value)
		}
		return append(b, '}')
	case Series:
		return appendJSONSeries(b, v.Points)
	case Hist:
		b = append(b, '[')
		for i, r := range v.Rows {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			if r.HasLo {
				b = append(b, `"min": `...)
				b = appendJSONInt(b, r.Lo)
				b = append(b, ", "...)
			}
			if r.HasHi {
				b = append(b, `"max": `...)
				b = appendJSONInt(b, r.Hi-1)
				b = append(b, ", "...)
			}
			b = append(b, `"count": `...)
			b = strconv.AppendUint(b, r.Count, 10)
			b = append(b, '}')
		}
		return append(b, ']')
	}
	return append(b, "null"...)
}

func appendJSONObject(b []byte, names []string, elems []Value) []byte {
	b = append(b, '{')
	for i, e := range elems {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendJSONString(b, names[i])
		b = append(b, ": "...)
		b = appendJSONValue(b, e)
	}
	return append(b, '}')
}

// jsonKey is the name a map key gets in JSON: its text form, a tuple
// without its parentheses, and, as bpftrace does, without any spaces.
func jsonKey(k Value) string {
	return strings.ReplaceAll(string(appendKey(nil, k)), " ", "")
}

// appendJSONInt appends n as a number, or as a string when a double cannot
// hold it exactly (RFC 8259's interoperable range), as bpftrace does.
func appendJSONInt(b []byte, n int64) []byte {
	var digits [24]byte
	f := float64(n)
	return appendJSONNumber(b, strconv.AppendInt(digits[:0], n, 10), f < 1<<63 && int64(f) == n)
}

func appendJSONUint(b []byte, n uint64) []byte {
	var digits [24]byte
	f := float64(n)
	return appendJSONNumber(b, strconv.AppendUint(digits[:0], n, 10), f < 1<<64 && uint64(f) == n)
}

// appendJSONNumber appends digits, quoted unless a double holds them
// exactly.
func appendJSONNumber(b, digits []byte, exact bool) []byte {
	if exact {
		return append(b, digits...)
	}
	b = append(b, '"')
	b = append(b, digits...)
	return append(b, '"')
}

// appendJSONString appends s quoted, escaping as bpftrace does: \" \\ \n
// \r \t, other control characters as \u00XX. Valid UTF-8 is kept; a byte
// that is not UTF-8 is written as \u00XX, so that every line stays valid
// JSON (bpftrace writes such bytes as a broken escape).
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, `\u00`...)
				b = append(b, hexDigits[c>>4], hexDigits[c&15])
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
			continue
		}
		switch c {
		case '"':
			b = append(b, `\"`...)
		case '\\':
			b = append(b, `\\`...)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		case '\t':
			b = append(b, `\t`...)
		default:
			if c < 0x20 {
				b = append(b, `\u00`...)
				b = append(b, hexDigits[c>>4], hexDigits[c&15])
			} else {
				b = append(b, c)
			}
		}
		i++
	}
	return append(b, '"')
}

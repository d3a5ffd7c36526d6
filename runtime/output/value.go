// Package output holds the values hawk decodes from the kernel (integers,
// strings, tuples, ordered maps) and writes them as bpftrace does.
package output

// Kind tells what a Value holds.
type Kind int

// Kinds of values.
const (
	Int      Kind = iota // I
	Uint                 // U
	String               // S
	Bool                 // B
	Tuple                // Elems
	Map                  // Entries, in print order
	Record               // Elems named by Names
	Array                // Elems
	Hist                 // Rows: a histogram's lines
	Stats                // Elems: count, average, total
	Verbatim             // S, printed as it is (a stack: one frame a line)
	Symbol               // S in text, the number U in JSON (pointers, enums)
	Buffer               // S holds raw bytes: escaped in text, numbers in JSON
	Null                 // a value hawk cannot read (a floating-point member): null in text and JSON
	Series               // Points: a tseries() map's value, interval by interval
)

// HistRow is one line of a histogram: its bucket's label and count, and
// its bounds: values from Lo (when HasLo) up to but not including Hi (when
// HasHi). The first bucket may have no lower bound, the last no upper one.
type HistRow struct {
	Label        string
	Count        uint64
	Lo, Hi       int64
	HasLo, HasHi bool
}

// Value is one decoded value. Values are built once and then only read.
type Value struct {
	Kind    Kind
	I       int64
	U       uint64
	S       string
	B       bool
	Elems   []Value
	Names   []string
	Entries []Entry
	Rows    []HistRow
	Points  []SeriesPoint
}

// SeriesPoint is one interval of a time series: when it starts, in
// nanoseconds since the Unix epoch, and its value (Int or Uint); Missing
// when nothing was recorded in it.
type SeriesPoint struct {
	Start   int64
	Value   Value
	Missing bool
}

// Entry is one key and value of an ordered map.
type Entry struct {
	Key, Value Value
}

// IntValue returns a signed integer value.
func IntValue(i int64) Value { return Value{Kind: Int, I: i} }

// UintValue returns an unsigned integer value.
func UintValue(u uint64) Value { return Value{Kind: Uint, U: u} }

// StringValue returns a string value.
func StringValue(s string) Value { return Value{Kind: String, S: s} }

// SymbolValue returns a value printed as text in text output and as its
// number in JSON, as bpftrace does for pointers and enums.
func SymbolValue(text string, n uint64) Value { return Value{Kind: Symbol, S: text, U: n} }

// StatsValue returns the value of a stats() map: its count, average and
// total.
func StatsValue(count, average, total Value) Value {
	return Value{Kind: Stats, Elems: []Value{count, average, total}}
}

// BoolValue returns a truth value.
func BoolValue(b bool) Value { return Value{Kind: Bool, B: b} }

// Compare orders two values of the same kind: -1, 0 or 1.
func Compare(a, b Value) int {
	switch a.Kind {
	case Int:
		return cmp3(a.I < b.I, a.I > b.I)
	case Uint:
		return cmp3(a.U < b.U, a.U > b.U)
	case String, Verbatim, Buffer:
		return cmp3(a.S < b.S, a.S > b.S)
	case Symbol:
		return cmp3(a.U < b.U, a.U > b.U)
	case Bool:
		return cmp3(!a.B && b.B, a.B && !b.B)
	case Tuple, Record, Array, Stats:
		for i := range a.Elems {
			if i >= len(b.Elems) {
				return 1
			}
			if c := Compare(a.Elems[i], b.Elems[i]); c != 0 {
				return c
			}
		}
		return cmp3(len(a.Elems) < len(b.Elems), false)
	}
	return 0
}

func cmp3(less, greater bool) int {
	switch {
	case less:
		return -1
	case greater:
		return 1
	}
	return 0
}

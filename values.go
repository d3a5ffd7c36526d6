package hawk

import (
	"reflect"
	"time"

	"github.com/hawktrace/hawk/runtime/output"
)

// Value is a Go value decoded from a running script: a map's value, as
// Running.Map returns it, or a printed one (PrintEvent, MapEvent). It is
// one of:
//
//	int64, uint64     an integer (signed or not, as the script types it)
//	string            a string, buffer, inet or mac address, user name,
//	                  kernel or user symbol, cgroup path, timestamp, or a
//	                  stack (its frames one a line, as print shows it)
//	bool              a bool
//	Symbol            a pointer or an enum value: its text and its number
//	Tuple             a tuple; a map with several keys has Tuple keys
//	Record            a record or struct: named fields
//	Array             a fixed-size array
//	Hist              a hist() or lhist() histogram, with bucket bounds
//	Stats             a stats() aggregation
//	Map               a keyed map: its entries in print order
//	Series            a tseries() time series
//	nil               a value hawk cannot read (a floating-point member)
//
// count(), sum(), avg(), min() and max() aggregations are integers:
// uint64 for count(), int64 or uint64 for the others as their values are
// signed or not (avg() is the average, rounded towards zero). Values are
// built once and only read afterwards: they may be shared between
// goroutines.
type Value = any

// Tuple is a tuple's elements in order; a map keyed by several values has
// Tuple keys (@m[comm, pid] has Tuple{"bash", int64(42)}).
type Tuple []Value

// Array is the elements of a fixed-size array.
type Array []Value

// Field is one named member of a Record.
type Field struct {
	Name  string
	Value Value
}

// Record is a record's or a struct's fields, in declaration order.
type Record []Field

// Get returns the value of the field called name, and whether there is
// one.
func (r Record) Get(name string) (Value, bool) {
	for _, f := range r {
		if f.Name == name {
			return f.Value, true
		}
	}
	return nil, false
}

// Symbol is a value that prints as a name but is a number: a pointer
// (Text "0xffff8880...", Value the address) or an enum (Text the
// enumerator's name, or the number when the enum has none).
type Symbol struct {
	Text  string
	Value uint64
}

// String returns the symbol's text, as hawk prints it.
func (s Symbol) String() string { return s.Text }

// Bucket is one bucket of a histogram: how many values fell from Lo
// (inclusive) to Hi (exclusive). A first bucket that holds the values
// below all others has no lower bound (HasLo false: a hist()'s negative
// values, an lhist()'s values below its minimum), a last bucket that holds
// those above all others no upper one (HasHi false: an lhist()'s values
// from its maximum). Label is the bucket as hawk prints it ("[4, 8)",
// "[1K, 2K)", "(..., 0)").
type Bucket struct {
	Lo, Hi       int64
	HasLo, HasHi bool
	Count        uint64
	Label        string
}

// Hist is a histogram (hist() or lhist()): its buckets from the lowest to
// the highest, as hawk prints them (from the first to the last bucket that
// counted something, with the empty ones between).
type Hist struct {
	Buckets []Bucket
}

// Total returns how many values the histogram counted.
func (h Hist) Total() uint64 {
	var n uint64
	for _, b := range h.Buckets {
		n += b.Count
	}
	return n
}

// Stats is the value of a stats() aggregation: how many values
// it saw, their sum and their average (rounded towards zero). For a
// script that aggregates unsigned values, Sum and Avg hold the unsigned
// value's bits.
type Stats struct {
	Count    uint64
	Sum, Avg int64
}

// Entry is one key and value of a Map.
type Entry struct {
	Key, Value Value
}

// Map is a keyed map's entries in the order hawk prints them: by value,
// ascending, for integer values and aggregations (avg and stats by their
// average), else by key; ties by key. A top-N is its last N entries.
type Map []Entry

// Get returns the value of the entry whose key equals key (a Tuple for a
// map with several keys), and whether there is one. It looks at every
// entry: for many lookups, build a Go map from the entries.
func (m Map) Get(key Value) (Value, bool) {
	for _, e := range m {
		if reflect.DeepEqual(e.Key, key) {
			return e.Value, true
		}
	}
	return nil, false
}

// Point is one interval of a Series: when it starts, and its value (an
// int64 or a uint64); Missing when nothing was recorded in it.
type Point struct {
	Start   time.Time
	Value   Value
	Missing bool
}

// Series is a tseries() map's value, interval by interval, oldest first.
type Series []Point

// goValue turns a decoded output value into the Go value the API gives
// for it (see Value).
func goValue(v *output.Value) Value {
	switch v.Kind {
	case output.Int:
		return v.I
	case output.Uint:
		return v.U
	case output.String, output.Verbatim, output.Buffer:
		return v.S
	case output.Bool:
		return v.B
	case output.Symbol:
		return Symbol{Text: v.S, Value: v.U}
	case output.Tuple:
		return Tuple(goValues(v.Elems))
	case output.Array:
		return Array(goValues(v.Elems))
	case output.Record:
		r := make(Record, len(v.Elems))
		for i := range v.Elems {
			r[i] = Field{Name: v.Names[i], Value: goValue(&v.Elems[i])}
		}
		return r
	case output.Map:
		m := make(Map, len(v.Entries))
		for i := range v.Entries {
			m[i] = Entry{Key: goValue(&v.Entries[i].Key), Value: goValue(&v.Entries[i].Value)}
		}
		return m
	case output.Hist:
		h := Hist{Buckets: make([]Bucket, len(v.Rows))}
		for i, r := range v.Rows {
			h.Buckets[i] = Bucket{Lo: r.Lo, Hi: r.Hi, HasLo: r.HasLo, HasHi: r.HasHi, Count: r.Count, Label: r.Label}
		}
		return h
	case output.Stats:
		return Stats{Count: asUint(&v.Elems[0]), Avg: asInt(&v.Elems[1]), Sum: asInt(&v.Elems[2])}
	case output.Series:
		s := make(Series, len(v.Points))
		for i, p := range v.Points {
			s[i] = Point{Start: time.Unix(0, p.Start), Value: goValue(&p.Value), Missing: p.Missing}
		}
		return s
	}
	return nil // output.Null, or a kind this API does not know yet
}

// goValues turns each of vs into its Go value.
func goValues(vs []output.Value) []Value {
	out := make([]Value, len(vs))
	for i := range vs {
		out[i] = goValue(&vs[i])
	}
	return out
}

// asInt is an integer value as an int64: an unsigned one's bits.
func asInt(v *output.Value) int64 {
	if v.Kind == output.Uint {
		return int64(v.U)
	}
	return v.I
}

// asUint is an integer value as a uint64: a signed one's bits.
func asUint(v *output.Value) uint64 {
	if v.Kind == output.Int {
		return uint64(v.I)
	}
	return v.U
}

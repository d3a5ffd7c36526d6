package runtime

import (
	"cmp"
	"slices"
	"strings"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/runtime/output"
)

// entryList collects a map's entries as they are read. Entries are big
// structs (two output.Values): they are kept in chunks, which never move,
// rather than in one slice that copies them all each time it grows, and
// they are sorted through small sort keys that hold what the order looks
// at, side by side, rather than by moving the entries around. A map of
// 100,000 entries reads several times faster so (the Go API's
// BenchmarkMapRead).
type entryList struct {
	chunks [][]output.Entry
	n      int
}

// maxChunk is the most entries one chunk holds; chunks double up to it,
// so a small map takes little room.
const maxChunk = 4096

// add appends e.
func (l *entryList) add(e output.Entry) {
	last := len(l.chunks) - 1
	if last < 0 || len(l.chunks[last]) == cap(l.chunks[last]) {
		size := 8
		if last >= 0 {
			size = min(2*cap(l.chunks[last]), maxChunk)
		}
		l.chunks = append(l.chunks, make([]output.Entry, 0, size))
		last++
	}
	l.chunks[last] = append(l.chunks[last], e)
	l.n++
}

// sorted returns the entries in order (see order), the last top of them
// when top > 0.
func (l *entryList) sorted(m *codegen.MapMeta, top uint64) []output.Entry {
	order := l.order(m)
	if top > 0 && uint64(len(order)) > top {
		order = order[uint64(len(order))-top:]
	}
	out := make([]output.Entry, len(order))
	for i, e := range order {
		out[i] = *e
	}
	return out
}

// order returns the entries ordered as bpftrace prints a map: integers
// and aggregations ascending by value (avg and stats by average), anything
// else by key; ties by key, then in the order they were read.
func (l *entryList) order(m *codegen.MapMeta) []*output.Entry {
	byValue := m.Agg != codegen.AggNone || m.Value.IsInteger()
	all := make([]*output.Entry, 0, l.n)
	for _, c := range l.chunks {
		for i := range c {
			all = append(all, &c[i])
		}
	}
	items := make([]sortItem, len(all))
	for i, e := range all {
		items[i] = sortItem{key: sortKeyOf(&e.Key), i: int32(i)}
		if byValue {
			v := &e.Value
			if v.Kind == output.Stats {
				v = &v.Elems[1]
			}
			items[i].value = sortKeyOf(v)
		}
	}
	slices.SortFunc(items, func(a, b sortItem) int {
		if byValue {
			if c := a.value.compare(b.value); c != 0 {
				return c
			}
			if a.value.full || b.value.full {
				if c := output.Compare(all[a.i].Value, all[b.i].Value); c != 0 {
					return c
				}
			}
		}
		if c := a.key.compare(b.key); c != 0 {
			return c
		}
		if a.key.full || b.key.full {
			if c := output.Compare(all[a.i].Key, all[b.i].Key); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.i, b.i)
	})
	order := make([]*output.Entry, len(items))
	for i, it := range items {
		order[i] = all[it.i]
	}
	return order
}

// sortItem is an entry as the sort sees it: its value's and key's sort
// keys, and its place in the list.
type sortItem struct {
	value, key sortKey
	i          int32
}

// sortKey is what output.Compare looks at in a scalar value, or nothing
// (full) for a value it must look into (a tuple, a record).
type sortKey struct {
	n    uint64 // an integer, ordered as an unsigned one; a bool; a symbol's number
	s    string // a string's text
	full bool   // compare the values themselves
}

// sortKeyOf is v's sort key. A signed integer's sign bit is flipped, so
// that its order is the unsigned order of n.
func sortKeyOf(v *output.Value) sortKey {
	switch v.Kind {
	case output.Int:
		return sortKey{n: uint64(v.I) ^ 1<<63}
	case output.Uint, output.Symbol:
		return sortKey{n: v.U}
	case output.Bool:
		if v.B {
			return sortKey{n: 1}
		}
		return sortKey{}
	case output.String, output.Verbatim, output.Buffer:
		return sortKey{s: v.S}
	}
	return sortKey{full: true}
}

// compare orders two sort keys as output.Compare orders the scalar
// values they were made from; keys that are full compare equal, for the
// caller to compare their values.
func (k sortKey) compare(o sortKey) int {
	if k.full || o.full {
		return 0
	}
	if c := cmp.Compare(k.n, o.n); c != 0 {
		return c
	}
	return strings.Compare(k.s, o.s)
}

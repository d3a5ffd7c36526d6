package runtime

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/runtime/output"
)

// entryList collects a map's entries as they are read, and sorts them.
// Entries are big structs (two output.Values), so they are never moved:
// each is decoded in place, into chunks that do not grow (rather than into
// one slice that copies them all each time it grows), and the sort works
// on small sort items that hold what the order looks at, side by side.
// A streaming list (stream set) keeps no entries at all: it hands each to
// stream as it is read and keeps only its sort item, and a copy of the
// few entries whose order needs their values (tuple keys). A map of
// 100,000 entries reads several times faster so (the Go API's
// BenchmarkMapRead).
type entryList struct {
	byValue bool                // the order looks at values first
	stream  func(*output.Entry) // when set, receives each entry instead of the list
	chunks  [][]output.Entry    // the entries, in read order, unless streaming
	items   []sortItem          // one per entry, in read order until sorted
	kept    map[int32]*output.Entry
	tmp     output.Entry // the entry being read, when streaming
	// unsorted lists keep their entries in read order and no sort items
	// (a metrics scrape's): n counts them.
	unsorted bool
	n        int
}

// newEntryList returns an empty list for the entries of m, streamed to
// stream when it is not nil.
func newEntryList(m *codegen.MapMeta, stream func(*output.Entry)) *entryList {
	l := &entryList{byValue: m.Agg != codegen.AggNone || m.Value.IsInteger(), stream: stream}
	if p, ok := itemsPool.Get().(*[]sortItem); ok {
		l.items = (*p)[:0]
	}
	return l
}

// itemsPool keeps the sort items of maps read before: a big map read
// again and again (every second, by a metrics scrape) need not grow its
// list of items from nothing each time.
var itemsPool sync.Pool

// release gives the list's sort items back to itemsPool, once its order
// is known.
func (l *entryList) release() {
	items := l.items
	clear(items) // their strings may be garbage
	l.items = nil
	itemsPool.Put(&items)
}

// maxChunk is the most entries one chunk holds; chunks double up to it,
// so a small map takes little room.
const maxChunk = 4096

// next returns a zero entry to fill in with the next entry read; done
// must be called once it is filled in.
func (l *entryList) next() *output.Entry {
	if l.stream != nil {
		l.tmp = output.Entry{}
		return &l.tmp
	}
	last := len(l.chunks) - 1
	if last < 0 || len(l.chunks[last]) == cap(l.chunks[last]) {
		size := 8
		if last >= 0 {
			size = min(2*cap(l.chunks[last]), maxChunk)
		}
		l.chunks = append(l.chunks, make([]output.Entry, 0, size))
		last++
	}
	c := &l.chunks[last]
	*c = (*c)[:len(*c)+1]
	return &(*c)[len(*c)-1]
}

// done takes in the entry next returned, filled in.
func (l *entryList) done(e *output.Entry) {
	if l.unsorted {
		l.n++
		return
	}
	it := sortItem{i: int32(len(l.items))}
	it.keyN, it.keyS, it.keyFull = sortKeyOf(&e.Key)
	if l.byValue {
		v := &e.Value
		if v.Kind == output.Stats {
			v = &v.Elems[1]
		}
		var s string
		it.value, s, it.valueFull = sortKeyOf(v)
		it.valueFull = it.valueFull || s != "" // a string value: rare, left to output.Compare
	}
	l.items = append(l.items, it)
	if l.stream != nil {
		if it.keyFull || it.valueFull {
			if l.kept == nil {
				l.kept = map[int32]*output.Entry{}
			}
			cp := *e
			l.kept[it.i] = &cp
		}
		l.stream(e)
	}
}

// add appends e.
func (l *entryList) add(e output.Entry) {
	p := l.next()
	*p = e
	l.done(p)
}

// len returns how many entries were read.
func (l *entryList) len() int {
	if l.unsorted {
		return l.n
	}
	return len(l.items)
}

// first returns the first entry read, of a list that keeps its entries.
func (l *entryList) first() *output.Entry { return &l.chunks[0][0] }

// inReadOrder returns the entries of a list that keeps them, in the
// order they were read.
func (l *entryList) inReadOrder() []output.Entry {
	out := make([]output.Entry, 0, l.len())
	for _, c := range l.chunks {
		out = append(out, c...)
	}
	return out
}

// sorted returns the entries of a list that keeps them, in order (see
// order), the last top of them when top > 0.
func (l *entryList) sorted(top uint64) []output.Entry {
	all := make([]*output.Entry, 0, len(l.items))
	for _, c := range l.chunks {
		for i := range c {
			all = append(all, &c[i])
		}
	}
	order := l.order(func(i int32) *output.Entry { return all[i] })
	if top > 0 && uint64(len(order)) > top {
		order = order[uint64(len(order))-top:]
	}
	out := make([]output.Entry, len(order))
	for i, k := range order {
		out[i] = *all[k]
	}
	return out
}

// streamOrder returns the order of a streaming list's entries (see
// order).
func (l *entryList) streamOrder() []int32 {
	return l.order(func(i int32) *output.Entry { return l.kept[i] })
}

// order returns the indices (in read order) of the entries ordered as
// bpftrace prints a map: integers and aggregations ascending by value
// (avg and stats by average), anything else by key; ties by key, then in
// the order they were read. entry returns an entry whose sort item is
// full, for output.Compare to look into. The list is done with then: its
// sort items go back to the pool.
func (l *entryList) order(entry func(int32) *output.Entry) []int32 {
	items := l.items
	slices.SortFunc(items, func(a, b sortItem) int {
		if l.byValue {
			if c := cmp.Compare(a.value, b.value); c != 0 && !a.valueFull && !b.valueFull {
				return c
			}
			if a.valueFull || b.valueFull {
				if c := output.Compare(entry(a.i).Value, entry(b.i).Value); c != 0 {
					return c
				}
			}
		}
		if a.keyFull || b.keyFull {
			if c := output.Compare(entry(a.i).Key, entry(b.i).Key); c != 0 {
				return c
			}
		} else {
			if c := cmp.Compare(a.keyN, b.keyN); c != 0 {
				return c
			}
			if c := strings.Compare(a.keyS, b.keyS); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.i, b.i)
	})
	order := make([]int32, len(items))
	for k, it := range items {
		order[k] = it.i
	}
	l.release()
	return order
}

// sortItem is an entry as the sort sees it: its value's and key's sort
// keys (see sortKeyOf), and its place in read order.
type sortItem struct {
	value, keyN        uint64
	keyS               string
	i                  int32
	valueFull, keyFull bool
}

// sortKeyOf is what output.Compare looks at in a scalar value: a number
// (a signed integer with its sign bit flipped, so that its order is the
// unsigned order; a bool; a symbol's number) or a string, which compare
// the same way when the other is zero. full says v is not a scalar (a
// tuple, a record): its values must be compared themselves.
func sortKeyOf(v *output.Value) (n uint64, s string, full bool) {
	switch v.Kind {
	case output.Int:
		return uint64(v.I) ^ 1<<63, "", false
	case output.Uint, output.Symbol:
		return v.U, "", false
	case output.Bool:
		if v.B {
			return 1, "", false
		}
		return 0, "", false
	case output.String, output.Verbatim, output.Buffer:
		return 0, v.S, false
	}
	return 0, "", true
}

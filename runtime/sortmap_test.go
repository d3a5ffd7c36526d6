package runtime

import (
	"math/rand"
	"reflect"
	"sort"
	"testing"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/output"
)

// TestEntryListOrder: entryList sorts as the plain stable sort by
// output.Compare does (by value, then by key, ties in read order), for
// keys and values of every kind the sort keys handle and tuples they
// leave to output.Compare, across many chunks, whether it keeps its
// entries or streams them; top keeps the last.
func TestEntryListOrder(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	ints := func() output.Value { return output.IntValue(rng.Int63n(50) - 25) }
	kinds := map[string]func() output.Value{
		"int":    ints,
		"uint":   func() output.Value { return output.UintValue(uint64(rng.Intn(50)) << 58) },
		"string": func() output.Value { return output.StringValue(string(rune('a' + rng.Intn(20)))) },
		"symbol": func() output.Value { return output.SymbolValue("s", uint64(rng.Intn(30))) },
		"bool":   func() output.Value { return output.BoolValue(rng.Intn(2) == 0) },
		"tuple":  func() output.Value { return output.Value{Kind: output.Tuple, Elems: []output.Value{ints(), ints()}} },
		"stats": func() output.Value {
			return output.StatsValue(output.UintValue(1), ints(), ints())
		},
	}
	for _, byValue := range []bool{true, false} {
		for kname, key := range kinds {
			for vname, value := range kinds {
				m := &codegen.MapMeta{Agg: codegen.AggNone, Value: &lang.Type{Kind: lang.KindString}}
				if byValue {
					m.Agg = codegen.AggSum
				}
				l, top := newEntryList(m, nil), newEntryList(m, nil)
				var streamed []output.Entry
				ls := newEntryList(m, func(e *output.Entry) { streamed = append(streamed, *e) })
				var want []output.Entry
				for range 10000 {
					e := output.Entry{Key: key(), Value: value()}
					l.add(e)
					top.add(e)
					ls.add(e)
					want = append(want, e)
				}
				sort.SliceStable(want, func(i, j int) bool {
					if byValue {
						a, b := want[i].Value, want[j].Value
						if a.Kind == output.Stats {
							a, b = a.Elems[1], b.Elems[1]
						}
						if c := output.Compare(a, b); c != 0 {
							return c < 0
						}
					}
					return output.Compare(want[i].Key, want[j].Key) < 0
				})
				if got := l.sorted(0); !reflect.DeepEqual(got, want) {
					t.Fatalf("keys %s, values %s, by value %v: the order differs", kname, vname, byValue)
				}
				if got := top.sorted(7); !reflect.DeepEqual(got, want[len(want)-7:]) {
					t.Fatalf("keys %s, values %s: top 7 is not the last 7", kname, vname)
				}
				var got []output.Entry
				for _, i := range ls.streamOrder() {
					got = append(got, streamed[i])
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("keys %s, values %s, by value %v: the streamed order differs", kname, vname, byValue)
				}
			}
		}
	}
}

package metrics

import (
	"fmt"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
	"github.com/hawktrace/hawk/runtime/output"
)

// fakeSource serves maps and counters made up by a test.
type fakeSource struct {
	metas    []*codegen.MapMeta
	values   map[string]*output.Value
	counters *runtime.Counters
}

func (f *fakeSource) MapNames() []string {
	var names []string
	for _, m := range f.metas {
		names = append(names, m.Name)
	}
	return names
}

func (f *fakeSource) MapMeta(name string) *codegen.MapMeta {
	for _, m := range f.metas {
		if m.Name == name {
			return m
		}
	}
	return nil
}

func (f *fakeSource) ReadMapTotals(name string) (*output.Value, error) {
	if f.MapMeta(name) == nil {
		return nil, fmt.Errorf("no map %s", name)
	}
	return f.values[name], nil
}

func (f *fakeSource) Counters() (*runtime.Counters, error) {
	if f.counters == nil {
		return &runtime.Counters{}, nil
	}
	return f.counters, nil
}

// meta describes a map of value type value and aggregation agg, whose key
// has a part for each of keys ("" where it is not a name); bucketed maps
// get their bucket part besides.
func meta(name string, agg codegen.Agg, value *lang.Type, keys ...string) *codegen.MapMeta {
	m := &codegen.MapMeta{Name: name, Agg: agg, Value: value}
	parts := len(keys)
	if agg.Bucketed() {
		parts++
	}
	if parts > 0 {
		m.Key = &codegen.Layout{Size: 8 * parts}
		for i := range parts {
			m.Key.Parts = append(m.Key.Parts, codegen.Part{Offset: 8 * i, Type: lang.Uint64})
		}
	}
	if len(keys) > 0 {
		m.KeyNames = keys
	}
	return m
}

// keyed is a map value of entries key, value, key, value...
func keyed(kv ...output.Value) *output.Value {
	v := &output.Value{Kind: output.Map}
	for i := 0; i < len(kv); i += 2 {
		v.Entries = append(v.Entries, output.Entry{Key: kv[i], Value: kv[i+1]})
	}
	return v
}

func tuple(elems ...output.Value) output.Value {
	return output.Value{Kind: output.Tuple, Elems: elems}
}

func str(s string) output.Value        { return output.StringValue(s) }
func u(n uint64) output.Value          { return output.UintValue(n) }
func i64(n int64) output.Value         { return output.IntValue(n) }
func ptr(v output.Value) *output.Value { return &v }

// Package stackprof turns the maps of a hawk script that count stacks
// (`@[kstack] = count()`, `@[ustack, comm] = sum(...)`) into a pprof
// profile (github.com/google/pprof/profile), which `go tool pprof`,
// Grafana Pyroscope and Parca read: one sample per map entry, its value
// the count or sum, its locations the stack's frames symbolized as hawk
// prints them, the key's other parts as sample labels.
package stackprof

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/google/pprof/profile"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/runtime"
	"github.com/hawktrace/hawk/runtime/output"
)

// Map is one map of a profile: its name, which names its sample type
// ("@", "@cpu"), the unit of its values, and its entries.
type Map struct {
	Name string
	// Unit is "count" for a count() map; a sum() map's values have no
	// unit hawk knows of: "".
	Unit    string
	Samples []runtime.StackSample
}

// Read reads every map of the session that counts stacks
// (Session.StackMaps), in name order.
func Read(s *runtime.Session) ([]Map, error) {
	var maps []Map
	for _, name := range s.StackMaps() {
		samples, err := s.ReadStacks(name)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		unit := "count"
		if s.MapMeta(name).Agg == codegen.AggSum {
			unit = ""
		}
		maps = append(maps, Map{Name: name, Unit: unit, Samples: samples})
	}
	return maps, nil
}

// Write reads the session's maps that count stacks and writes them to w
// as a profile, gzipped as pprof writes it. It fails when the script has
// no such map.
func Write(w io.Writer, s *runtime.Session) error {
	maps, err := Read(s)
	if err != nil {
		return err
	}
	if len(maps) == 0 {
		return fmt.Errorf("the script has no count() or sum() map keyed by a kstack or ustack")
	}
	p := Build(maps)
	p.TimeNanos = time.Now().UnixNano()
	return p.Write(w)
}

// Build makes a profile of maps: a sample type for each, in order (the
// first is the default, `go tool pprof -sample_index=@name` picks
// another), and a sample for each entry, whose value is the entry's in its
// map's place and zero in the others'. A key's stacks make the sample's
// locations, the innermost frame first: its kernel stacks, then its user
// stacks, as perf joins them. The key's other parts become labels named
// after their place in the key, key0, key1, ..., with their value as
// print() writes it.
func Build(maps []Map) *profile.Profile {
	b := &builder{
		p:         &profile.Profile{},
		mappings:  map[mappingKey]*profile.Mapping{},
		functions: map[functionKey]*profile.Function{},
		locations: map[locationKey]*profile.Location{},
	}
	for _, m := range maps {
		b.p.SampleType = append(b.p.SampleType, &profile.ValueType{Type: m.Name, Unit: m.Unit})
	}
	if len(maps) > 0 {
		b.p.DefaultSampleType = maps[0].Name
	}
	for i, m := range maps {
		for _, s := range m.Samples {
			b.sample(i, len(maps), s)
		}
	}
	return b.p
}

// builder makes a profile, keeping one mapping, function and location for
// each that the samples share.
type builder struct {
	p         *profile.Profile
	mappings  map[mappingKey]*profile.Mapping
	functions map[functionKey]*profile.Function
	locations map[locationKey]*profile.Location
}

type mappingKey struct{ file, buildID string }

type functionKey struct{ name, file string }

type locationKey struct {
	mapping mappingKey
	addr    uint64
	fn      string
}

// sample adds the sample of one map entry: the map is the index-th of n.
func (b *builder) sample(index, n int, s runtime.StackSample) {
	ps := &profile.Sample{Value: make([]int64, n)}
	ps.Value[index] = s.Value
	for _, kernel := range []bool{true, false} {
		for _, part := range s.Key {
			for _, f := range part.Stack {
				if f.Kernel == kernel {
					ps.Location = append(ps.Location, b.location(f))
				}
			}
		}
	}
	for i, part := range s.Key {
		if part.IsStack {
			continue
		}
		if ps.Label == nil {
			ps.Label = map[string][]string{}
		}
		ps.Label["key"+strconv.Itoa(i)] = []string{output.InlineText(part.Value)}
	}
	b.p.Sample = append(b.p.Sample, ps)
}

// location returns the location of a frame.
func (b *builder) location(f runtime.StackFrame) *profile.Location {
	mk := mappingKey{f.Module, f.BuildID}
	k := locationKey{mk, f.Addr, f.Func}
	if l, ok := b.locations[k]; ok {
		return l
	}
	l := &profile.Location{ID: uint64(len(b.p.Location) + 1), Address: f.Addr, Mapping: b.mapping(mk)}
	if f.Func != "" {
		l.Line = []profile.Line{{Function: b.function(f.Func, f.Module)}}
	}
	b.locations[k] = l
	b.p.Location = append(b.p.Location, l)
	return l
}

// mapping returns the mapping of a module, nil for frames of no known
// module. hawk symbolized the frames it could: pprof is told not to try
// again (HasFunctions).
func (b *builder) mapping(k mappingKey) *profile.Mapping {
	if k == (mappingKey{}) {
		return nil
	}
	if m, ok := b.mappings[k]; ok {
		return m
	}
	m := &profile.Mapping{ID: uint64(len(b.p.Mapping) + 1), File: k.file, BuildID: k.buildID, HasFunctions: true}
	b.mappings[k] = m
	b.p.Mapping = append(b.p.Mapping, m)
	return m
}

// function returns the function of a symbol of a module.
func (b *builder) function(name, module string) *profile.Function {
	k := functionKey{name, module}
	if f, ok := b.functions[k]; ok {
		return f
	}
	f := &profile.Function{ID: uint64(len(b.p.Function) + 1), Name: name, SystemName: name}
	b.functions[k] = f
	b.p.Function = append(b.p.Function, f)
	return f
}

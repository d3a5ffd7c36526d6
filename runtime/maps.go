package runtime

import (
	"errors"
	"reflect"

	"github.com/cilium/ebpf"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/runtime/output"
)

// printMaps prints every non-empty map, in name order, as bpftrace does
// at exit.
func (s *Session) printMaps() {
	if !s.man.PrintMapsOnExit {
		return
	}
	s.decodeMu.Lock()
	defer s.decodeMu.Unlock()
	for _, m := range s.man.Maps {
		// A map without keys that zero() emptied
		// still prints, as its zero value, as bpftrace 0.17 does.
		s.printMap(m, 0, 1, s.emptied[m.Index])
	}
}

// printMap prints one map now: the last top entries (all when top is 0),
// values divided by div. At exit empty maps are left out; print() shows
// an empty map without keys as its zero value, as bpftrace does.
func (s *Session) printMap(m *codegen.MapMeta, top, div uint64, explicit bool) {
	v, err := s.readMap(m, top, div)
	if err != nil {
		s.warnf("reading %s: %v", m.Name, err)
		return
	}
	if v == nil && explicit && !hasUserKey(m) && m.Agg != codegen.AggTseries {
		// An empty time series prints nothing, as in bpftrace.
		v = s.emptyScalar(m)
	}
	if v != nil {
		s.w.Map(m.Name, mapKind(m), *v)
	}
}

// mapKind is how the output names m's aggregation.
func mapKind(m *codegen.MapMeta) output.MapKind {
	if m.Agg == codegen.AggAvg || m.Agg == codegen.AggStats {
		return output.StatsMap
	}
	return output.PlainMap
}

// hasUserKey reports whether the script gives m keys; a histogram's or a
// time series' bucket is not one.
func hasUserKey(m *codegen.MapMeta) bool {
	if m.Agg.Bucketed() {
		return len(m.Key.Parts) > 1
	}
	return m.Key != nil
}

// emptyScalar is the value print() shows for a map without keys that
// holds nothing.
func (s *Session) emptyScalar(m *codegen.MapMeta) *output.Value {
	var v output.Value
	switch m.Agg {
	case codegen.AggNone:
		v = s.decoder().decode(m.Value, make([]byte, m.ValueSize))
	case codegen.AggHist, codegen.AggLhist:
		v = output.Value{Kind: output.Hist}
	case codegen.AggCount:
		v = output.UintValue(0)
	default:
		v, _ = mergePairs(m, nil, 1)
	}
	return &v
}

// pair is the per-CPU value of sum, avg, stats, min and max maps.
type pair struct {
	V int64
	N uint64 // values seen; for min and max, whether V is set
}

// readMap reads a map into a value: nil when it is empty; a scalar for a
// map without keys; else an ordered map, sorted as bpftrace sorts and cut
// to its last top entries.
func (s *Session) readMap(m *codegen.MapMeta, top, div uint64) (*output.Value, error) {
	v, entries, err := s.readEntries(m, top, div, nil, false)
	if err != nil || entries == nil {
		return v, err
	}
	return &output.Value{Kind: output.Map, Entries: entries.sorted(top)}, nil
}

// readMapUnsorted is readMap, whose entries stay in the order the kernel
// gave them (a map of keyed histograms is sorted all the same): for
// readers that need no order, such as a metrics scrape.
func (s *Session) readMapUnsorted(m *codegen.MapMeta) (*output.Value, error) {
	v, entries, err := s.readEntries(m, 0, 1, nil, true)
	if err != nil || entries == nil {
		return v, err
	}
	defer entries.release()
	return &output.Value{Kind: output.Map, Entries: entries.inReadOrder()}, nil
}

// readEntries reads a map: a map without keys, or a bucketed one (hist,
// lhist, tseries, already sorted and cut to top), as readMap does; any
// other as its entries, not yet sorted, streamed to stream when it is not
// nil (entryList). Both are nil when it is empty.
func (s *Session) readEntries(m *codegen.MapMeta, top, div uint64, stream func(*output.Entry), unsorted bool) (*output.Value, *entryList, error) {
	if div == 0 {
		div = 1
	}
	switch m.Agg {
	case codegen.AggHist, codegen.AggLhist:
		v, err := s.readHist(m, top, div)
		return v, nil, err
	case codegen.AggTseries:
		v, err := s.readTseries(m)
		return v, nil, err
	}
	bm := s.coll.Maps[m.SpecName]
	d := s.decoder()
	entries := newEntryList(m, stream)
	entries.unsorted = unsorted
	add := func(key []byte, v output.Value) {
		e := entries.next()
		if m.Key != nil {
			e.Key = d.decodeKey(m.Key, key)
		}
		e.Value = v
		entries.done(e)
	}
	var err error
	switch m.Agg {
	case codegen.AggNone:
		err = iterate(bm, func(key []byte, val []byte) { add(key, divided(d.decode(m.Value, val), div)) })
	case codegen.AggCount:
		err = iterate(bm, func(key []byte, perCPU []uint64) {
			var total uint64
			for _, v := range perCPU {
				total += v
			}
			if total > 0 || !m.Array {
				add(key, output.UintValue(total/div))
			}
		})
	default:
		err = iterate(bm, func(key []byte, perCPU []pair) {
			if v, ok := mergePairs(m, perCPU, div); ok || !m.Array {
				add(key, v)
			}
		})
	}
	if err != nil || entries.len() == 0 {
		return nil, nil, err
	}
	if m.Key == nil {
		if stream != nil {
			return &entries.tmp.Value, nil, nil
		}
		return &entries.first().Value, nil, nil
	}
	return nil, entries, nil
}

// mergePairs combines the CPUs' values of a sum, avg, stats, min or max
// map; ok is false when no value was ever added.
func mergePairs(m *codegen.MapMeta, perCPU []pair, div uint64) (output.Value, bool) {
	var sum int64
	var n uint64
	var best int64
	found := false
	for _, p := range perCPU {
		sum += p.V
		n += p.N
		if p.N == 0 {
			continue
		}
		better := func(a, b int64) bool {
			if m.Value.Signed {
				if m.Agg == codegen.AggMin {
					return a < b
				}
				return a > b
			}
			if m.Agg == codegen.AggMin {
				return uint64(a) < uint64(b)
			}
			return uint64(a) > uint64(b)
		}
		if !found || better(p.V, best) {
			best, found = p.V, true
		}
	}
	num := func(v int64) output.Value {
		if m.Value.Signed {
			return output.IntValue(v / int64(div))
		}
		return output.UintValue(uint64(v) / div)
	}
	avg := int64(0)
	if n > 0 {
		if m.Value.Signed {
			avg = sum / int64(n)
		} else {
			avg = int64(uint64(sum) / n)
		}
	}
	switch m.Agg {
	case codegen.AggMin, codegen.AggMax:
		return num(best), found
	case codegen.AggAvg:
		return num(avg), n > 0
	case codegen.AggStats:
		// As bpftrace does, div divides the average only.
		total := output.UintValue(uint64(sum))
		if m.Value.Signed {
			total = output.IntValue(sum)
		}
		return output.StatsValue(output.UintValue(n), num(avg), total), n > 0
	}
	return num(sum), n > 0
}

// divided is an integer value divided by div, as print(@m, top, div)
// shows it; other values are left alone.
func divided(v output.Value, div uint64) output.Value {
	switch {
	case div <= 1:
	case v.Kind == output.Int:
		v.I /= int64(div)
	case v.Kind == output.Uint:
		v.U /= div
	}
	return v
}

// iterate calls each for every entry of bm; the value is the bytes of a
// plain map's value, or one element per CPU for a per-CPU map. Entries are
// read in batches, a few syscalls for a whole map, where the kernel can.
func iterate[E any](bm *ebpf.Map, each func(key []byte, value []E)) error {
	if bm.Type() == ebpf.Hash || bm.Type() == ebpf.PerCPUHash || bm.Type() == ebpf.LRUHash {
		return iterateBatch(bm, each)
	}
	var key []byte
	var value []E
	it := bm.Iterate()
	for it.Next(&key, &value) {
		each(key, value)
	}
	return it.Err()
}

// batchSize is how many entries one batch lookup asks for: more than any
// hash bucket holds.
const batchSize = 4096

// iterateBatch reads a hash map with BPF_MAP_LOOKUP_BATCH.
func iterateBatch[E any](bm *ebpf.Map, each func(key []byte, value []E)) error {
	keySize, valueSize := int(bm.KeySize()), int(bm.ValueSize())
	keys := reflect.MakeSlice(reflect.SliceOf(reflect.ArrayOf(keySize, reflect.TypeOf(byte(0)))), batchSize, batchSize)
	var values reflect.Value
	perCPU := 0 // values per entry of a per-CPU map
	if bm.Type() == ebpf.PerCPUHash {
		ncpus, err := ebpf.PossibleCPU()
		if err != nil {
			return err
		}
		perCPU = ncpus
		values = reflect.ValueOf(make([]E, batchSize*ncpus))
	} else {
		values = reflect.MakeSlice(reflect.SliceOf(reflect.ArrayOf(valueSize, reflect.TypeOf(byte(0)))), batchSize, batchSize)
	}
	var cursor ebpf.MapBatchCursor
	for {
		n, err := bm.BatchLookup(&cursor, keys.Interface(), values.Interface(), nil)
		for i := 0; i < n; i++ {
			key := keys.Index(i).Slice(0, keySize).Bytes()
			if perCPU > 0 {
				each(key, values.Slice(i*perCPU, (i+1)*perCPU).Interface().([]E))
			} else {
				each(key, values.Index(i).Slice(0, valueSize).Interface().([]E))
			}
		}
		if errors.Is(err, ebpf.ErrKeyNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// keysOf lists a map's keys.
func keysOf(bm *ebpf.Map) [][]byte {
	var keys [][]byte
	var key any // nil asks for the first key
	for {
		next := make([]byte, bm.KeySize())
		if bm.NextKey(key, next) != nil {
			return keys
		}
		keys = append(keys, next)
		key = next
	}
}

// clearMap empties a map, or zeroes a per-CPU array's one entry.
//
// A cleared map prints nothing at exit, a count() without keys too (as
// in bpftrace; 0.17 printed it as 0).
func (s *Session) clearMap(m *codegen.MapMeta) {
	delete(s.emptied, m.Index) // a zero() before counts no more
	if m.Array {
		s.zeroValues(m) // its one entry cannot be removed
		return
	}
	bm := s.coll.Maps[m.SpecName]
	for _, k := range keysOf(bm) {
		bm.Delete(k)
	}
}

// zeroMap sets every value of a map to zero.
func (s *Session) zeroMap(m *codegen.MapMeta) {
	s.markEmptied(m)
	s.zeroValues(m)
}

func (s *Session) zeroValues(m *codegen.MapMeta) {
	bm := s.coll.Maps[m.SpecName]
	zero := make([]byte, m.ValueSize)
	var value any = zero
	if m.PerCPU {
		ncpus, _ := ebpf.PossibleCPU()
		values := make([][]byte, ncpus)
		for i := range values {
			values[i] = zero
		}
		value = values
	}
	for _, k := range keysOf(bm) {
		bm.Put(k, value)
	}
}

// markEmptied remembers that a map without keys was zeroed or cleared.
func (s *Session) markEmptied(m *codegen.MapMeta) {
	if hasUserKey(m) {
		return
	}
	if s.emptied == nil {
		s.emptied = map[int]bool{}
	}
	s.emptied[m.Index] = true
}

package runtime

import (
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/output"
)

// PrintMapEntry prints the entry of a map whose key is key (one constant
// a key part), as print(@name) prints its entries: the REPL's `@h["bash"]`,
// for a map of any kind, a histogram's too. It reports whether the map
// holds the key.
func (lv *Live) PrintMapEntry(name string, key []lang.Const) (bool, error) {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	v, m, err := lv.readMap(name)
	if err != nil || v == nil || v.Kind != output.Map {
		return false, err
	}
	var kept []output.Entry
	for _, e := range v.Entries {
		if keyIs(e.Key, key) {
			kept = append(kept, e)
		}
	}
	if len(kept) == 0 {
		return false, nil
	}
	lv.view.decodeMu.Lock() // as printMap writes
	defer lv.view.decodeMu.Unlock()
	lv.view.w.Map(m.Name, mapKind(m), output.Value{Kind: output.Map, Entries: kept})
	return true, lv.view.w.Flush()
}

// keyIs reports whether a decoded key is the constants key: one, or a
// tuple of them.
func keyIs(v output.Value, key []lang.Const) bool {
	if len(key) == 1 {
		return constIs(v, key[0])
	}
	if v.Kind != output.Tuple || len(v.Elems) != len(key) {
		return false
	}
	for i, e := range v.Elems {
		if !constIs(e, key[i]) {
			return false
		}
	}
	return true
}

// constIs reports whether a decoded value is the constant k.
func constIs(v output.Value, k lang.Const) bool {
	switch v.Kind {
	case output.String:
		return k.IsStr && v.S == k.Str
	case output.Int:
		return !k.IsStr && uint64(v.I) == k.Int
	case output.Uint, output.Symbol:
		return !k.IsStr && v.U == k.Int
	case output.Bool:
		return !k.IsStr && v.B == (k.Int != 0)
	}
	return false
}

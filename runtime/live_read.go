package runtime

import (
	"fmt"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/runtime/output"
)

// ReadMap reads the map called name as it is now, decoded as print(@name)
// shows it, with what the manifest says of it (its aggregation, key and
// value types): a map without keys is its value, even when empty; another
// is an output.Map of its entries, nil when it has none. The REPL's
// .watch reads maps so, to show them as they change.
func (lv *Live) ReadMap(name string) (*output.Value, *codegen.MapMeta, error) {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	v, m, err := lv.readMap(name)
	if err != nil {
		return nil, nil, err
	}
	if v == nil && !hasUserKey(m) && m.Agg != codegen.AggTseries {
		v = lv.view.emptyScalar(m)
	}
	return v, m, nil
}

// readMap reads the map called name now, decoded as print(@name) shows
// it; nil when it has no entries. lv.mu is held.
func (lv *Live) readMap(name string) (*output.Value, *codegen.MapMeta, error) {
	m := lv.mapMeta(name)
	if m == nil {
		return nil, nil, fmt.Errorf("no map %s", name)
	}
	lv.view.decodeMu.Lock()
	defer lv.view.decodeMu.Unlock()
	v, err := lv.view.readMap(m, 0, 1)
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return v, m, nil
}

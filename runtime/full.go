package runtime

import (
	"fmt"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/output"
)

// reportFull says, once for each place in the script, that a map refused
// a new key because it was full: which map, where, and how to make room.
func (s *Session) reportFull(state []byte) {
	for i, site := range s.man.FullSites {
		n := ne.Uint64(state[codegen.StateFullOffset+8*i:])
		if n == 0 || s.fullReported[i] {
			continue
		}
		if s.fullReported == nil {
			s.fullReported = map[int]bool{}
		}
		s.fullReported[i] = true
		m := s.man.Maps[site.Map]
		size := s.coll.Maps[m.SpecName].MaxEntries()
		d := output.Diagnostic{
			Severity: output.Warning, Runtime: true, Helper: "map_update_elem", Retcode: -7,
			Msg: fmt.Sprintf("map %s is full (%d keys): new keys are dropped from here on. "+
				"Raise max_map_keys or give the map a size: let %s = hash(%d)", m.Name, size, m.Name, 2*size),
			File: site.Pos.Filename, Line: site.Pos.Line, Col: site.Pos.Column,
		}
		if site.End.Line == site.Pos.Line {
			d.ECol = site.End.Column
			d.Context = []string{site.Line, lang.Marker(site.Line, site.Pos.Column, site.End.Column-site.Pos.Column)}
		}
		s.w.Diagnostic(d)
	}
}

package runtime

import (
	"fmt"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/output"
)

// reportFull says, once for each place in the script, that a map refused
// a new key because it was full (which map, where, and how to make room),
// or that an array index was out of bounds.
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
		d := output.Diagnostic{Severity: output.Warning, Runtime: true,
			File: site.Pos.Filename, Line: site.Pos.Line, Col: site.Pos.Column}
		switch site.Kind {
		case codegen.SiteIndexOOB:
			// bpftrace's words; hawk reads element 0 instead.
			d.Msg = "Array access out of bounds. This can lead to unexpected results (element 0 was read instead)."
		default:
			m := s.man.Maps[site.Map]
			size := s.coll.Maps[m.SpecName].MaxEntries()
			d.Helper, d.Retcode = "map_update_elem", -7
			d.Msg = fmt.Sprintf("map %s is full (%d keys): new keys are dropped from here on. "+
				"Raise max_map_keys or give the map a size: let %s = hash(%d)", m.Name, size, m.Name, 2*size)
		}
		if site.End.Line == site.Pos.Line {
			d.ECol = site.End.Column
			d.Context = []string{site.Line, lang.Marker(site.Line, site.Pos.Column, site.End.Column-site.Pos.Column)}
		}
		s.w.Diagnostic(d)
	}
}

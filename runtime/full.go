package runtime

import (
	"fmt"
	"strings"

	"github.com/hawktrace/hawk/codegen"
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
			d.Context = []string{site.Line, caretLine(site.Line, site.Pos.Column, site.End.Column)}
		}
		s.w.Diagnostic(d)
	}
}

// caretLine marks columns [from, to) of line, keeping its tabs so that
// the marks line up.
func caretLine(line string, from, to int) string {
	var b strings.Builder
	for i, r := range []rune(line) {
		col := i + 1
		switch {
		case col >= to:
			return b.String()
		case col < from && r == '\t':
			b.WriteByte('\t')
		case col < from:
			b.WriteByte(' ')
		case col == from:
			b.WriteByte('^')
		default:
			b.WriteByte('~')
		}
	}
	return b.String()
}

package runtime

import (
	"fmt"
	"syscall"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/runtime/output"
)

// reportSites says, once for each place in the script, that a problem
// the programs count happened there: a map refused a new key because it
// was full (which map, and how to make room), a division or modulo by
// zero gave 1, an array index was out of bounds, or (-k) a map read found
// no entry.
func (s *Session) reportSites(state []byte) {
	for i, site := range s.man.Sites {
		n := ne.Uint64(state[codegen.StateSitesOffset+8*i:])
		if n == 0 || s.siteReported[i] || site.Kind == codegen.SiteLost { // lost events: reportLost
			continue
		}
		if s.siteReported == nil {
			s.siteReported = map[int]bool{}
		}
		s.siteReported[i] = true
		d := output.Diagnostic{
			Severity: output.Warning, Runtime: true,
			File: site.Pos.Filename, Line: site.Pos.Line, Col: site.Pos.Column,
		}
		switch site.Kind {
		case codegen.SiteFull:
			m := s.man.Maps[site.Map]
			size := s.coll.Maps[m.SpecName].MaxEntries()
			d.Helper, d.Retcode = "map_update_elem", -7
			d.Msg = fmt.Sprintf("Map full; can't update element: %s holds its %d keys, and new keys are dropped from here on. "+
				"Raise max_map_keys or give the map a size: let %s = hash(%d)", m.Name, size, m.Name, 2*size)
		case codegen.SiteLookupMiss:
			// bpftrace's words (its -k), which its tests look for.
			d.Helper = "map_lookup_elem"
			d.Msg = "Can't lookup map element because it does not exist.\nAdditional Info - helper: map_lookup_elem, retcode: 0"
		case codegen.SiteIndexOOB:
			// bpftrace's words; hawk reads element 0 instead.
			d.Msg = "Array access out of bounds. This can lead to unexpected results (element 0 was read instead)."
		case codegen.SiteReadError:
			// bpftrace's helper_error: the error, the helper, its code.
			d.Helper, d.Retcode, d.HelperFailed = site.Helper, int(int64(n)), true
			d.Msg = errnoText(syscall.Errno(-int64(n)))
		case codegen.SiteNoProcess:
			d.Msg = `No such process: comm(pid) found no process with that pid and read "N/A" instead.`
		case codegen.SiteNoDwarf:
			// bpftrace's words, which its tests look for.
			d.Msg = "No DWARF unwind data available for this process. Use -p or --dwarf-pid to specify target PIDs."
		case codegen.SiteZeroDiv:
			// bpftrace's words, which its tests look for.
			d.Msg = "Divide or modulo by 0 detected. This can lead to unexpected results. 1 is being used as the result."
		}
		if site.End.Line == site.Pos.Line {
			d.ECol = site.End.Column
			d.Context = []string{site.Line, output.Marker(site.Line, site.Pos.Column, site.End.Column-site.Pos.Column)}
		}
		s.w.Diagnostic(d)
	}
}

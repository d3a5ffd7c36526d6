package usersym

import (
	"cmp"
	"debug/dwarf"
	"path"
	"slices"
)

// unitInfo is what lookups need of one compilation unit: its line table
// and its tree of functions and inlined calls.
type unitInfo struct {
	files  []string  // the line table's files, by index ("" for none)
	rows   []lineRow // sorted by address; see decodeLines
	scopes []scope   // functions and inlined calls in the order of their entries
}

// lineRow is one row of a line table.
type lineRow struct {
	addr uint64
	line int32
	file int32 // index in unitInfo.files
	end  bool  // the end of a sequence: addr is past its code
}

// scope is a function (DW_TAG_subprogram) with code, or a call inlined
// in one (DW_TAG_inlined_subroutine).
type scope struct {
	ranges   [][2]uint64
	name     string
	parent   int32 // index of the enclosing scope, -1 for none
	end      int32 // index past the scopes nested in this one
	callFile int32 // where an inlined call is: index in unitInfo.files
	callLine int32
	inlined  bool
}

// scopeFunc names the function that holds an address, by DWARF.
type scopeFunc struct {
	Name  string
	Entry uint64 // its lowest address
}

// contains reports whether pc is in one of s's ranges.
func (s *scope) contains(pc uint64) bool {
	for _, r := range s.ranges {
		if pc >= r[0] && pc < r[1] {
			return true
		}
	}
	return false
}

// lookup finds pc in u: the line its row gives, and the chain of scopes
// that hold it. The innermost inlined function gets the row's line; each
// other gets the place of the call of the one inside it, and so does
// the function itself (src), as addr2line -i and blazesym report them.
func (u *unitInfo) lookup(pc uint64) (src Source, inl []Inline, fn scopeFunc, ok bool) {
	var chain []int32
	for i := int32(0); i < int32(len(u.scopes)); {
		s := &u.scopes[i]
		if s.contains(pc) && (len(chain) == 0 || s.parent == chain[len(chain)-1]) {
			chain = append(chain, i)
			i++
			continue
		}
		i = s.end
	}
	row, haveRow := u.row(pc)
	if haveRow {
		src = Source{u.file(row.file), int(row.line)}
	}
	if len(chain) > 0 && !u.scopes[chain[0]].inlined {
		top := &u.scopes[chain[0]]
		fn = scopeFunc{Name: top.name, Entry: top.ranges[0][0]}
		for _, r := range top.ranges {
			fn.Entry = min(fn.Entry, r[0])
		}
	}
	// Innermost first: each inlined scope takes the place known so far
	// and hands its call's place outwards.
	for k := len(chain) - 1; k >= 0; k-- {
		s := &u.scopes[chain[k]]
		if !s.inlined {
			break
		}
		inl = append(inl, Inline{Name: s.name, Source: src})
		src = Source{u.file(s.callFile), int(s.callLine)}
	}
	return src, inl, fn, haveRow || len(chain) > 0
}

// file returns the name of file i of the line table, "" if none.
func (u *unitInfo) file(i int32) string {
	if i < 0 || int(i) >= len(u.files) {
		return ""
	}
	return u.files[i]
}

// row returns the row whose code holds pc.
func (u *unitInfo) row(pc uint64) (lineRow, bool) {
	i, _ := slices.BinarySearchFunc(u.rows, pc, func(r lineRow, pc uint64) int {
		return cmp.Compare(r.addr, pc+1)
	})
	if i == 0 || u.rows[i-1].end {
		return lineRow{}, false
	}
	return u.rows[i-1], true
}

// decodeUnit decodes the unit whose entry is at off; what it cannot read
// is left out.
func decodeUnit(data *dwarf.Data, off dwarf.Offset) *unitInfo {
	u := new(unitInfo)
	r := data.Reader()
	r.Seek(off)
	cu, err := r.Next()
	if err != nil || cu == nil {
		return u
	}
	u.decodeLines(data, cu)
	u.decodeScopes(data, r, cu)
	return u
}

// decodeLines reads the unit's line table into u.rows, sorted by address.
// Of rows at one address the last is kept, so that a row's code runs to
// the next row's address; an end of sequence sorts before a row that
// starts another sequence at its address. Sequences at address 0, code
// the linker dropped, are left out.
func (u *unitInfo) decodeLines(data *dwarf.Data, cu *dwarf.Entry) {
	lr, err := data.LineReader(cu)
	if err != nil || lr == nil {
		return
	}
	// debug/dwarf joins a relative directory to the unit's directory
	// for DWARF 4 and before, not for 5: do it here.
	compDir, _ := cu.Val(dwarf.AttrCompDir).(string)
	index := map[*dwarf.LineFile]int32{}
	for i, f := range lr.Files() {
		u.files = append(u.files, "")
		if f != nil {
			name := f.Name
			if compDir != "" && name != "" && !path.IsAbs(name) {
				name = compDir + "/" + name
			}
			u.files[i], index[f] = name, int32(i)
		}
	}
	var e dwarf.LineEntry
	start, dropped := true, false
	for lr.Next(&e) == nil {
		if start {
			dropped, start = e.Address == 0, false
		}
		if !dropped {
			file, ok := index[e.File]
			if !ok {
				file = -1
			}
			u.rows = append(u.rows, lineRow{e.Address, int32(e.Line), file, e.EndSequence})
		}
		start = e.EndSequence
	}
	slices.SortStableFunc(u.rows, func(a, b lineRow) int {
		if c := cmp.Compare(a.addr, b.addr); c != 0 {
			return c
		}
		switch {
		case a.end == b.end:
			return 0
		case a.end:
			return -1
		}
		return 1
	})
	// Keep the last row of each address.
	out := u.rows[:0]
	for i, r := range u.rows {
		if i+1 < len(u.rows) && u.rows[i+1].addr == r.addr {
			continue
		}
		out = append(out, r)
	}
	u.rows = slices.Clip(out)
}

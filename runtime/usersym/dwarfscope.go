package usersym

import "debug/dwarf"

// attrMIPSLinkageName is DW_AT_MIPS_linkage_name, the linkage name of
// DWARF before version 4, which older compilers still write.
const attrMIPSLinkageName dwarf.Attr = 0x2007

// maxScopeDepth bounds the nesting of entries decodeScopes follows.
const maxScopeDepth = 256

// decodeScopes reads the functions with code and the inlined calls of the
// unit cu, whose children r reads next, into u.scopes. It descends only
// into entries that may hold code (namespaces, functions, blocks), and
// skips types and variables.
func (u *unitInfo) decodeScopes(data *dwarf.Data, r *dwarf.Reader, cu *dwarf.Entry) {
	if !cu.Children {
		return
	}
	names := &scopeNames{data: data, r: data.Reader(), byOff: map[dwarf.Offset]scopeName{}}
	// open[d] is the index of the scope open at depth d, or -1.
	open := []int32{-1}
	for len(open) > 0 {
		e, err := r.Next()
		if err != nil || e == nil || e.Tag == dwarf.TagCompileUnit || e.Tag == dwarf.TagPartialUnit {
			break // past the unit's end, if it lacks its closing entry
		}
		if e.Tag == 0 { // the end of the open entry's children
			u.close(open[len(open)-1])
			open = open[:len(open)-1]
			continue
		}
		idx := int32(-1)
		switch e.Tag {
		case dwarf.TagSubprogram, dwarf.TagInlinedSubroutine:
			if rs, err := data.Ranges(e); err == nil && len(rs) > 0 {
				idx = int32(len(u.scopes))
				u.scopes = append(u.scopes, scope{
					ranges: rs, name: names.of(e), parent: nearest(open),
					inlined:  e.Tag == dwarf.TagInlinedSubroutine,
					callFile: attrInt(e, dwarf.AttrCallFile), callLine: attrInt(e, dwarf.AttrCallLine),
				})
			}
		case dwarf.TagNamespace, dwarf.TagLexDwarfBlock, dwarf.TagModule:
		default:
			r.SkipChildren()
			continue
		}
		if !e.Children {
			u.close(idx)
			continue
		}
		if len(open) >= maxScopeDepth {
			u.close(idx)
			r.SkipChildren()
			continue
		}
		open = append(open, idx)
	}
	// A truncated unit: close what is still open.
	for _, i := range open {
		u.close(i)
	}
}

// close records that scope i (if any) has no more nested scopes.
func (u *unitInfo) close(i int32) {
	if i >= 0 {
		u.scopes[i].end = int32(len(u.scopes))
	}
}

// nearest returns the innermost open scope, -1 if none.
func nearest(open []int32) int32 {
	for k := len(open) - 1; k >= 0; k-- {
		if open[k] >= 0 {
			return open[k]
		}
	}
	return -1
}

// attrInt returns an integer attribute of e, 0 if it has none.
func attrInt(e *dwarf.Entry, a dwarf.Attr) int32 {
	switch v := e.Val(a).(type) {
	case int64:
		return int32(v)
	case uint64:
		return int32(v)
	}
	return 0
}

// scopeNames names functions, reading the entries their abstract origins
// and specifications point to with a reader of its own.
type scopeNames struct {
	data  *dwarf.Data
	r     *dwarf.Reader
	byOff map[dwarf.Offset]scopeName
}

// scopeName is a function's name and whether it is a linkage name,
// demangled.
type scopeName struct {
	name    string
	linkage bool
}

// of names the function of entry e: its linkage name demangled, or its
// name, found on e or on the entries its DW_AT_abstract_origin and
// DW_AT_specification lead to (an inlined call's names are on its
// abstract origin; a C++ method's on the declaration in its class).
func (n *scopeNames) of(e *dwarf.Entry) string { return n.find(e, 0).name }

func (n *scopeNames) find(e *dwarf.Entry, depth int) scopeName {
	for _, a := range []dwarf.Attr{dwarf.AttrLinkageName, attrMIPSLinkageName} {
		if s, ok := e.Val(a).(string); ok && s != "" {
			return scopeName{Demangle(s), true}
		}
	}
	own, _ := e.Val(dwarf.AttrName).(string)
	ref, ok := e.Val(dwarf.AttrAbstractOrigin).(dwarf.Offset)
	if !ok {
		ref, ok = e.Val(dwarf.AttrSpecification).(dwarf.Offset)
	}
	if !ok || depth >= 8 {
		return scopeName{name: own}
	}
	inner, seen := n.byOff[ref]
	if !seen {
		n.r.Seek(ref)
		if next, err := n.r.Next(); err == nil && next != nil {
			inner = n.find(next, depth+1)
		}
		n.byOff[ref] = inner
	}
	if inner.linkage || own == "" {
		return inner
	}
	return scopeName{name: own}
}

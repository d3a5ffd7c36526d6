package lang

// unify merges a stored type with a newly assigned one: integers widen,
// strings grow, tuples and records merge member by member. ok is false
// when the two cannot share storage. When new adds nothing to old, the
// result is old itself, so that a type that has settled keeps its
// identity and the next merge with it is quick.
func unify(old, new *Type) (*Type, bool) { return unifyTypes(old, new, nil) }

// merged is the result of unifying a pair of types.
type merged struct {
	t  *Type
	ok bool
}

func unifyTypes(old, new *Type, seen map[typePair]merged) (*Type, bool) {
	switch {
	case old == nil || old.IsInvalid():
		return new, true
	case new.IsInvalid() || old == new:
		return old, true
	case old.Kind == KindInt && new.Kind == KindBool, old.Kind == KindBool && new.Kind == KindInt:
		return old, false
	case old.Kind != new.Kind:
		return old, false
	}
	switch old.Kind {
	case KindInt:
		if old.IsEnum() && sameEnum(old.Enum, new.Enum) && old.Size >= new.Size {
			return old, true // values of one enum stay of it
		}
		t := Promote(old, new)
		return IntType(max(t.Size, old.Size), t.Signed), true
	case KindSum, KindAvg, KindMin, KindMax, KindStats, KindTseries:
		// The values' sign merges; a tseries has one interval, count
		// and aggregation per map (the others have no Args).
		if !intsEqual(old.Args, new.Args) {
			return old, false
		}
		if old.Signed || !new.Signed {
			return old, true
		}
		return AggType(old.Kind, true, old.Args...), true
	case KindString, KindBuffer:
		if new.Size <= old.Size {
			return old, true
		}
		t := *old
		t.Size = new.Size
		return &t, true
	case KindPointer:
		return old, old.Elem.Equal(new.Elem) || old.Elem.Kind == KindVoid || new.Elem.Kind == KindVoid
	case KindTuple, KindRecord:
		if len(old.Fields) != len(new.Fields) {
			return old, false
		}
		if seen == nil && old.members > sharedWalk {
			seen = map[typePair]merged{}
		}
		if m, ok := seen[typePair{old, new}]; ok {
			return m.t, m.ok
		}
		t, ok := unifyMembers(old, new, seen)
		if seen != nil {
			seen[typePair{old, new}] = merged{t, ok}
		}
		return t, ok
	case KindHist, KindLhist, KindStack:
		return old, intsEqual(old.Args, new.Args)
	}
	return old, old.Equal(new)
}

// unifyMembers merges two tuples or two records of as many members.
func unifyMembers(old, new *Type, seen map[typePair]merged) (*Type, bool) {
	elems := make([]*Type, len(old.Fields))
	names := make([]string, len(old.Fields))
	changed := false
	for i := range old.Fields {
		nf := new.Fields[i]
		if old.Kind == KindRecord {
			j := new.FieldIndex(old.Fields[i].Name)
			if j < 0 {
				return old, false
			}
			nf = new.Fields[j]
		}
		t, ok := unifyTypes(old.Fields[i].Type, nf.Type, seen)
		if !ok {
			return old, false
		}
		elems[i], names[i] = t, old.Fields[i].Name
		changed = changed || t != old.Fields[i].Type
	}
	switch {
	case !changed:
		return old, true
	case old.Kind == KindRecord:
		return RecordType(names, elems), true
	}
	return TupleType(elems), true
}

func intsEqual(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

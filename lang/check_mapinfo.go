package lang

import "strconv"

// keyKinds are the types a map key part may have.
func keyable(t *Type) bool {
	switch t.Kind {
	case KindInt, KindString, KindBool, KindPointer, KindTuple, KindRecord, KindStruct, KindArray, KindStack, KindBuffer,
		KindUsym, KindKsym, KindUsername, KindTimestamp, KindInet, KindMacaddr, KindCgroup:
		return true
	}
	return false
}

// mapInfo returns the map called m.Name, creating it on first use, and
// checks that m uses as many keys as every other use.
func (c *checker) mapInfo(m *MapExpr) (*MapInfo, bool) {
	keyTypes := make([]*Type, len(m.Keys))
	ok := true
	for i, k := range m.Keys {
		t := c.expr(k)
		switch {
		case t.IsInvalid():
			ok = false
		case keyable(t):
			keyTypes[i] = c.withFields(storageType(fixed(t)))
		default:
			c.errorf(k, "a map key cannot be %s", t)
			ok = false
		}
	}
	// A tuple stands for as many keys, as in bpftrace, where a map's keys
	// are a tuple: $k = (1, 2); @m[$k] is @m[1, 2].
	keyAt := func(i int) Node { return m.Keys[i] }
	if len(m.Keys) == 1 && ok && keyTypes[0].Kind == KindTuple {
		tuple := keyTypes[0]
		keyTypes = make([]*Type, len(tuple.Fields))
		for i, f := range tuple.Fields {
			keyTypes[i] = f.Type
		}
		keyAt = func(int) Node { return m.Keys[0] }
	}
	info := c.info.Maps[m.Name]
	if info == nil {
		info = &MapInfo{Name: m.Name, First: m}
		c.info.Maps[m.Name] = info
		c.info.MapOrder = append(c.info.MapOrder, m.Name)
		if ok {
			info.Keys = keyTypes
		}
		return info, ok
	}
	if _, isDecl := info.First.(*MapDecl); info.First == nil || isDecl {
		info.First = m
	}
	if ok && (info.Keys != nil || len(m.Keys) == 0) && len(info.Keys) != len(keyTypes) {
		c.errorf(m, "%s is used with %s here but with %s elsewhere", m.Name, plural(len(keyTypes), "key"), plural(len(info.Keys), "key"))
		return info, false
	}
	if !ok {
		return info, false
	}
	if info.Keys == nil {
		info.Keys = keyTypes
		c.changedKeys(info)
		return info, true
	}
	for i, kt := range keyTypes {
		t, good := unify(info.Keys[i], kt)
		if !good {
			c.errorf(keyAt(i), "%s's key is %s elsewhere, not %s", m.Name, info.Keys[i], kt)
			return info, false
		}
		if !c.fits(keyAt(i), t, "this makes "+m.Name+"'s key") {
			return info, false
		}
		if !t.Equal(info.Keys[i]) {
			c.changedKeys(info)
		}
		info.Keys[i] = t
	}
	return info, true
}

func plural(n int, word string) string {
	if n == 0 {
		return "no " + word + "s"
	}
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// assignMap checks the assignment of a value of type vt to the map entry m.
func (c *checker) assignMap(m *MapExpr, vt *Type, value Expr) {
	info, ok := c.mapInfo(m)
	c.storeMap(m, info, ok, vt, value)
}

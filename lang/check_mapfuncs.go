package lang

// The aggregations, and the functions that act on whole maps.

func (c *checker) checkAgg(call *Call) *Type {
	signed, ok := c.aggArg(call)
	if !ok {
		return Invalid
	}
	return AggType(aggKinds[call.Name], signed)
}

// aggArg checks the value an aggregation takes and says if it is signed.
func (c *checker) aggArg(call *Call) (signed, ok bool) {
	t := c.expr(call.Args[0])
	if t.IsInvalid() {
		return false, false
	}
	if !t.IsInteger() || t.Kind == KindPointer {
		c.errorf(call.Args[0], "%s() takes an integer, not %s", call.Name, t)
		return false, false
	}
	st := intView(t.ValueType())
	return st.Signed || st.Flexible, true
}

var aggKinds = map[string]Kind{"avg": KindAvg, "min": KindMin, "max": KindMax, "stats": KindStats}

// constArg checks an argument that must be a constant integer in [lo, hi].
func (c *checker) constArg(call *Call, i int, what string, lo, hi int64) (int64, bool) {
	t := c.expr(call.Args[i])
	if t.IsInvalid() {
		return 0, false
	}
	k, ok := c.info.Consts[call.Args[i]]
	if !ok || k.IsStr {
		c.errorf(call.Args[i], "%s()'s %s must be a constant integer", call.Name, what)
		return 0, false
	}
	v := int64(k.Int)
	if v < lo || v > hi {
		c.errorf(call.Args[i], "%s()'s %s must be between %d and %d, not %d", call.Name, what, lo, hi, v)
		return 0, false
	}
	return v, true
}

func (c *checker) checkHist(call *Call) *Type {
	signed, ok := c.aggArg(call)
	if !ok {
		return Invalid
	}
	bits := int64(0)
	if len(call.Args) == 2 {
		var ok bool
		if bits, ok = c.constArg(call, 1, "number of bits", 0, 5); !ok {
			return Invalid
		}
	}
	return AggType(KindHist, signed, bits)
}

// maxLhistBuckets bounds lhist's buckets, as bpftrace does.
const maxLhistBuckets = 1000

func (c *checker) checkLhist(call *Call) *Type {
	signed, ok := c.aggArg(call)
	min, ok1 := c.constArg(call, 1, "minimum", -1<<62, 1<<62)
	max, ok2 := c.constArg(call, 2, "maximum", -1<<62, 1<<62)
	step, ok3 := c.constArg(call, 3, "step", 1, 1<<62)
	if !ok || !ok1 || !ok2 || !ok3 {
		return Invalid
	}
	if min >= max {
		c.errorf(call.Args[2], "lhist()'s maximum must be greater than its minimum")
		return Invalid
	}
	if (max-min)/step > maxLhistBuckets {
		c.errorf(call.Args[3], "lhist() would have %d buckets; at most %d are allowed", (max-min)/step, maxLhistBuckets)
		return Invalid
	}
	return AggType(KindLhist, signed, min, max, step)
}

// mapArg checks an argument that must be a whole map, not a value of it.
func (c *checker) mapArg(call *Call, i int) (*MapExpr, *MapInfo, bool) {
	m, ok := call.Args[i].(*MapExpr)
	if !ok || m.Keys != nil {
		t := c.expr(call.Args[i])
		if !t.IsInvalid() {
			c.errorf(call.Args[i], "%s() takes a map, e.g. %s(@name)", call.Name, call.Name)
		}
		return nil, nil, false
	}
	c.record(m, Void)
	info := c.info.Maps[m.Name]
	if info == nil || info.Value == nil {
		if c.report && (info == nil || !info.badValue) {
			c.errorf(m, "%s is never assigned", m.Name)
		}
		return m, nil, false
	}
	return m, info, true
}

func (c *checker) checkMapArg(call *Call) *Type {
	c.mapArg(call, 0)
	return Void
}

// checkPrint checks print(@m [, top [, div]]) and print(value).
func (c *checker) checkPrint(call *Call) *Type {
	if m, ok := call.Args[0].(*MapExpr); ok && m.Keys == nil {
		if _, _, ok := c.mapArg(call, 0); !ok {
			return Void
		}
		if len(call.Args) > 1 {
			c.constArg(call, 1, "top", 0, 1<<31)
		}
		if len(call.Args) > 2 {
			c.constArg(call, 2, "divisor", 1, 1<<31)
		}
		return Void
	}
	if len(call.Args) > 1 {
		c.extraArgs(call, 1, "print() of a value takes one argument; a top and a divisor go with a map: print(@name, top, div)")
		return Void
	}
	t := c.expr(call.Args[0])
	if !t.IsInvalid() && !storable(t) {
		c.errorf(call.Args[0], "print() cannot print %s", t)
	} else if !t.IsInvalid() {
		// A kernel struct prints member by member.
		c.record(call.Args[0], c.withFields(t))
	}
	return Void
}

// keyArgs checks the key of delete(@m, k...) and has_key(@m, k...) against
// the map, as @m[k...] would be.
func (c *checker) keyArgs(call *Call) bool {
	m, ok := call.Args[0].(*MapExpr)
	if !ok || m.Keys != nil {
		c.errorf(call.Args[0], "%s() takes a map and a key, e.g. %s(@name, key)", call.Name, call.Name)
		return false
	}
	keys := call.Args[1:]
	if len(keys) == 1 {
		if tup, ok := keys[0].(*TupleExpr); ok {
			keys = tup.Elems
		}
	}
	access := &MapExpr{Span: m.Span, Name: m.Name, Keys: keys}
	c.info.MapArgs[call] = access
	info, good := c.mapInfo(access)
	c.record(m, Void)
	c.record(access, Void)
	if good && info.Value == nil {
		if c.report && !info.badValue {
			c.errorf(m, "%s is never assigned", m.Name)
		}
		return false
	}
	return good
}

func (c *checker) checkDelete(call *Call) *Type {
	if len(call.Args) == 1 {
		m, ok := call.Args[0].(*MapExpr)
		if !ok || m.Keys == nil {
			if _, info, ok := c.mapArg(call, 0); ok && len(info.Keys) == 0 {
				return Bool // delete(@scalar)
			}
			c.errorf(call.Args[0], "delete() takes a map entry, e.g. delete(@name[key]) or delete(@name, key)")
			return Void
		}
		c.info.MapArgs[call] = m
		if info, ok := c.mapInfo(m); ok && info.Value == nil {
			if c.report && !info.badValue {
				c.errorf(m, "%s is never assigned", m.Name)
			}
		} else if ok {
			c.checkDeletable(call, info)
		}
		c.record(m, Void)
		return Bool
	}
	if c.keyArgs(call) {
		c.checkDeletable(call, c.info.Maps[call.Args[0].(*MapExpr).Name])
	}
	return Bool
}

func (c *checker) checkDeletable(call *Call, info *MapInfo) {
	if info.Value != nil && (info.Value.Kind == KindHist || info.Value.Kind == KindLhist || info.Value.Kind == KindTseries) {
		c.errorf(call, "delete() cannot remove one entry of a %s() map; clear() empties it", aggName(info.Value))
	}
}

func (c *checker) checkHasKey(call *Call) *Type {
	c.keyArgs(call)
	return Bool
}

func (c *checker) checkLen(call *Call) *Type {
	if m, ok := call.Args[0].(*MapExpr); !ok || m.Keys != nil {
		return c.stackLen(call)
	}
	if _, info, ok := c.mapArg(call, 0); ok {
		if len(info.Keys) == 0 {
			c.errorf(call.Args[0], "len() counts the entries of a map with keys; %s has none", info.Name)
		} else if !info.Value.IsReadable() {
			c.errorf(call.Args[0], "len() cannot count a %s() map", aggName(info.Value))
		}
	}
	return Int64
}

// literalArg checks an argument that must be a string literal.
func (c *checker) literalArg(call *Call, i int) (string, bool) {
	t := c.expr(call.Args[i])
	k, ok := c.info.Consts[call.Args[i]]
	if t.IsInvalid() {
		return "", false
	}
	if !ok || !k.IsStr {
		c.errorf(call.Args[i], "%s() takes a string literal here", call.Name)
		return "", false
	}
	return k.Str, true
}

func (c *checker) checkTime(call *Call) *Type {
	if len(call.Args) == 1 {
		c.literalArg(call, 0)
	}
	return Void
}

func (c *checker) checkJoin(call *Call) *Type {
	t := c.expr(call.Args[0])
	if !t.IsInvalid() && t.Kind != KindPointer && t.Kind != KindInt {
		c.errorf(call.Args[0], "join() takes a pointer to an array of string pointers, like argv, not %s", t)
	}
	if len(call.Args) == 2 {
		c.literalArg(call, 1)
	}
	return Void
}

func (c *checker) checkKaddr(call *Call) *Type {
	name, ok := c.literalArg(call, 0)
	if !ok || c.env == nil {
		return Uint64
	}
	addr, err := c.env.KernelSymbol(name)
	if err != nil {
		c.errorf(call.Args[0], "kaddr(%q): %v", name, err)
		return Uint64
	}
	c.constant(call, Const{Int: addr})
	return Uint64
}

// inetType is an address family (8 bytes) and room for an IPv6 address.
var inetType = &Type{Kind: KindInet, Size: 24}

func (c *checker) checkNtop(call *Call) *Type {
	addr := call.Args[len(call.Args)-1]
	if len(call.Args) == 2 {
		t := c.expr(call.Args[0])
		if !t.IsInvalid() && !t.IsInteger() {
			c.errorf(call.Args[0], "ntop()'s address family must be an integer, not %s", t)
		}
	}
	t := c.expr(addr)
	switch {
	case t.IsInvalid():
		return Invalid
	case t.Kind == KindInt && (t.Size == 4 || t.Size == 8 || t.Flexible):
	case (t.Kind == KindArray || t.Kind == KindString) && (t.Size == 4 || t.Size == 16):
	default:
		c.errorf(addr, "ntop() takes a 4-byte IPv4 or a 16-byte IPv6 address, not %s", t)
		return Invalid
	}
	return inetType
}

func (c *checker) checkKsym(call *Call) *Type {
	t := c.expr(call.Args[0])
	if !t.IsInvalid() && !t.IsInteger() {
		c.errorf(call.Args[0], "ksym() takes an address, not %s", t)
		return Invalid
	}
	return &Type{Kind: KindKsym, Size: 8}
}

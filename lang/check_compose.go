package lang

import "strings"

// The checks of values composed of others: ?:, casts, tuples, records,
// sizeof, offsetof and block expressions.

func (c *checker) cond(e *CondExpr) *Type {
	c.checkCond(e.Cond)
	then := e.Then
	if then == nil { // x ?: y
		then = e.Cond
	}
	thenDead, elseDead := c.branchesDead(e.Cond)
	tt := c.info.TypeOf(then)
	var et *Type
	c.deadIf(elseDead, func() { et = c.expr(e.Else) })
	if e.Then != nil {
		c.deadIf(thenDead, func() { tt = c.expr(e.Then) })
	}
	if tt.IsInvalid() || et.IsInvalid() {
		return Invalid
	}
	if k, ok := c.info.Consts[e.Cond]; ok {
		// A constant condition picks its branch at compile time.
		chosen := e.Else
		if k.Int != 0 {
			chosen = then
		}
		if v, ok := c.info.Consts[chosen]; ok && v.IsStr == (tt.Kind == KindString) && tt.Kind == et.Kind {
			c.constant(e, v)
		}
	}
	switch {
	case tt.Kind == KindVoid && et.Kind == KindVoid:
		return Void
	case tt.Kind == KindBool && et.Kind == KindBool:
		return Bool
	case tt.IsEnum() && sameEnum(tt.Enum, et.Enum) && tt.Size == et.Size:
		return tt // two values of one enum
	case tt.IsInteger() && et.IsInteger() && tt.Kind != KindPointer && et.Kind != KindPointer:
		return fixed(Promote(tt.ValueType(), et.ValueType()))
	}
	if t, ok := unify(tt, et); ok && tt.Kind != KindVoid {
		if !c.fits(e, t, "the branches of ?: make") {
			return Invalid
		}
		return t
	}
	c.errorSpan(then.Start(), e.Else.End(), "the branches of ?: must have the same type, not %s and %s", tt, et)
	return Invalid
}

// cast checks (T)x: integers to integers (truncating or extending),
// integers and pointers to pointers, integers to and from integer or bool
// arrays of the same size (an integer may widen to an array of up to 8
// bytes), strings to integer arrays of their size.
func (c *checker) cast(e *CastExpr) *Type {
	xt := c.expr(e.X)
	to := c.resolveType(e.Type, c.probeSpace())
	if xt.IsInvalid() || to.IsInvalid() {
		return Invalid
	}
	k, isConst := c.info.Consts[e.X]
	switch {
	case to.IsEnum() && xt.IsInteger():
		t, ok := c.enumCast(e, to)
		if ok && isConst && !k.IsStr {
			c.constant(e, Const{Int: k.Int})
		}
		return t
	case to.Kind == KindInt && (xt.IsInteger()):
		if isConst && !k.IsStr {
			c.constant(e, Const{Int: truncate(k.Int, to)})
		}
		return to
	case to.Kind == KindBool && xt.IsInteger():
		if isConst && !k.IsStr {
			c.constant(e, Const{Int: b2i(k.Int != 0)})
		}
		return Bool
	case to.Kind == KindPointer && (xt.Kind == KindInt || xt.Kind == KindPointer):
		if xt.Kind == KindPointer && e.Type.pointerLast() {
			to = PointerType(to.Elem, xt.Space) // a cast keeps the address space
		}
		return to
	case to.Kind == KindArray && (to.Elem.Kind == KindInt || to.Elem.Kind == KindBool) &&
		(xt.Kind == KindInt || xt.Kind == KindBool || xt.Kind == KindArray || xt.Kind == KindString):
		// An integer, an array or a string's bytes as an array: (int8[8])x,
		// (uint8[])"abc" (its size inferred).
		if to.Len == 0 {
			if xt.Size%to.Elem.Size != 0 {
				c.errorf(e, "cannot cast %s to %s: %d bytes are not a whole number of %s", xt, to, xt.Size, to.Elem)
				return Invalid
			}
			to = ArrayType(to.Elem, xt.Size/to.Elem.Size)
		}
		if xt.Kind == KindInt && to.Size > xt.Size && to.Size <= 8 {
			return to // the integer widened to the array's size
		}
		if to.Size != xt.Size {
			c.errorf(e, "a cast between an integer and an array needs the same size: %s is %d bytes, %s is %d", xt, xt.Size, to, to.Size)
			return Invalid
		}
		return to
	case to.Kind == KindInt && xt.Kind == KindArray && xt.Elem.Kind == KindInt:
		if to.Size != xt.Size {
			c.errorf(e, "a cast between an array and an integer needs the same size: %s is %d bytes, %s is %d", xt, xt.Size, to, to.Size)
			return Invalid
		}
		return to
	case to.Kind == KindString && xt.Kind == KindString:
		return StringType(min(to.Size, xt.Size))
	}
	c.errorf(e, "cannot cast %s to %s", xt, to)
	return Invalid
}

func (c *checker) tuple(e *TupleExpr) *Type {
	elems := c.memberTypes(e.Elems, "a tuple", nil)
	if elems == nil {
		return Invalid
	}
	if t := TupleType(elems); c.fits(e, t, "this is") {
		return t
	}
	return Invalid
}

// memberTypes checks the members of a tuple or record (what, in errors)
// and returns their types, or nil when one is wrong or, while settling,
// not known yet. before, when set, checks member i before its value.
func (c *checker) memberTypes(xs []Expr, what string, before func(i int) bool) []*Type {
	elems := make([]*Type, len(xs))
	unknown := false
	for i, x := range xs {
		if before != nil && !before(i) {
			return nil
		}
		t := c.expr(x)
		switch {
		case unknown:
		case t.IsInvalid() && c.settling():
			unknown = true // the rest may read maps in their own assignment
		case t.IsInvalid():
			return nil
		case !storable(t):
			c.errorf(x, "%s cannot hold %s", what, t)
			return nil
		default:
			elems[i] = fixed(t)
		}
	}
	if unknown {
		return nil
	}
	return elems
}

func (c *checker) recordExpr(e *RecordExpr) *Type {
	seen := map[string]bool{}
	elems := c.memberTypes(e.Elems, "a record", func(i int) bool {
		if seen[e.Names[i]] {
			// The name is written before the value: "name = value".
			x := e.Elems[i]
			start, end := x.Start(), x.End()
			before := c.src.For(e).Snippet(e.Elems[i-1].End().Offset, x.Start().Offset)
			if j := strings.LastIndex(before, e.Names[i]); j >= 0 {
				start = c.src.For(e).Pos(e.Elems[i-1].End().Offset + j)
				end = endOf(start, e.Names[i])
			}
			c.errorSpan(start, end, "the record has two fields named %s", e.Names[i])
			return false
		}
		seen[e.Names[i]] = true
		return true
	})
	if elems == nil {
		return Invalid
	}
	if t := RecordType(e.Names, elems); c.fits(e, t, "this is") {
		return t
	}
	return Invalid
}

// storable reports whether values of t can be stored in variables, maps,
// tuples and records.
func storable(t *Type) bool {
	if t.IsAggregation() {
		return false
	}
	switch t.Kind {
	case KindInvalid, KindVoid, KindCtx:
		return false
	}
	return true
}

// typeOf resolves the operand of sizeof and offsetof: a type, or the type
// of an expression that is not run.
func (c *checker) typeOf(te *TypeExpr, x Expr) *Type {
	if te != nil {
		if te.Suffixes == nil && !builtinTypeNames[te.Name] {
			// sizeof(NAME) of an enumerator is its value's size.
			if _, t, ok := c.enumConstant(te.Name); ok {
				return t
			}
		}
		return c.resolveType(te, c.probeSpace())
	}
	return c.expr(x)
}

func (c *checker) sizeof(e *SizeofExpr) *Type {
	t := c.typeOf(e.Type, e.X)
	if t.IsInvalid() {
		return Invalid
	}
	if t.Kind == KindVoid || t.Size == 0 && t.Kind != KindArray {
		c.errorf(e, "%s has no size", t)
		return Invalid
	}
	size := t.Size
	if t.IsScalar() && t.Kind != KindBool {
		size = max(size, 1)
	}
	c.constant(e, Const{Int: uint64(size)})
	return Uint64
}

func (c *checker) offsetof(e *OffsetofExpr) *Type {
	t := c.typeOf(e.Type, e.X)
	if t.IsInvalid() {
		return Invalid
	}
	off := 0
	// The field path follows the last comma; find each name in it so that
	// errors point at the name.
	text := c.src.For(e).Snippet(e.Start().Offset, e.End().Offset)
	at := e.Start().Offset + strings.LastIndexByte(text, ',') + 1
	for _, name := range e.Path {
		start, end := e.Start(), e.End()
		if i := strings.Index(c.src.For(e).Snippet(at, e.End().Offset), name); i >= 0 {
			at += i
			start = c.src.For(e).Pos(at)
			at += len(name)
			end = endOf(start, name)
		}
		if t.Kind != KindStruct {
			c.errorSpan(start, end, "%s has no field %q: only structs have fields", t, name)
			return Invalid
		}
		rf, ok := c.findField(t, name)
		if !ok {
			d := c.errorSpan(start, end, "%s has no field %q", t, name)
			didYouMean(d, name, c.fieldNames(t))
			return Invalid
		}
		off += rf.Offset
		t = rf.Type
	}
	c.constant(e, Const{Int: uint64(off)})
	return Uint64
}

func (c *checker) blockExpr(e *BlockExpr) *Type {
	c.pushScope()
	defer c.popScope()
	c.checkStmts(e.Stmts)
	if e.Value == nil {
		return Void
	}
	t := c.expr(e.Value)
	if k, ok := c.info.Consts[e.Value]; ok && len(e.Stmts) == 0 {
		c.constant(e, k)
	}
	return t
}

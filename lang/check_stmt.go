package lang

import "strconv"

func (c *checker) checkBlock(b *Block) {
	for _, s := range b.Stmts {
		c.checkStmt(s)
	}
}

func (c *checker) checkStmt(s Stmt) {
	switch s := s.(type) {
	case *IfStmt:
		c.checkCond(s.Cond)
		c.checkBlock(s.Then)
		if s.Else != nil {
			if s.Else.If != nil {
				c.checkStmt(s.Else.If)
			} else {
				c.checkBlock(s.Else.Block)
			}
		}
	case *ExprStmt:
		if s.Op == "" {
			c.checkStmtExpr(s.X)
			return
		}
		c.checkAssign(s)
	}
}

// checkStmtExpr checks an expression whose value is dropped.
func (c *checker) checkStmtExpr(e Expr) {
	if call, ok := e.(*Call); ok {
		if f := lookupFunc(call.Name); f != FuncInvalid && funcs[f].aggregation {
			c.errorf(call, "%s() must be assigned to a map, e.g. @x = %s(...)", call.Name, call.Name)
			return
		}
	}
	c.expr(e)
}

// checkCond checks a predicate or if condition: any integer-like value.
func (c *checker) checkCond(e Expr) {
	t := c.expr(e)
	if !t.IsInvalid() && !t.IsInteger() {
		c.errorf(e, "a condition must be an integer, bool or pointer, not %s", t)
	}
}

func (c *checker) checkAssign(s *ExprStmt) {
	op, _ := AssignOp(s.Op)
	// An aggregation is only ever assigned whole to a map.
	if call, ok := s.Value.(*Call); ok {
		if f := lookupFunc(call.Name); f != FuncInvalid && funcs[f].aggregation {
			m, isMap := s.X.(*MapExpr)
			if !isMap || op != OpInvalid {
				c.errorf(call, "%s() must be assigned to a map with =, e.g. @x = %s(...)", call.Name, call.Name)
				return
			}
			c.assignMap(m, c.record(call, c.checkCall(call, true)), call)
			return
		}
	}
	vt := c.expr(s.Value)
	if op != OpInvalid && !vt.IsInvalid() {
		// x op= v is x = x op v: both sides must be integers. A map starts
		// out as 0.
		var xt *Type
		if m, ok := s.X.(*MapExpr); ok {
			info, good := c.mapInfo(m)
			if !good {
				return
			}
			if xt = info.Value; xt == nil {
				xt = Int64
			}
		} else {
			xt = c.expr(s.X)
		}
		if xt.IsInvalid() {
			return
		}
		if !xt.IsInteger() || !vt.IsInteger() {
			c.errorf(s.Value, "%s needs integers, not %s and %s", s.Op, xt, vt)
			return
		}
		vt = arithType(op, xt.ValueType(), vt.ValueType())
	}
	switch x := s.X.(type) {
	case *MapExpr:
		c.assignMap(x, vt, s.Value)
	case *Var:
		c.assignVar(x, vt, s.Value)
	default:
		c.errorf(s.X, "cannot assign to this expression: only maps (@x) and scratch variables ($x) can be assigned")
	}
}

// storageType is how a value of t is kept in a map or variable: integers
// take 8 bytes.
func storageType(t *Type) *Type {
	if t.Kind == KindInt {
		return IntType(8, t.Signed)
	}
	return t
}

// unify merges a stored type with a newly assigned one: integers widen and
// strings grow. ok is false when the two cannot share storage.
func unify(old, new *Type) (*Type, bool) {
	switch {
	case old == nil || old.IsInvalid():
		return new, true
	case new.IsInvalid():
		return old, true
	case old.Kind != new.Kind:
		return old, false
	}
	switch old.Kind {
	case KindInt:
		return IntType(max(old.Size, new.Size), old.Signed || new.Signed), true
	case KindSum:
		return SumType(old.Signed || new.Signed), true
	case KindString:
		return StringType(max(old.Size, new.Size)), true
	case KindPointer:
		return old, old.Elem.Equal(new.Elem) && old.Space == new.Space
	case KindTuple:
		if len(old.Fields) != len(new.Fields) {
			return old, false
		}
		elems := make([]*Type, len(old.Fields))
		for i := range old.Fields {
			t, ok := unify(old.Fields[i].Type, new.Fields[i].Type)
			if !ok {
				return old, false
			}
			elems[i] = t
		}
		return TupleType(elems), true
	}
	return old, true
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
		case t.Kind == KindInt || t.Kind == KindString || t.Kind == KindBool || t.Kind == KindPointer:
			keyTypes[i] = storageType(t)
		default:
			c.errorf(k, "a map key cannot be %s", t)
			ok = false
		}
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
	if info.First == nil {
		info.First = m
	}
	if len(info.Keys) != len(m.Keys) && ok && (info.Keys != nil || len(m.Keys) == 0) {
		c.errorf(m, "%s is used with %s here but with %s elsewhere", m.Name, plural(len(m.Keys), "key"), plural(len(info.Keys), "key"))
		return info, false
	}
	if !ok {
		return info, false
	}
	if info.Keys == nil {
		info.Keys = keyTypes
		return info, true
	}
	for i, kt := range keyTypes {
		t, good := unify(info.Keys[i], kt)
		if !good {
			c.errorf(m.Keys[i], "%s's key is %s elsewhere, not %s", m.Name, info.Keys[i], kt)
			return info, false
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

func (c *checker) assignMap(m *MapExpr, vt *Type, value Expr) {
	info, ok := c.mapInfo(m)
	c.record(m, Void)
	if !ok || vt.IsInvalid() {
		return
	}
	switch {
	case vt.Kind == KindVoid:
		c.errorf(value, "this expression has no value to store")
		return
	case vt.Kind == KindCtx:
		c.errorf(value, "args cannot be stored; store one of its fields, e.g. args.NAME")
		return
	}
	st := storageType(vt)
	t, good := unify(info.Value, st)
	if !good {
		c.errorf(value, "%s holds %s, so it cannot store %s", m.Name, info.Value, st)
		return
	}
	info.Value = t
}

func (c *checker) assignVar(v *Var, vt *Type, value Expr) {
	if vt.IsInvalid() {
		c.declareVar(v, Invalid, value)
		return
	}
	switch vt.Kind {
	case KindVoid:
		c.errorf(value, "this expression has no value to store")
		return
	case KindCtx:
		c.errorf(value, "args cannot be stored; store one of its fields, e.g. args.NAME")
		return
	}
	c.declareVar(v, storageType(vt), value)
}

// declareVar records an assignment of a value of type t to v; errors point
// at the value.
func (c *checker) declareVar(v *Var, t *Type, value Expr) {
	settled := c.varTypes[c.probe]
	info := c.vars[v.Name]
	if info == nil {
		info = settled[v.Name]
		if info == nil {
			info = &VarInfo{Name: v.Name, Type: t}
			settled[v.Name] = info
		}
		c.vars[v.Name] = info
	}
	merged, ok := unify(info.Type, t)
	if !ok {
		c.errorf(value, "%s holds %s, so it cannot store %s", v.Name, info.Type, t)
	} else {
		info.Type = merged
	}
	c.info.Vars[v] = info
	c.record(v, Void)
}

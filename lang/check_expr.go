package lang

// expr checks e and returns its type; Invalid after an error, so that one
// mistake gives one message.
func (c *checker) expr(e Expr) *Type {
	switch e := e.(type) {
	case *IntLit:
		c.constant(e, Const{Int: e.Value})
		return c.record(e, literalType(e.Value))
	case *StrLit:
		c.constant(e, Const{Str: e.Value, IsStr: true})
		return c.record(e, StringType(len(e.Value)+1))
	case *Param:
		return c.record(e, c.param(e))
	case *Ident:
		t := c.ident(e)
		if t.Kind == KindCtx {
			c.errorf(e, "args is a record of the tracepoint's fields: use one of them, e.g. args.NAME")
			t = Invalid
		}
		return c.record(e, t)
	case *Var:
		info := c.vars[e.Name]
		if info == nil {
			c.errorf(e, "variable %s is used before it is assigned", e.Name)
			return c.record(e, Invalid)
		}
		c.info.Vars[e] = info
		return c.record(e, info.Type)
	case *MapExpr:
		return c.record(e, c.mapRead(e))
	case *Call:
		return c.record(e, c.checkCall(e, false))
	case *FieldExpr:
		return c.record(e, c.field(e))
	case *UnaryExpr:
		return c.record(e, c.unary(e))
	case *BinaryExpr:
		return c.record(e, c.binary(e))
	case *CondExpr:
		return c.record(e, c.cond(e))
	}
	c.errorf(e, "unsupported expression")
	return Invalid
}

// literalType is int64, or uint64 for literals past int64's range.
func literalType(v uint64) *Type {
	if v > 1<<63-1 {
		return Uint64
	}
	return Int64
}

// param resolves $N to the command-line argument: an integer when it reads
// as one, else a string; a missing parameter is 0 (and "" in str()).
func (c *checker) param(p *Param) *Type {
	if p.N == 0 {
		c.constant(p, Const{Int: uint64(len(c.cfg.Params))})
		return Int64
	}
	if p.N > len(c.cfg.Params) {
		c.constant(p, Const{})
		return Int64
	}
	arg := c.cfg.Params[p.N-1]
	if v, err := parseInt(arg); err == nil {
		c.constant(p, Const{Int: v})
		return literalType(v)
	}
	if len(arg) > 0 && arg[0] == '-' {
		if v, err := parseInt(arg[1:]); err == nil {
			c.constant(p, Const{Int: -v})
			return Int64
		}
	}
	c.constant(p, Const{Str: arg, IsStr: true})
	return StringType(len(arg) + 1)
}

func (c *checker) ident(id *Ident) *Type {
	b := lookupBuiltin(id.Name)
	if b == BuiltinInvalid {
		d := c.errorf(id, "unknown identifier %q", id.Name)
		if lookupFunc(id.Name) != FuncInvalid {
			d.Hint = "call it: " + id.Name + "()"
		} else {
			didYouMean(d, id.Name, builtinNames())
		}
		return Invalid
	}
	c.info.Builtins[id] = b
	info := &builtins[b]
	if info.kinds != nil && !c.probeKindsIn(info.kinds) {
		c.errorf(id, "%s is not available in %s probes", id.Name, c.probeKindNames(info.kinds))
		return Invalid
	}
	return info.typ
}

// probeKindNames names the kinds of the current probe that lack a builtin.
func (c *checker) probeKindNames(have []ProbeKind) string {
	for _, ap := range c.probe.Points {
		found := false
		for _, k := range have {
			found = found || ap.Kind == k
		}
		if !found {
			return ap.Kind.String()
		}
	}
	return "these"
}

func (c *checker) mapRead(m *MapExpr) *Type {
	info, ok := c.mapInfo(m)
	if !ok {
		return Invalid
	}
	switch {
	case info.Value == nil:
		// Never assigned: reads see zero, as bpftrace's maps do.
		if c.prev != nil {
			c.errorf(m, "%s is read but never assigned", m.Name)
			return Invalid
		}
		return Invalid
	case info.Value.IsAggregation():
		c.errorf(m, "reading %s() maps inside probes is not supported yet; they print at exit", aggName(info.Value))
		return Invalid
	}
	return info.Value
}

func aggName(t *Type) string {
	if t.Kind == KindCount {
		return "count"
	}
	return "sum"
}

func (c *checker) field(f *FieldExpr) *Type {
	id, ok := f.X.(*Ident)
	if !ok || id.Name != "args" {
		t := c.expr(f.X)
		if !t.IsInvalid() {
			c.errorf(f, "%s has no fields", t)
		}
		return Invalid
	}
	if t := c.record(id, c.ident(id)); t.IsInvalid() {
		return Invalid
	}
	// Every tracepoint of the probe must have the field, with one type.
	var typ *Type
	for _, ap := range c.probe.Points {
		tf := c.info.Tracepoints[ap]
		if tf == nil {
			return Invalid
		}
		fld := tf.Field(f.Field)
		if fld == nil {
			d := c.diags.AddSpan(c.src, f.FieldPos.Offset, f.End().Offset, "tracepoint %s:%s has no field %q", tf.Category, tf.Name, f.Field)
			var names []string
			for _, x := range tf.Fields {
				names = append(names, x.Name)
			}
			didYouMean(d, f.Field, names)
			return Invalid
		}
		if fld.Type == nil {
			c.diags.AddSpan(c.src, f.FieldPos.Offset, f.End().Offset, "field %s of type %s %s is not supported yet", f.Field, fld.CType, fld.Name)
			return Invalid
		}
		if typ != nil && !typ.Equal(fld.Type) {
			c.errorf(f, "field %s is %s in one tracepoint of this probe and %s in another", f.Field, typ, fld.Type)
			return Invalid
		}
		typ = fld.Type
	}
	return typ
}

func (c *checker) unary(u *UnaryExpr) *Type {
	if u.Op.IsIncDec() {
		return c.incDec(u)
	}
	t := c.expr(u.X)
	if t.IsInvalid() {
		return Invalid
	}
	if !t.IsInteger() {
		c.errorf(u, "operator %s cannot be applied to %s", u.Op, t)
		return Invalid
	}
	vt := intView(t.ValueType())
	k, isConst := c.info.Consts[u.X]
	switch u.Op {
	case OpNot:
		if isConst {
			c.constant(u, Const{Int: b2i(truncate(k.Int, vt) == 0)})
		}
		return Bool
	case OpNeg:
		r := IntType(vt.Size, true)
		if isConst {
			c.constant(u, Const{Int: -k.Int})
			return Int64
		}
		return r
	case OpCompl:
		if isConst {
			c.constant(u, Const{Int: truncate(^k.Int, vt)})
		}
		return vt
	}
	return Invalid
}

// incDec checks ++ and --: on a map (which starts at 0) or an assigned
// scratch variable holding an integer.
func (c *checker) incDec(u *UnaryExpr) *Type {
	switch x := u.X.(type) {
	case *MapExpr:
		info, ok := c.mapInfo(x)
		c.record(x, Void)
		if !ok {
			return Invalid
		}
		t, good := unify(info.Value, Int64)
		if !good {
			c.errorf(u, "%s holds %s; %s needs an integer", x.Name, info.Value, u.Op)
			return Invalid
		}
		info.Value = t
		return t
	case *Var:
		t := c.expr(x)
		if t.IsInvalid() {
			return Invalid
		}
		if t.Kind != KindInt {
			c.errorf(u, "%s holds %s; %s needs an integer", x.Name, t, u.Op)
			return Invalid
		}
		return t
	}
	c.errorf(u, "%s applies only to maps and scratch variables", u.Op)
	return Invalid
}

func b2i(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// truncate keeps the bits of v that a value of t holds, extended back to 64.
func truncate(v uint64, t *Type) uint64 {
	if t.Size >= 8 {
		return v
	}
	shift := 64 - 8*t.Size
	if t.Signed {
		return uint64(int64(v<<shift) >> shift)
	}
	return v << shift >> shift
}

// arithType is the type of x op y on integers: see Promote; subtraction is
// always signed, shifts keep the left operand's type.
func arithType(op Op, x, y *Type) *Type {
	switch op {
	case OpShl, OpShr:
		return intView(x)
	case OpSub:
		t := Promote(x, y)
		return IntType(t.Size, true)
	}
	return Promote(x, y)
}

func (c *checker) binary(b *BinaryExpr) *Type {
	xt, yt := c.expr(b.X), c.expr(b.Y)
	if xt.IsInvalid() || yt.IsInvalid() {
		return Invalid
	}
	if xt.Kind == KindString || yt.Kind == KindString {
		if xt.Kind != yt.Kind || b.Op != OpEq && b.Op != OpNe {
			c.diags.AddSpan(c.src, b.OpPos.Offset, b.OpPos.Offset+len(b.Op.String()),
				"operator %s cannot be applied to %s and %s", b.Op, xt, yt).Hint = stringOpHint(b.Op, xt, yt)
			return Invalid
		}
		kx, okx := c.info.Consts[b.X]
		ky, oky := c.info.Consts[b.Y]
		if okx && oky {
			c.constant(b, Const{Int: b2i((kx.Str == ky.Str) == (b.Op == OpEq))})
		}
		return Bool
	}
	if !xt.IsInteger() || !yt.IsInteger() {
		c.diags.AddSpan(c.src, b.OpPos.Offset, b.OpPos.Offset+len(b.Op.String()),
			"operator %s cannot be applied to %s and %s", b.Op, xt, yt)
		return Invalid
	}
	x, y := xt.ValueType(), yt.ValueType()
	var t *Type
	switch {
	case b.Op.IsLogical() || b.Op.IsComparison():
		t = Bool
	default:
		t = arithType(b.Op, x, y)
	}
	c.fold(b, x, y, t)
	return t
}

func stringOpHint(op Op, x, y *Type) string {
	if x.Kind == KindString && y.Kind == KindString {
		return "strings compare with == and != only"
	}
	return ""
}

// fold computes b when both operands are constants.
func (c *checker) fold(b *BinaryExpr, xt, yt, t *Type) {
	kx, okx := c.info.Consts[b.X]
	ky, oky := c.info.Consts[b.Y]
	if !okx || !oky {
		return
	}
	signed := Promote(xt, yt).Signed
	x, y := truncate(kx.Int, intView(xt)), truncate(ky.Int, intView(yt))
	var r uint64
	switch b.Op {
	case OpOr:
		r = b2i(x != 0 || y != 0)
	case OpAnd:
		r = b2i(x != 0 && y != 0)
	case OpBitOr:
		r = x | y
	case OpBitXor:
		r = x ^ y
	case OpBitAnd:
		r = x & y
	case OpEq:
		r = b2i(x == y)
	case OpNe:
		r = b2i(x != y)
	case OpLt, OpLe, OpGt, OpGe:
		r = b2i(compare(b.Op, x, y, signed))
	case OpShl:
		r = x << (y & 63)
	case OpShr:
		if intView(xt).Signed {
			r = uint64(int64(x) >> (y & 63))
		} else {
			r = x >> (y & 63)
		}
	case OpAdd:
		r = x + y
	case OpSub:
		r = x - y
	case OpMul:
		r = x * y
	case OpDiv, OpMod:
		if y == 0 {
			c.errorf(b.Y, "division by zero")
			return
		}
		r = divide(b.Op, x, y, signed)
	}
	c.constant(b, Const{Int: truncate(r, intView(t))})
}

func compare(op Op, x, y uint64, signed bool) bool {
	var less, equal bool
	if signed {
		less = int64(x) < int64(y)
	} else {
		less = x < y
	}
	equal = x == y
	switch op {
	case OpLt:
		return less
	case OpLe:
		return less || equal
	case OpGt:
		return !less && !equal
	}
	return !less
}

func divide(op Op, x, y uint64, signed bool) uint64 {
	if signed {
		if op == OpDiv {
			return uint64(int64(x) / int64(y))
		}
		return uint64(int64(x) % int64(y))
	}
	if op == OpDiv {
		return x / y
	}
	return x % y
}

func (c *checker) cond(e *CondExpr) *Type {
	c.checkCond(e.Cond)
	tt, et := c.expr(e.Then), c.expr(e.Else)
	if tt.IsInvalid() || et.IsInvalid() {
		return Invalid
	}
	if k, ok := c.info.Consts[e.Cond]; ok {
		// A constant condition picks its branch at compile time.
		chosen := e.Else
		if k.Int != 0 {
			chosen = e.Then
		}
		if v, ok := c.info.Consts[chosen]; ok && v.IsStr == (tt.Kind == KindString) && tt.Kind == et.Kind {
			c.constant(e, v)
		}
	}
	switch {
	case tt.IsInteger() && et.IsInteger():
		if tt.Kind == KindBool && et.Kind == KindBool {
			return Bool
		}
		return Promote(tt.ValueType(), et.ValueType())
	case tt.Kind == KindString && et.Kind == KindString:
		return StringType(max(tt.Size, et.Size))
	}
	c.errorf(e, "the branches of ?: must have the same type, not %s and %s", tt, et)
	return Invalid
}

package lang

// The checks of binary operators, and the folding of constant operands.

func b2i(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// truncate keeps the bits of v that a value of t holds, extended back to 64.
func truncate(v uint64, t *Type) uint64 {
	if t.Size >= 8 || t.Kind != KindInt && t.Kind != KindBool {
		return v
	}
	shift := 64 - 8*t.Size
	if t.Signed {
		return uint64(int64(v<<shift) >> shift)
	}
	return v << shift >> shift
}

func (c *checker) binary(b *BinaryExpr) *Type {
	xt := c.expr(b.X)
	return c.binaryOf(b, xt, c.expr(b.Y))
}

// binaryOf checks b, whose operands have been checked: they are of types
// xt and yt.
func (c *checker) binaryOf(b *BinaryExpr, xt, yt *Type) *Type {
	if xt.IsInvalid() || yt.IsInvalid() {
		return Invalid
	}
	opErr := func() *Type {
		c.errorSpan(b.OpPos, endOf(b.OpPos, b.Op.String()), "operator %s cannot be applied to %s and %s", b.Op, xt, yt).Hint = operandHint(b.Op, xt, yt)
		return Invalid
	}
	switch {
	case xt.Kind == KindString || yt.Kind == KindString:
		if xt.Kind != yt.Kind || b.Op != OpEq && b.Op != OpNe {
			return opErr()
		}
		kx, okx := c.info.Consts[b.X]
		ky, oky := c.info.Consts[b.Y]
		if okx && oky {
			c.constant(b, Const{Int: b2i((kx.Str == ky.Str) == (b.Op == OpEq))})
		}
		return Bool
	case xt.Kind == KindBuffer && yt.Kind == KindBuffer:
		// Buffers are equal when their lengths and bytes are, whatever
		// their sizes.
		if b.Op != OpEq && b.Op != OpNe {
			return opErr()
		}
		return Bool
	case compoundKind(xt) || compoundKind(yt):
		if !xt.Equal(yt) || b.Op != OpEq && b.Op != OpNe {
			return opErr()
		}
		return Bool
	case !xt.IsInteger() || !yt.IsInteger():
		return opErr()
	case xt.Kind == KindPointer || yt.Kind == KindPointer:
		return c.pointerArith(b, xt, yt, opErr)
	case b.Op.IsLogical() || b.Op.IsComparison():
		c.fold(b, xt.ValueType(), yt.ValueType(), Bool)
		return Bool
	case xt.Kind == KindBool && yt.Kind == KindBool:
		c.fold(b, xt, yt, Bool)
		return Bool
	}
	if c.dividesByZero(b.Op, b.Y, yt) {
		return Invalid
	}
	t := arithType(b.Op, xt.ValueType(), yt.ValueType())
	c.fold(b, xt.ValueType(), yt.ValueType(), t)
	return t
}

// dividesByZero reports a division or remainder whose divisor is the
// constant 0.
func (c *checker) dividesByZero(op Op, y Expr, yt *Type) bool {
	if op != OpDiv && op != OpMod {
		return false
	}
	if k, ok := c.info.Consts[y]; !ok || k.IsStr || truncate(k.Int, intView(yt.ValueType())) != 0 {
		return false
	}
	c.errorf(y, "division by zero")
	return true
}

// compoundKind reports whether values of t live in memory and compare
// byte for byte: tuples, records, arrays.
func compoundKind(t *Type) bool {
	return t.Kind == KindTuple || t.Kind == KindRecord || t.Kind == KindArray
}

// pointerArith checks pointer ± integer (scaled by the pointee's size, as
// in C) and comparisons of pointers.
func (c *checker) pointerArith(b *BinaryExpr, xt, yt *Type, opErr func() *Type) *Type {
	switch {
	case b.Op.IsComparison() || b.Op.IsLogical():
		return Bool
	case xt.Kind == KindPointer && yt.Kind == KindPointer:
		return opErr()
	case b.Op == OpAdd:
		if xt.Kind == KindPointer {
			return xt
		}
		return yt
	case b.Op == OpSub && xt.Kind == KindPointer:
		return xt
	}
	return opErr()
}

func operandHint(op Op, x, y *Type) string {
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
	xa, ya := adaptSign(intView(xt), intView(yt))
	signed := xa.Signed || ya.Signed
	x, y := truncate(kx.Int, xa), truncate(ky.Int, ya)
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
		r = shift(x, y, true)
	case OpShr:
		r = shift(x, y, false)
	case OpAdd:
		r = x + y
	case OpSub:
		r = x - y
	case OpMul:
		r = x * y
	case OpDiv, OpMod:
		if y == 0 {
			return // reported by dividesByZero
		}
		r = divide(b.Op, x, y, signed)
	}
	c.constant(b, Const{Int: truncate(r, intView(t))})
}

// shift shifts x by y bits. A right shift is logical, whatever x's type,
// as bpftrace computes it; by 64 bits or more the result is 0.
func shift(x, y uint64, left bool) uint64 {
	switch {
	case y >= 64:
		return 0
	case left:
		return x << y
	}
	return x >> y
}

func compare(op Op, x, y uint64, signed bool) bool {
	var less bool
	if signed {
		less = int64(x) < int64(y)
	} else {
		less = x < y
	}
	equal := x == y
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

// divide divides as BPF does: signed division truncates toward zero; the
// most negative number divided by -1 is itself.
func divide(op Op, x, y uint64, signed bool) uint64 {
	if signed {
		if int64(y) == -1 {
			if op == OpDiv {
				return -x
			}
			return 0
		}
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

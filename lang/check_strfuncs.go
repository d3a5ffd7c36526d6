package lang

// The string helpers of bpftrace's standard library that hawk builds in:
// default_str_length, strcap, memcmp and str_concat.

// checkDefaultStrLength checks default_str_length(): the size of a string
// str() reads when not told, max_strlen, a constant.
func (c *checker) checkDefaultStrLength(call *Call) *Type {
	c.constant(call, Const{Int: uint64(c.settings.MaxStrlen)})
	return Uint64
}

// checkStrcap checks strcap(s): the capacity of a string-like value, a
// constant for a string (its size) or a char array (its length), and
// for a pointer to chars the length of the string there, read as str()
// reads it (it is rewritten to strlen(str(p))).
func (c *checker) checkStrcap(call *Call) *Type {
	arg := call.Args[0]
	t := c.expr(arg)
	if t.IsInvalid() {
		return Invalid
	}
	switch {
	case t.Kind == KindString:
		c.constant(call, Const{Int: uint64(t.Size)})
		return Int64
	case t.Kind == KindArray && isChar(t.Elem):
		c.constant(call, Const{Int: uint64(t.Len)})
		return Int64
	case t.Kind == KindPointer && isChar(t.Elem):
		at := Span{call.Pos, call.EndPos}
		x := &CastExpr{Span: at, Type: &TypeExpr{Span: at, Name: "int64"},
			X: &Call{Span: at, Name: "strlen", NameEnd: call.NameEnd, Args: []Expr{&Call{Span: at, Name: "str", NameEnd: call.NameEnd, Args: []Expr{arg}}}}}
		if c.expr(x).IsInvalid() {
			return Invalid
		}
		c.info.Rewrites[call] = x
		return Int64
	}
	c.errorf(arg, "strcap() takes a string, a char array or a char pointer, not %s", t)
	return Invalid
}

// checkMemcmp checks memcmp(left, right, n): the first n bytes of two
// values compared as signed chars, 0 when they match, else the difference
// of the first bytes that differ. n is at most the smaller value's size.
func (c *checker) checkMemcmp(call *Call) *Type {
	ok := true
	for _, a := range call.Args[:2] {
		t := c.expr(a)
		switch {
		case t.IsInvalid():
			ok = false
		case t.IsScalar() || t.Kind == KindString || t.Kind == KindArray || t.Kind == KindStruct ||
			t.Kind == KindTuple || t.Kind == KindRecord || t.Kind == KindBuffer:
		default:
			c.errorf(a, "memcmp() compares values held in memory, not %s", t)
			ok = false
		}
	}
	n := call.Args[2]
	nt := c.expr(n)
	if !nt.IsInvalid() && !nt.IsInteger() {
		c.errorf(n, "memcmp()'s count must be an integer, not %s", nt)
		ok = false
	}
	if !ok {
		return Invalid
	}
	if k, isConst := c.info.Consts[n]; isConst {
		lt, rt := c.info.TypeOf(call.Args[0]), c.info.TypeOf(call.Args[1])
		if size := min(storedSizeOf(lt), storedSizeOf(rt)); int64(k.Int) < 0 || k.Int > uint64(size) {
			c.errorf(n, "memcmp() compares at most %d bytes here, the smaller value's size, not %d", size, int64(k.Int))
			return Invalid
		}
	}
	return Int64
}

// storedSizeOf is how many bytes of t memcmp compares: a scalar's 8, as
// a variable holds it, else its size.
func storedSizeOf(t *Type) int {
	if t.IsScalar() {
		return 8
	}
	return t.Size
}

// checkStrConcat checks str_concat(a, b): a string of a's characters then
// b's, as large as both can fill.
func (c *checker) checkStrConcat(call *Call) *Type {
	a, ok1 := c.stringArg(call, 0)
	b, ok2 := c.stringArg(call, 1)
	if !ok1 || !ok2 {
		return Invalid
	}
	return StringType(a.Size + b.Size - 1)
}

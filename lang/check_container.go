package lang

// checkContainerOf checks container_of(ptr, typeof(T), member): the
// address of the T whose member (a field, or a path a.b) ptr points to.
// It is rewritten, as bpftrace's macro is, to
// (typeof(T) *)((uint64)ptr - offsetof(typeof(T), member)).
func (c *checker) checkContainerOf(call *Call) *Type {
	ptr, ty, member := call.Args[0], call.Args[1], call.Args[2]
	pt := c.expr(ptr)
	if pt.IsInvalid() {
		return Invalid
	}
	if pt.Kind != KindPointer && pt.Kind != KindInt {
		c.errorf(ptr, "container_of() takes a pointer to the member, not %s", pt)
		return Invalid
	}
	tof, ok := ty.(*TypeofExpr)
	if !ok {
		c.errorf(ty, "container_of() takes the container's type as typeof(T): container_of(p, typeof(struct S), member)")
		return Invalid
	}
	path, ok := memberPath(member)
	if !ok {
		c.errorf(member, "container_of() takes the member's name (a field, or a path a.b), not an expression")
		return Invalid
	}
	at := Span{call.Pos, call.EndPos}
	elem := *tof.Type
	elem.Suffixes = append(append([]string(nil), tof.Type.Suffixes...), "*")
	off := &OffsetofExpr{Span: at, Type: tof.Type, Path: path}
	addr := &CastExpr{Span: at, Type: &TypeExpr{Span: at, Name: "uint64"}, X: ptr}
	x := &CastExpr{Span: at, Type: &elem, X: &BinaryExpr{Span: at, Op: OpSub, OpPos: at.Pos, X: addr, Y: off}}
	t := c.expr(x)
	if t.IsInvalid() {
		return Invalid
	}
	c.info.Rewrites[call] = x
	return t
}

// memberPath reads a member's name, a or a.b.c, written as an expression.
func memberPath(e Expr) ([]string, bool) {
	switch e := e.(type) {
	case *Ident:
		return []string{e.Name}, true
	case *FieldExpr:
		if e.Arrow {
			return nil, false
		}
		p, ok := memberPath(e.X)
		return append(p, e.Field), ok
	}
	return nil, false
}

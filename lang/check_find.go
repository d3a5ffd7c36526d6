package lang

// checkFind checks find(@m, key, $v): whether the map has the key, and
// when it has, $v is set to its value. It is rewritten to
// has_key(@m, key) ? { $v = @m[key]; true } : false, so $v takes the
// map's value type as an assignment gives it.
func (c *checker) checkFind(call *Call) *Type {
	m, ok := call.Args[0].(*MapExpr)
	if !ok || m.Keys != nil {
		if t := c.expr(call.Args[0]); !t.IsInvalid() {
			c.errorf(call.Args[0], "find() takes a map, e.g. find(@name, key, $value)")
		}
		return Invalid
	}
	v, ok := call.Args[2].(*Var)
	if !ok {
		c.errorf(call.Args[2], "find() sets a scratch variable, e.g. find(@name, key, $value)")
		return Invalid
	}
	if info := c.info.Maps[m.Name]; info != nil && info.Value != nil && len(info.Keys) == 0 {
		c.errorf(m, "find() looks a key up in a map with keys; %s has none", m.Name)
		return Invalid
	}
	at := Span{call.Pos, call.EndPos}
	key := call.Args[1]
	read := &MapExpr{Span: m.Span, Name: m.Name, Keys: []Expr{key}}
	if tup, ok := key.(*TupleExpr); ok {
		read.Keys = tup.Elems // @m[a, b] is the map of (a, b) keys
	}
	x := &CondExpr{Span: at,
		Cond: &Call{Span: at, Name: "has_key", NameEnd: call.NameEnd, Args: []Expr{m, key}},
		Then: &BlockExpr{Span: at,
			Stmts: []Stmt{&ExprStmt{Span: at, X: v, Op: "=", Value: read, Semi: true}},
			Value: &Ident{Span: at, Name: "true"}},
		Else: &Ident{Span: at, Name: "false"},
	}
	t := c.expr(x)
	if t.IsInvalid() {
		return Invalid
	}
	c.info.Rewrites[call] = x
	return Bool
}

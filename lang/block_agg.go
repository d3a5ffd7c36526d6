package lang

// BlockAggregation splits `@m = { stmts; agg(...) }`, a block expression
// whose value is an aggregation, assigned to a map (as bpftrace allows),
// into the block, whose statements run first, and the assignment of the
// aggregation: `@m = agg(...)`. Nested blocks are followed inward, one
// at a time. ok is false for any other statement.
func BlockAggregation(s *ExprStmt) (block *BlockExpr, inner *ExprStmt, ok bool) {
	be, isBlock := s.Value.(*BlockExpr)
	if !isBlock || s.Op != "=" || !endsInAggregation(be) {
		return nil, nil, false
	}
	return be, &ExprStmt{Span: s.Span, X: s.X, Op: s.Op, Value: be.Value, Semi: s.Semi}, true
}

// endsInAggregation reports whether the value of a block, through nested
// blocks, is a call of an aggregation function.
func endsInAggregation(be *BlockExpr) bool {
	switch v := be.Value.(type) {
	case *BlockExpr:
		return endsInAggregation(v)
	case *Call:
		f := lookupFunc(v.Name)
		return f != FuncInvalid && funcs[f].aggregation
	}
	return false
}

// checkBlockAggregation checks `@m = { stmts; agg(...) }`: the statements
// in the block's scope, then the assignment of the aggregation.
func (c *checker) checkBlockAggregation(be *BlockExpr, inner *ExprStmt) {
	c.pushScope()
	defer c.popScope()
	for _, st := range be.Stmts {
		c.checkStmt(st)
	}
	c.checkAssign(inner)
	c.record(be, c.info.TypeOf(be.Value))
}

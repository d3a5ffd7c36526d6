package lang

// Inspect calls f for n and, while f returns true, for every node below it
// in source order, as go/ast.Inspect does.
func Inspect(n Node, f func(Node) bool) {
	if n == nil || !f(n) {
		return
	}
	each := func(nodes ...Node) {
		for _, c := range nodes {
			if c != nil && !isNilNode(c) {
				Inspect(c, f)
			}
		}
	}
	exprs := func(es []Expr) {
		for _, e := range es {
			Inspect(e, f)
		}
	}
	switch n := n.(type) {
	case *Program:
		for _, it := range n.Items {
			Inspect(it, f)
		}
	case *Macro:
		each(n.Body)
	case *Probe:
		if n.Pred != nil {
			each(n.Pred.Cond)
		}
		each(n.Body)
	case *Block:
		for _, s := range n.Stmts {
			Inspect(s, f)
		}
	case *IfStmt:
		each(n.Cond, n.Then)
		if n.Else != nil {
			if n.Else.If != nil {
				each(n.Else.If)
			} else {
				each(n.Else.Block)
			}
		}
	case *LetStmt:
		inspectType(n.Type, f)
		each(n.Value)
	case *WhileStmt:
		each(n.Cond, n.Body)
	case *UnrollStmt:
		each(n.Count, n.Body)
	case *ForStmt:
		each(n.From, n.To, n.Body)
	case *BlockStmt:
		each(n.Block)
	case *JumpStmt:
		each(n.Value)
	case *ExprStmt:
		each(n.X, n.Value)
	case *MapExpr:
		exprs(n.Keys)
	case *Call:
		exprs(n.Args)
	case *FieldExpr:
		each(n.X)
	case *UnaryExpr:
		each(n.X)
	case *BinaryExpr:
		each(n.X, n.Y)
	case *CondExpr:
		each(n.Cond, n.Then, n.Else)
	case *IndexExpr:
		each(n.X, n.Index)
	case *CastExpr:
		inspectType(n.Type, f)
		each(n.X)
	case *TupleExpr:
		exprs(n.Elems)
	case *RecordExpr:
		exprs(n.Elems)
	case *SizeofExpr:
		inspectType(n.Type, f)
		each(n.X)
	case *OffsetofExpr:
		inspectType(n.Type, f)
		each(n.X)
	case *TypeofExpr:
		inspectType(n.Type, f)
	case *BlockExpr:
		for _, s := range n.Stmts {
			Inspect(s, f)
		}
		each(n.Value)
	}
}

// inspectType inspects the expressions of the typeofs in a written type.
func inspectType(te *TypeExpr, f func(Node) bool) {
	for ; te != nil; te = te.Of {
		if te.OfX != nil {
			Inspect(te.OfX, f)
		}
	}
}

// isNilNode reports whether n is an interface holding a nil pointer.
func isNilNode(n Node) bool {
	switch n := n.(type) {
	case Expr:
		return n == nil || isNilExpr(n)
	case *Block:
		return n == nil
	case *IfStmt:
		return n == nil
	}
	return false
}

func isNilExpr(e Expr) bool {
	switch e := e.(type) {
	case *IntLit:
		return e == nil
	case *StrLit:
		return e == nil
	case *BlockExpr:
		return e == nil
	}
	return false
}

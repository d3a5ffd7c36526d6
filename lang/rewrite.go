package lang

// rewriteExprs replaces, bottom-up, every expression in the tree under n
// with f's result. It changes n in place.
func rewriteExprs(n Node, f func(Expr) Expr) { rewriteTree(n, f, nil) }

// rewriteTree is rewriteExprs that also replaces every written type with
// ft's result (when ft is not nil), after the expressions in the type.
func rewriteTree(n Node, f func(Expr) Expr, ft func(*TypeExpr) *TypeExpr) {
	re := func(e Expr) Expr {
		if e == nil {
			return nil
		}
		rewriteTree(e, f, ft)
		return f(e)
	}
	var reType func(te *TypeExpr) *TypeExpr
	reType = func(te *TypeExpr) *TypeExpr {
		if te == nil {
			return nil
		}
		te.Of, te.OfX = reType(te.Of), re(te.OfX)
		if ft != nil {
			return ft(te)
		}
		return te
	}
	reAll := func(es []Expr) {
		for i := range es {
			es[i] = re(es[i])
		}
	}
	switch n := n.(type) {
	case *Probe:
		if n.Pred != nil {
			n.Pred.Cond = re(n.Pred.Cond)
		}
		rewriteTree(n.Body, f, ft)
	case *Block:
		for _, s := range n.Stmts {
			rewriteTree(s, f, ft)
		}
	case *IfStmt:
		n.Cond = re(n.Cond)
		rewriteTree(n.Then, f, ft)
		if n.Else != nil {
			if n.Else.If != nil {
				rewriteTree(n.Else.If, f, ft)
			} else {
				rewriteTree(n.Else.Block, f, ft)
			}
		}
	case *LetStmt:
		n.Type = reType(n.Type)
		n.Value = re(n.Value)
	case *WhileStmt:
		n.Cond = re(n.Cond)
		rewriteTree(n.Body, f, ft)
	case *UnrollStmt:
		n.Count = re(n.Count)
		rewriteTree(n.Body, f, ft)
	case *ForStmt:
		n.From, n.To = re(n.From), re(n.To)
		rewriteTree(n.Body, f, ft)
	case *BlockStmt:
		rewriteTree(n.Block, f, ft)
	case *JumpStmt:
		n.Value = re(n.Value)
	case *ExprStmt:
		n.X, n.Value = re(n.X), re(n.Value)
	case *MapExpr:
		reAll(n.Keys)
	case *Call:
		reAll(n.Args)
	case *FieldExpr:
		n.X = re(n.X)
	case *IndexExpr:
		n.X, n.Index = re(n.X), re(n.Index)
	case *UnaryExpr:
		n.X = re(n.X)
	case *BinaryExpr:
		n.X, n.Y = re(n.X), re(n.Y)
	case *CondExpr:
		n.Cond, n.Then, n.Else = re(n.Cond), re(n.Then), re(n.Else)
	case *CastExpr:
		n.Type = reType(n.Type)
		n.X = re(n.X)
	case *TupleExpr:
		reAll(n.Elems)
	case *RecordExpr:
		reAll(n.Elems)
	case *SizeofExpr:
		n.Type = reType(n.Type)
		n.X = re(n.X)
	case *OffsetofExpr:
		n.Type = reType(n.Type)
		n.X = re(n.X)
	case *TypeofExpr:
		n.Type = reType(n.Type)
	case *BlockExpr:
		for _, s := range n.Stmts {
			rewriteTree(s, f, ft)
		}
		n.Value = re(n.Value)
	}
}

// cloneBlock deep-copies a block; every node of the copy is new, so the
// checker's side tables can tell copies apart.
func cloneBlock(b *Block) *Block {
	if b == nil {
		return nil
	}
	nb := &Block{Span: b.Span, Stmts: make([]Stmt, len(b.Stmts))}
	for i, s := range b.Stmts {
		nb.Stmts[i] = cloneStmt(s)
	}
	return nb
}

func cloneStmt(s Stmt) Stmt {
	switch s := s.(type) {
	case *IfStmt:
		n := &IfStmt{Span: s.Span, Cond: cloneExpr(s.Cond), Then: cloneBlock(s.Then), Comptime: s.Comptime}
		if s.Else != nil {
			n.Else = &Else{Span: s.Else.Span, Block: cloneBlock(s.Else.Block)}
			if s.Else.If != nil {
				n.Else.If = cloneStmt(s.Else.If).(*IfStmt)
			}
		}
		return n
	case *LetStmt:
		v := *s.Var
		n := &LetStmt{Span: s.Span, Var: &v, Type: cloneType(s.Type), Value: cloneExpr(s.Value)}
		return n
	case *WhileStmt:
		return &WhileStmt{Span: s.Span, Cond: cloneExpr(s.Cond), Body: cloneBlock(s.Body)}
	case *UnrollStmt:
		return &UnrollStmt{Span: s.Span, Count: cloneExpr(s.Count), Body: cloneBlock(s.Body)}
	case *ForStmt:
		v := *s.Var
		return &ForStmt{Span: s.Span, Open: s.Open, Var: &v, From: cloneExpr(s.From), To: cloneExpr(s.To), Close: s.Close, Body: cloneBlock(s.Body)}
	case *JumpStmt:
		n := *s
		n.Value = cloneExpr(s.Value)
		return &n
	case *BlockStmt:
		return &BlockStmt{Span: s.Span, Block: cloneBlock(s.Block)}
	case *ExprStmt:
		return &ExprStmt{Span: s.Span, X: cloneExpr(s.X), Op: s.Op, Value: cloneExpr(s.Value), Semi: s.Semi}
	}
	return s
}

func cloneExprs(es []Expr) []Expr {
	if es == nil {
		return nil
	}
	out := make([]Expr, len(es))
	for i, e := range es {
		out[i] = cloneExpr(e)
	}
	return out
}

func cloneExpr(e Expr) Expr {
	switch e := e.(type) {
	case nil:
		return nil
	case *IntLit:
		n := *e
		return &n
	case *StrLit:
		n := *e
		return &n
	case *Ident:
		n := *e
		return &n
	case *Var:
		n := *e
		return &n
	case *Param:
		n := *e
		return &n
	case *MapExpr:
		return &MapExpr{Span: e.Span, Name: e.Name, Keys: cloneExprs(e.Keys)}
	case *Call:
		return &Call{Span: e.Span, Name: e.Name, NameEnd: e.NameEnd, Args: cloneExprs(e.Args), Bang: e.Bang}
	case *FieldExpr:
		n := *e
		n.X = cloneExpr(e.X)
		return &n
	case *IndexExpr:
		return &IndexExpr{Span: e.Span, X: cloneExpr(e.X), Index: cloneExpr(e.Index)}
	case *UnaryExpr:
		return &UnaryExpr{Span: e.Span, Op: e.Op, X: cloneExpr(e.X)}
	case *BinaryExpr:
		return &BinaryExpr{Span: e.Span, Op: e.Op, OpPos: e.OpPos, X: cloneExpr(e.X), Y: cloneExpr(e.Y)}
	case *CondExpr:
		return &CondExpr{Span: e.Span, Cond: cloneExpr(e.Cond), Then: cloneExpr(e.Then), Else: cloneExpr(e.Else)}
	case *CastExpr:
		return &CastExpr{Span: e.Span, Type: cloneType(e.Type), X: cloneExpr(e.X)}
	case *TupleExpr:
		return &TupleExpr{Span: e.Span, Elems: cloneExprs(e.Elems)}
	case *RecordExpr:
		return &RecordExpr{Span: e.Span, Names: e.Names, Elems: cloneExprs(e.Elems)}
	case *SizeofExpr:
		return &SizeofExpr{Span: e.Span, Type: cloneType(e.Type), X: cloneExpr(e.X)}
	case *OffsetofExpr:
		return &OffsetofExpr{Span: e.Span, Type: cloneType(e.Type), X: cloneExpr(e.X), Path: e.Path}
	case *TypeofExpr:
		return &TypeofExpr{Span: e.Span, Type: cloneType(e.Type)}
	case *BlockExpr:
		n := &BlockExpr{Span: e.Span, Value: cloneExpr(e.Value), Macro: e.Macro}
		for _, s := range e.Stmts {
			n.Stmts = append(n.Stmts, cloneStmt(s))
		}
		return n
	}
	return e
}

// cloneType deep-copies a written type, the expression of a typeof in it
// included.
func cloneType(te *TypeExpr) *TypeExpr {
	if te == nil {
		return nil
	}
	n := *te
	n.Of, n.OfX = cloneType(te.Of), cloneExpr(te.OfX)
	n.Suffixes = append([]string(nil), te.Suffixes...)
	return &n
}

package lang

// Inspect calls f for n and, while f returns true, for every node below it
// in source order, as go/ast.Inspect does.
func Inspect(n Node, f func(Node) bool) {
	if n == nil || !f(n) {
		return
	}
	switch n := n.(type) {
	case *Program:
		for _, p := range n.Probes {
			Inspect(p, f)
		}
	case *Probe:
		if n.Pred != nil {
			Inspect(n.Pred.Cond, f)
		}
		Inspect(n.Body, f)
	case *Block:
		for _, s := range n.Stmts {
			Inspect(s, f)
		}
	case *IfStmt:
		Inspect(n.Cond, f)
		Inspect(n.Then, f)
		if n.Else != nil {
			if n.Else.If != nil {
				Inspect(n.Else.If, f)
			} else {
				Inspect(n.Else.Block, f)
			}
		}
	case *ExprStmt:
		Inspect(n.X, f)
		if n.Value != nil {
			Inspect(n.Value, f)
		}
	case *MapExpr:
		for _, k := range n.Keys {
			Inspect(k, f)
		}
	case *Call:
		for _, a := range n.Args {
			Inspect(a, f)
		}
	case *FieldExpr:
		Inspect(n.X, f)
	case *UnaryExpr:
		Inspect(n.X, f)
	case *BinaryExpr:
		Inspect(n.X, f)
		Inspect(n.Y, f)
	case *CondExpr:
		Inspect(n.Cond, f)
		Inspect(n.Then, f)
		Inspect(n.Else, f)
	}
}

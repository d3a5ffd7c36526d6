package lang

// MapUse is what a script does with one map that its types do not say:
// what its keys are called and whether anything takes entries away. The
// metrics exporter names labels and picks counters or gauges from it.
type MapUse struct {
	// KeyNames names each part of the map's key after the expression the
	// script writes for it, where that expression is a name: a builtin
	// (comm, pid), a field (args.filename, $t->pid: filename, pid) or a
	// scratch variable ($x: x); "" where it is not (str(args.filename),
	// pid % 4). It is nil for a map without keys, and when the expressions
	// do not match the key's parts one to one (a tuple stored as the key).
	// The names come from the map's first assignment (or, without one, its
	// first use with keys), in script order.
	KeyNames []string
	// Reset is set when clear(), zero() or delete() names the map: its
	// values do not only grow.
	Reset bool
}

// MapUses tells what the probes of a checked program do with each map,
// by the map's name (with its @). Macro calls are expanded by then, so
// what a macro does to a map is seen where it is called.
func MapUses(prog *Program, info *Info) map[string]*MapUse {
	uses := map[string]*MapUse{}
	use := func(name string) *MapUse {
		u := uses[name]
		if u == nil {
			u = &MapUse{}
			uses[name] = u
		}
		return u
	}
	assigned := map[string]bool{}
	for _, p := range prog.Probes {
		Inspect(p, func(n Node) bool {
			switch n := n.(type) {
			case *ExprStmt:
				target := n.X
				if u, ok := target.(*UnaryExpr); ok && n.Value == nil {
					target = u.X // @m[k]++
				}
				if m, ok := target.(*MapExpr); ok && (n.Value != nil || target != n.X) && len(m.Keys) > 0 && !assigned[m.Name] {
					assigned[m.Name] = true
					use(m.Name).KeyNames = keyNames(m, info)
				}
			case *MapExpr:
				if u := use(n.Name); u.KeyNames == nil && !assigned[n.Name] && len(n.Keys) > 0 {
					u.KeyNames = keyNames(n, info)
				}
			case *Call:
				switch info.Funcs[n] {
				case FuncClear, FuncZero, FuncDelete:
					if len(n.Args) > 0 {
						if m, ok := n.Args[0].(*MapExpr); ok {
							use(m.Name).Reset = true
						}
					}
				}
			}
			return true
		})
	}
	return uses
}

// keyNames names the parts of m's key after the expressions written for
// them; nil when they do not match the map's key parts one to one.
func keyNames(m *MapExpr, info *Info) []string {
	if mi := info.Maps[m.Name]; mi == nil || len(mi.Keys) != len(m.Keys) {
		return nil
	}
	names := make([]string, len(m.Keys))
	for i, k := range m.Keys {
		names[i] = exprName(k)
	}
	return names
}

// exprName is the name an expression is written as, or "" when it is not
// a name.
func exprName(e Expr) string {
	switch e := e.(type) {
	case *Ident:
		return e.Name
	case *Var:
		return e.Name[1:]
	case *FieldExpr:
		return e.Field
	}
	return ""
}

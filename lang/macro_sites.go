package lang

// MacroSites lists the macro calls that target came from, innermost
// first: the blocks that expanding them made, around target in root
// (a probe). A node written in the probe itself has none.
func MacroSites(root, target Node) []*BlockExpr {
	var stack, found []*BlockExpr
	done := false
	var visit func(n Node) bool
	visit = func(n Node) bool {
		if done {
			return false
		}
		if n == target {
			for i := len(stack) - 1; i >= 0; i-- {
				found = append(found, stack[i])
			}
			done = true
			return false
		}
		if be, ok := n.(*BlockExpr); ok && be.Macro != "" {
			// Inspect has no way out of a node, so the block's
			// children are walked here, with the block on the stack.
			stack = append(stack, be)
			for _, s := range be.Stmts {
				Inspect(s, visit)
			}
			if be.Value != nil {
				Inspect(be.Value, visit)
			}
			stack = stack[:len(stack)-1]
			return false
		}
		return true
	}
	Inspect(root, visit)
	return found
}

package lang

// Control flow: a statement after one that always leaves (return, break,
// continue, exit(), or an if-else whose every branch leaves) never runs.
// Like bpftrace, hawk warns of the first such statement of a block.

// warnUnreachable warns of the first statement of stmts that follows one
// that always leaves.
func (c *checker) warnUnreachable(stmts []Stmt) {
	for i, s := range stmts[:max(len(stmts)-1, 0)] {
		if !c.leaves(s) {
			continue
		}
		c.diags.Add(c.src.For(stmts[i+1]), stmts[i+1], "unreachable statement").Severity = Warning
		return
	}
}

// leaves reports whether s always leaves its block: it jumps, calls exit()
// (which ends the probe), or is an if-else or block all of whose ways out
// leave.
func (c *checker) leaves(s Stmt) bool {
	switch s := s.(type) {
	case *JumpStmt:
		return true
	case *ExprStmt:
		call, ok := s.X.(*Call)
		return ok && s.Op == "" && c.info.Funcs[call] == FuncExit && len(call.Args) <= 1
	case *BlockStmt:
		return c.blockLeaves(s.Block)
	case *IfStmt:
		for s != nil {
			if s.Else == nil || !c.blockLeaves(s.Then) {
				return false
			}
			if s.Else.Block != nil {
				return c.blockLeaves(s.Else.Block)
			}
			s = s.Else.If
		}
	}
	return false
}

// blockLeaves reports whether one of b's statements always leaves.
func (c *checker) blockLeaves(b *Block) bool {
	for _, s := range b.Stmts {
		if c.leaves(s) {
			return true
		}
	}
	return false
}

package lang

// bpftrace 0.17 scoped scratch variables to the whole probe; later
// versions scope them to the block where they are first assigned. Scripts
// written for 0.17 (among them tools Debian ships) assign a variable in
// both branches of an if and read it after:
//
//	if (ipv4) { $addr = ntop(a4); } else { $addr = ntop(a6); }
//	printf("%s\n", $addr);
//
// Under block scoping that read finds no variable. Rather than reject such
// scripts, hawk gives these variables, and only these, 0.17's probe scope.
// Scripts valid under block scoping mean the same either way.

// probeScoped returns the names of the variables that are read where
// block scoping finds no declaration but that are assigned somewhere in
// the probe: the ones that need 0.17's probe scope. Its steps are counted
// in work, when that is not nil.
func probeScoped(body *Block, work *checkWork) map[string]bool {
	s := &scopeSim{assigned: map[string]bool{}, unseen: map[string]bool{}, declared: map[string]int{}, work: work}
	Inspect(body, func(n Node) bool {
		if es, ok := n.(*ExprStmt); ok && es.Op == "=" {
			if v, ok := es.X.(*Var); ok {
				s.assigned[v.Name] = true
			}
		}
		return true
	})
	s.block(body)
	out := map[string]bool{}
	for name := range s.unseen {
		if s.assigned[name] {
			out[name] = true
		}
	}
	return out
}

// scopeSim follows block scoping over the syntax alone.
type scopeSim struct {
	scopes   []map[string]bool
	declared map[string]int  // how many open scopes declare each name
	assigned map[string]bool // names assigned with = anywhere
	unseen   map[string]bool // names read where no declaration is visible
	work     *checkWork
}

// visible reports whether an open scope declares name, in constant time,
// however deep the blocks nest.
func (s *scopeSim) visible(name string) bool {
	s.work.step(1)
	return s.declared[name] > 0
}

func (s *scopeSim) declare(name string) {
	s.work.step(1)
	if top := s.scopes[len(s.scopes)-1]; !top[name] {
		top[name] = true
		s.declared[name]++
	}
}

func (s *scopeSim) open() {
	s.work.step(1)
	s.scopes = append(s.scopes, map[string]bool{})
}

func (s *scopeSim) close() {
	s.work.step(1 + len(s.scopes[len(s.scopes)-1]))
	for name := range s.scopes[len(s.scopes)-1] {
		s.declared[name]--
	}
	s.scopes = s.scopes[:len(s.scopes)-1]
}

func (s *scopeSim) block(b *Block, vars ...string) {
	if b == nil {
		return
	}
	s.open()
	for _, v := range vars {
		s.declare(v)
	}
	for _, st := range b.Stmts {
		s.stmt(st)
	}
	s.close()
}

func (s *scopeSim) stmt(st Stmt) {
	switch st := st.(type) {
	case *LetStmt:
		s.reads(st.Value)
		s.declare(st.Var.Name)
	case *IfStmt:
		for st != nil {
			s.reads(st.Cond)
			s.block(st.Then)
			if st.Else == nil {
				break
			}
			s.block(st.Else.Block)
			st = st.Else.If
		}
	case *WhileStmt:
		s.reads(st.Cond)
		s.block(st.Body)
	case *UnrollStmt:
		s.block(st.Body)
	case *ForStmt:
		s.reads(st.From)
		s.reads(st.To)
		s.block(st.Body, st.Var.Name)
	case *BlockStmt:
		s.block(st.Block)
	case *JumpStmt:
		s.reads(st.Value)
	case *ExprStmt:
		s.reads(st.Value)
		if v, ok := st.X.(*Var); ok && st.Op == "=" {
			if !s.visible(v.Name) {
				s.declare(v.Name)
			}
			return
		}
		s.reads(st.X)
	}
}

// reads notes the variables e reads. Blocks inside expressions open
// scopes of their own.
func (s *scopeSim) reads(e Expr) {
	if e == nil {
		return
	}
	Inspect(e, func(n Node) bool {
		switch n := n.(type) {
		case *BlockExpr:
			s.open()
			for _, st := range n.Stmts {
				s.stmt(st)
			}
			s.reads(n.Value)
			s.close()
			return false
		case *Var:
			if !s.visible(n.Name) {
				s.unseen[n.Name] = true
			}
		}
		return true
	})
}

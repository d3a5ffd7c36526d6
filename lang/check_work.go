package lang

import "errors"

// checkWork counts what the checker does, for the tests that prove its
// work linear in the program (check_work_test.go): nesting must never make
// a subexpression checked twice in one walk, which doubles the work at
// every level, nor a variable's lookup cost more the deeper its blocks
// nest, nor a use of a builtin cost more the more attach points its probe
// has. Check runs without one.
type checkWork struct {
	walks  int // walks of the probes, settling and reporting
	visits int // calls of expr, in all walks
	// steps counts the steps of the checker's other loops: of opening
	// and closing scopes and of declaring and looking up variables, in
	// the checker and in the simulation of 0.17's scopes (scopes visited,
	// entries moved); attach points looked at; declarations looked at for
	// an error's hint; macros looked at to find one by name.
	steps int
	// repeats counts calls of expr on a node already checked in the same
	// walk; seen holds the nodes the current walk checked.
	repeats int
	seen    map[Expr]bool
	// limit, when not 0, is how many calls of expr a test allows: past
	// it, visit panics with errWorkLimit.
	limit int
}

// startWalk notes the start of a walk.
func (w *checkWork) startWalk() {
	if w == nil {
		return
	}
	w.walks++
	w.seen = map[Expr]bool{}
}

// visit notes a call of expr on e.
func (w *checkWork) visit(e Expr) {
	if w == nil {
		return
	}
	w.visits++
	if w.seen[e] {
		w.repeats++
	}
	w.seen[e] = true
	if w.limit > 0 && w.visits > w.limit {
		panic(errWorkLimit)
	}
}

// step counts n steps of a loop.
func (w *checkWork) step(n int) {
	if w != nil {
		w.steps += n
	}
}

// errWorkLimit stops a check whose work has passed a test's bound.
var errWorkLimit = errors.New("the checker's work passed its bound")

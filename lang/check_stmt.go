package lang

import (
	"fmt"
	"strings"
)

// checkBlock checks a block in a scope of its own (a probe's body gets
// the probe's scope: scoped is false).
func (c *checker) checkBlock(b *Block, scoped bool) {
	if scoped {
		c.pushScope()
		defer c.popScope()
	}
	c.checkStmts(b.Stmts)
}

// checkStmts checks a block's statements in order, and warns of those
// that never run.
func (c *checker) checkStmts(stmts []Stmt) {
	ends := true
	for i, s := range stmts {
		c.checkStmt(s)
		if j, ok := s.(*JumpStmt); ok && i+1 < len(stmts) {
			ends = c.checkJumpEnd(j, stmts[i+1]) && ends
		}
	}
	if ends { // else `return` `x`: an error says what is wrong
		c.warnUnreachable(stmts)
	}
}

// checkJumpEnd checks that a break, continue or return followed by
// another statement ends with ';': `return 1;` reads as `return` and `1;`.
// It reports whether it does.
func (c *checker) checkJumpEnd(j *JumpStmt, next Stmt) bool {
	kwEnd := endOf(j.Start(), j.Kind)
	if j.Value != nil {
		kwEnd = j.Value.End()
	}
	if strings.Contains(c.src.For(next).Snippet(kwEnd.Offset, next.Start().Offset), ";") {
		return true
	}
	c.errorSpan(kwEnd, kwEnd, "expected ';' after this statement")
	return false
}

func (c *checker) checkStmt(s Stmt) {
	switch s := s.(type) {
	case *IfStmt:
		c.checkCond(s.Cond)
		c.checkComptime(s)
		thenDead, elseDead := c.branchesDead(s.Cond)
		c.deadIf(thenDead, func() { c.checkBlock(s.Then, true) })
		if s.Else != nil {
			c.deadIf(elseDead, func() {
				if s.Else.If != nil {
					c.checkStmt(s.Else.If)
				} else {
					c.checkBlock(s.Else.Block, true)
				}
			})
		}
	case *LetStmt:
		c.checkLet(s)
	case *WhileStmt:
		c.checkCond(s.Cond)
		if k, ok := c.info.Consts[s.Cond]; ok && k.Int != 0 && !hasJump(s.Body, "break", "return") {
			c.errorf(s.Cond, "this loop never ends: its condition is always true and nothing breaks out of it")
		}
		c.loops++
		c.checkBlock(s.Body, true)
		c.loops--
	case *UnrollStmt:
		t := c.expr(s.Count)
		k, ok := c.info.Consts[s.Count]
		switch {
		case t.IsInvalid():
		case !ok || k.IsStr || !t.IsInteger():
			c.errorf(s.Count, "unroll needs a constant count")
		case int64(k.Int) < 1 || int64(k.Int) > maxUnroll:
			c.errorf(s.Count, "unroll's count must be between 1 and %d, not %d", maxUnroll, int64(k.Int))
		}
		c.checkBlock(s.Body, true)
	case *ForStmt:
		c.checkFor(s)
	case *JumpStmt:
		if s.Kind != "return" && c.loops == 0 {
			c.errorSpan(s.Start(), endOf(s.Start(), s.Kind), "%s is only allowed inside a loop", s.Kind)
		}
		c.checkJumpValue(s)
	case *BlockStmt:
		c.checkBlock(s.Block, true)
	case *ExprStmt:
		if s.Op == "" {
			c.checkStmtExpr(s.X)
			return
		}
		c.checkAssign(s)
	}
}

// maxUnroll is the largest count unroll takes.
const maxUnroll = 100

// hasJump reports whether b holds a jump of one of kinds that leaves the
// loop b is the body of (nested loops' own breaks do not count).
func hasJump(b *Block, kinds ...string) bool {
	found := false
	Inspect(b, func(n Node) bool {
		switch n := n.(type) {
		case *WhileStmt, *ForStmt:
			return false
		case *JumpStmt:
			for _, k := range kinds {
				found = found || n.Kind == k
			}
		}
		return !found
	})
	return found
}

func (c *checker) checkLet(s *LetStmt) {
	if prev := c.scopes[len(c.scopes)-1][s.Var.Name]; prev != nil {
		d := c.errorf(s.Var, "%s is already declared in this block", c.varName(s.Var.Name))
		if prev.Decl != nil {
			d.Hint = fmt.Sprintf("it was declared on line %d; assign it without let, or choose another name",
				c.src.For(prev.Decl).Pos(prev.Decl.Start().Offset).Line)
		}
		return
	}
	var declared *Type
	if s.Type != nil {
		declared = c.resolveType(s.Type, c.probeSpace())
		if declared.IsInvalid() {
			c.declare(s.Var.Name, s.Var, Invalid)
			return
		}
		if !storable(declared) {
			c.errorf(s.Type, "a variable cannot be of type %s", declared)
			declared = Invalid
		}
	}
	if s.Value == nil {
		if declared == nil {
			// An untyped `let $x;` takes its type from later assignments.
			c.declare(s.Var.Name, s.Var, nil)
			return
		}
		c.declare(s.Var.Name, s.Var, declared).Declared = true
		return
	}
	defer c.assigningTo("")()
	vt := c.expr(s.Value)
	if vt.IsInvalid() {
		if declared == nil && c.unknownValue() {
			c.declare(s.Var.Name, s.Var, nil) // typed by a later walk
			return
		}
		if declared != nil {
			c.declare(s.Var.Name, s.Var, declared).Declared = true
			return
		}
		c.declare(s.Var.Name, s.Var, Invalid)
		return
	}
	if !storable(vt) {
		c.noValue(s.Value)
		c.declare(s.Var.Name, s.Var, Invalid)
		return
	}
	if declared == nil {
		c.declare(s.Var.Name, s.Var, c.withFields(storageType(vt)))
		return
	}
	c.checkConvertible(s.Var.Name, s.Value, vt, declared, false)
	c.declare(s.Var.Name, s.Var, declared).Declared = true
}

// checkConvertible checks that a value of type vt can be stored in the
// variable name declared as t, as bpftrace does: integers convert,
// wrapping at t's width, but a constant must fit (compound says the value
// is the right side of `$x op= value`, which wraps whatever it is); a
// string must fit in t's size; other types must match.
func (c *checker) checkConvertible(name string, value Expr, vt, t *Type, compound bool) {
	switch {
	case t.IsInvalid() || vt.IsInvalid():
	case t.Kind == KindInt && vt.IsInteger() && vt.Kind != KindPointer:
		if k, ok := c.info.Consts[value]; ok && !compound && !k.IsStr && truncate(k.Int, t) != truncate(k.Int, intView(vt)) {
			c.errorf(value, "%d does not fit in %s; cast it: (%s)%d", int64(k.Int), t, t, int64(k.Int))
		}
	case t.Kind == KindString && vt.Kind == KindString:
		if vt.Size > t.Size {
			d := c.errorf(value, "%s is declared %s, too small for a %s", c.varName(name), t, vt)
			d.Hint = fmt.Sprintf("a declared variable keeps its size and does not cut what it stores: declare it string[%d]", vt.Size)
		}
	default:
		merged, ok := unify(t, vt)
		switch {
		case !ok:
			c.errorf(value, "a %s variable cannot hold %s", t, vt)
		case !merged.Equal(t):
			c.errorf(value, "%s is declared %s, so it cannot hold %s", c.varName(name), t, vt)
		}
	}
}

func (c *checker) checkFor(s *ForStmt) {
	c.pushScope()
	defer c.popScope()
	var vt *Type
	if s.To != nil {
		ft, tt := c.expr(s.From), c.expr(s.To)
		switch {
		case ft.IsInvalid() || tt.IsInvalid():
			vt = Invalid
		case !ft.IsInteger() || ft.Kind == KindPointer:
			c.errorf(s.From, "a range's start must be an integer, not %s", ft)
			vt = Invalid
		case !tt.IsInteger() || tt.Kind == KindPointer:
			c.errorf(s.To, "a range's end must be an integer, not %s", tt)
			vt = Invalid
		default:
			vt = fixed(Promote(ft.ValueType(), tt.ValueType()))
			vt = IntType(8, vt.Signed)
		}
	} else {
		vt = c.forEachType(s)
	}
	c.declare(s.Var.Name, s.Var, vt)
	c.loops++
	c.checkBlock(s.Body, false)
	c.loops--
}

// forEachType is the type of $kv in for ($kv : @map): (key, value), where
// several keys make a tuple.
func (c *checker) forEachType(s *ForStmt) *Type {
	m, ok := s.From.(*MapExpr)
	if !ok || m.Keys != nil {
		c.errorf(s.From, "for iterates over a map (@name) or a range (start..end)")
		return Invalid
	}
	info := c.info.Maps[m.Name]
	c.record(m, Void)
	if info != nil {
		c.observeMap(info, m, true)
	}
	switch {
	case info == nil || info.Value == nil:
		if c.report && (info == nil || !info.badValue) {
			c.errorf(m, "%s is read but never assigned", m.Name)
		}
		return Invalid
	case len(info.Keys) == 0:
		c.errorf(m, "%s has no keys to iterate over", m.Name)
		return Invalid
	case !info.Value.IsReadable():
		c.errorf(m, "a %s() map cannot be iterated over", aggName(info.Value))
		return Invalid
	}
	key := info.Keys[0]
	if len(info.Keys) > 1 {
		key = TupleType(info.Keys)
	}
	return TupleType([]*Type{key, info.Value.ValueType()})
}

// checkStmtExpr checks an expression whose value is dropped.
func (c *checker) checkStmtExpr(e Expr) {
	if call, ok := e.(*Call); ok {
		if f := lookupFunc(call.Name); f != FuncInvalid && funcs[f].aggregation {
			c.errorf(call, "%s() must be assigned to a map, e.g. @x = %s(...)", call.Name, call.Name)
			return
		}
	}
	c.expr(e)
}

// checkCond checks a predicate or if condition: any integer-like value.
func (c *checker) checkCond(e Expr) {
	t := c.expr(e)
	if !t.IsInvalid() && !t.IsInteger() {
		c.errorf(e, "a condition must be an integer, bool or pointer, not %s", t)
	}
}

func (c *checker) checkAssign(s *ExprStmt) {
	target := ""
	if m, ok := s.X.(*MapExpr); ok {
		target = m.Name
	}
	defer c.assigningTo(target)()
	op, _ := AssignOp(s.Op)
	if be, inner, ok := BlockAggregation(s); ok {
		c.checkBlockAggregation(be, inner)
		return
	}
	// An aggregation is only ever assigned whole to a map.
	if call, ok := s.Value.(*Call); ok {
		if f := lookupFunc(call.Name); f != FuncInvalid && funcs[f].aggregation {
			m, isMap := s.X.(*MapExpr)
			switch {
			case !isMap:
				d := c.errorf(call, "%s() must be assigned to a map, not to %s", call.Name, c.src.For(s.X).Snippet(s.X.Start().Offset, s.X.End().Offset))
				if v, ok := s.X.(*Var); ok {
					d.Hint = "use a map: @" + c.varName(v.Name)[1:] + " = " + c.src.For(call).Snippet(call.Start().Offset, call.End().Offset)
				}
				return
			case op != OpInvalid:
				at := s.X.End()
				if i := strings.Index(c.src.For(call).Snippet(at.Offset, call.Start().Offset), s.Op); i >= 0 {
					at = c.src.For(call).Pos(at.Offset + i)
				}
				c.errorSpan(at, endOf(at, s.Op), "%s() must be assigned with =, not %s", call.Name, s.Op)
				return
			}
			c.assignMap(m, c.record(call, c.checkCall(call, true)), call)
			return
		}
	}
	vt := c.expr(s.Value)
	// A map's keys are checked once, for the operator and the store both:
	// checked twice, keys that nest assignments doubled the work at each
	// level.
	m, isMap := s.X.(*MapExpr)
	var info *MapInfo
	var good bool
	if isMap {
		info, good = c.mapInfo(m)
	}
	if op != OpInvalid && !vt.IsInvalid() {
		// x op= v is x = x op v: both sides must be integers. A map starts
		// out as 0.
		var xt *Type
		if isMap {
			if !good {
				return
			}
			c.observeMap(info, m, false)
			if xt = info.Value; xt == nil {
				xt = Int64
			}
		} else {
			xt = c.expr(s.X)
		}
		if xt.IsInvalid() {
			return
		}
		if !xt.IsInteger() || !vt.IsInteger() || xt.IsAggregation() {
			c.errorf(s.Value, "%s needs integers, not %s and %s", s.Op, xt, vt)
			return
		}
		if c.dividesByZero(op, s.Value, vt) {
			return
		}
		if xt.Kind == KindPointer && (op == OpAdd || op == OpSub) {
			vt = xt
		} else {
			vt = arithType(op, xt.ValueType(), vt.ValueType())
		}
	}
	switch x := s.X.(type) {
	case *MapExpr:
		c.storeMap(x, info, good, vt, s.Value)
	case *Var:
		c.assignVar(x, vt, s.Value, s)
	default:
		c.errorf(s.X, "cannot assign to this expression: only maps (@x) and scratch variables ($x) can be assigned")
	}
}

// assigningTo starts checking the value of an assignment to the map
// target ("" for a variable) and returns what ends it. Whether the value
// read something unsettled carries to an enclosing assignment (a block
// expression's statements are part of its value).
func (c *checker) assigningTo(target string) func() {
	assigning, unsettled, selfRead := c.assigning, c.unsettled, c.selfRead
	c.assigning, c.unsettled, c.selfRead = target, false, false
	return func() {
		c.assigning, c.unsettled, c.selfRead = assigning, unsettled || c.unsettled, selfRead
	}
}

// unknownValue reports whether an invalid value of an assignment may be
// only not known yet: a settling walk met a map or variable with no type
// yet, or read the map assigned to.
func (c *checker) unknownValue() bool {
	return !c.report && (c.unsettled || c.selfRead)
}

// noValue reports a value that cannot be stored: a call that returns
// nothing, or another expression without a value.
func (c *checker) noValue(value Expr) {
	if call, ok := value.(*Call); ok {
		c.errorf(value, "%s() returns no value to store", call.Name)
		return
	}
	c.errorf(value, "this expression has no value to store")
}

// varType is how a scratch variable keeps a value of t: an integer keeps
// its width, as bpftrace's do (`$p = (uint16)x` is a uint16, whose bswap
// swaps two bytes), a literal too (`$x = 1` is an int8, as in bpftrace
// v0.26, until a wider value is stored).
func varType(t *Type) *Type {
	return fixed(t)
}

// storageType is how a value of t is kept in a map or variable: integers
// take 8 bytes, literals keep no flexibility, enums stay enums.
func storageType(t *Type) *Type {
	switch {
	case t.IsEnum() && t.Size == 8:
		return t
	case t.IsEnum():
		return EnumType(t.Enum, 8)
	case t.Kind == KindInt:
		return IntType(8, t.Signed)
	}
	return t
}

// storeMap checks the assignment of a value of type vt to the map entry m,
// whose map and keys mapInfo gave as info and ok.
func (c *checker) storeMap(m *MapExpr, info *MapInfo, ok bool, vt *Type, value Expr) {
	c.record(m, Void)
	if ok && vt.IsInvalid() {
		c.badValue(info) // reported: reads of the map stay quiet
	}
	if !ok || vt.IsInvalid() {
		return
	}
	switch {
	case vt.Kind == KindVoid:
		c.noValue(value)
		c.badValue(info)
		return
	case vt.Kind == KindCtx:
		c.errorf(value, "args cannot be stored; store one of its fields, e.g. args.NAME")
		c.badValue(info)
		return
	}
	st := c.withFields(storageType(fixed(vt)))
	t, good := unify(info.Value, st)
	if good && !c.fits(value, t, "storing this makes "+m.Name+"'s value") {
		c.badValue(info)
		return
	}
	if !good && info.guessed && !info.reguessed && !c.report {
		// The int64 guessed for a map read in its own first assignment
		// yields, once, to what that assignment stores: `@b = !@b` is a
		// bool map, as in bpftrace. The walks settle again from it.
		info.Value, info.reguessed = st, true
		c.changedMap(info)
		return
	}
	if !good {
		d := c.errorf(value, "%s holds %s, so it cannot store %s", m.Name, info.Value, c.shownType(value, st))
		if info.guessed {
			d.Hint = guessedHint(info)
		}
		// Which of the two types was meant is unknown: reads of the map
		// say nothing more (the settling walks set this for the last).
		c.badValue(info)
		return
	}
	c.setMapValue(info, t)
}

// badValue notes that an assignment to a map was wrong, so that reads of
// the map stay quiet. A settling walk notes it only for a mistake the
// last walk reports again: not for a value that is only unknown yet, nor
// for one that reads the map itself, whose read would then be quiet and
// the mistake never reported.
func (c *checker) badValue(info *MapInfo) {
	if c.report || !c.unknownValue() {
		info.badValue = true
	}
}

// guessedHint explains the type of a map read in its own first
// assignment.
func guessedHint(info *MapInfo) string {
	if info.reguessed {
		return fmt.Sprintf("%s is read in its own first assignment, before it has a type: it takes the type that assignment stores, but the value stored depends on it; assign it a value of its type first", info.Name)
	}
	return fmt.Sprintf("%s is read in its own first assignment, before it has a type: it is taken as an int64 there (the 0 a map holds at first); assign it a value of its type first", info.Name)
}

func (c *checker) assignVar(v *Var, vt *Type, value Expr, stmt *ExprStmt) {
	t := vt
	switch {
	case vt.IsInvalid() && c.unknownValue():
		t = nil // typed by a later walk
	case vt.IsInvalid():
	case !storable(vt):
		c.noValue(value)
		vt, t = Invalid, Invalid
	default:
		t = c.withFields(varType(vt))
	}
	info := c.lookupVar(v.Name)
	if info == nil {
		// The first assignment declares the variable in this block, or
		// in the probe's for a variable that needs 0.17's scoping.
		level := len(c.scopes) - 1
		if c.probeVars[v.Name] {
			level = 0
		}
		info = c.declareIn(level, v.Name, stmt, t)
	} else if info.Type == nil {
		c.setVarType(info, t)
	} else if info.Declared && !info.Type.IsInvalid() && !vt.IsInvalid() {
		c.checkConvertible(v.Name, value, vt, info.Type, stmt.Op != "=")
	} else if !info.Type.IsInvalid() && !t.IsInvalid() {
		c.assignTo(info, t, value)
	}
	c.info.Vars[v] = info
	c.record(v, Void)
}

// trimWord removes a leading word and the space after it.
func trimWord(s, word string) string { return strings.TrimSpace(strings.TrimPrefix(s, word)) }

// trimSuffixSpace removes a suffix and the space before it.
func trimSuffixSpace(s, suffix string) string {
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), suffix))
}

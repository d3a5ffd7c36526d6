package lang

import (
	"fmt"
	"strconv"
	"strings"
)

// expr checks e and returns its type; Invalid after an error, so that one
// mistake gives one message.
func (c *checker) expr(e Expr) *Type {
	c.work.visit(e)
	switch e := e.(type) {
	case *IntLit:
		c.constant(e, Const{Int: e.Value})
		return c.record(e, literalType(e.Value))
	case *StrLit:
		// A NUL ends the string that C functions and bpftrace see ("a\0b"
		// prints, compares and searches as "a"); the type keeps all the
		// bytes written, as bpftrace's string[N] does.
		str, _, _ := strings.Cut(e.Value, "\x00")
		c.constant(e, Const{Str: str, IsStr: true})
		return c.record(e, StringType(len(e.Value)+1))
	case *Param:
		return c.record(e, c.param(e))
	case *Ident:
		t := c.ident(e)
		if t.Kind == KindCtx {
			c.errorf(e, "args is a record of the tracepoint's fields: use one of them, e.g. args.NAME")
			t = Invalid
		}
		return c.record(e, t)
	case *Var:
		v := c.lookupVar(e.Name)
		if v == nil {
			c.undeclared(e)
			return c.record(e, Invalid)
		}
		c.info.Vars[e] = v
		c.observeVar(v, e)
		if v.Type == nil {
			return c.record(e, c.untypedVar(e))
		}
		return c.record(e, v.Type)
	case *MapExpr:
		return c.record(e, c.mapRead(e))
	case *Call:
		return c.record(e, c.checkCall(e, false))
	case *FieldExpr:
		return c.record(e, c.field(e))
	case *IndexExpr:
		return c.record(e, c.index(e))
	case *UnaryExpr:
		return c.record(e, c.unary(e))
	case *BinaryExpr:
		return c.record(e, c.binary(e))
	case *CondExpr:
		return c.record(e, c.cond(e))
	case *CastExpr:
		return c.record(e, c.cast(e))
	case *TupleExpr:
		return c.record(e, c.tuple(e))
	case *RecordExpr:
		return c.record(e, c.recordExpr(e))
	case *SizeofExpr:
		return c.record(e, c.sizeof(e))
	case *OffsetofExpr:
		return c.record(e, c.offsetof(e))
	case *BlockExpr:
		return c.record(e, c.blockExpr(e))
	case *TypeofExpr:
		d := c.errorf(e, "typeof(...) is a type, not a value")
		d.Hint = "a type passed to a macro goes where a type goes there: sizeof(t), (t *)x, let $v: t"
		return c.record(e, Invalid)
	}
	c.errorf(e, "unsupported expression")
	return Invalid
}

// param resolves $N to the command-line argument: an integer when it reads
// as one, else a string; a missing parameter is 0 (and "" in str()).
func (c *checker) param(p *Param) *Type {
	if p.N == 0 {
		c.constant(p, Const{Int: uint64(len(c.cfg.Params))})
		return literalType(uint64(len(c.cfg.Params)))
	}
	if p.N > len(c.cfg.Params) {
		c.constant(p, Const{})
		return literalType(0)
	}
	arg := c.cfg.Params[p.N-1]
	if v, err := parseInt(arg); err == nil {
		c.constant(p, Const{Int: v})
		return literalType(v)
	}
	if len(arg) > 0 && arg[0] == '-' {
		if v, err := parseInt(arg[1:]); err == nil {
			c.constant(p, Const{Int: -v})
			return Int64
		}
	}
	c.constant(p, Const{Str: arg, IsStr: true})
	return StringType(len(arg) + 1)
}

// ident resolves a bare name: a builtin, true or false, a #define or
// header constant, an enumerator of the script or the kernel.
func (c *checker) ident(id *Ident) *Type {
	switch id.Name {
	case "true", "false":
		c.constant(id, Const{Int: b2i(id.Name == "true")})
		return Bool
	case builtinPrefix + "safe_mode": // bpftrace's stdlib's: true without --unsafe
		c.constant(id, Const{Int: b2i(!c.cfg.Unsafe)})
		return Bool
	}
	if b := lookupBuiltin(id.Name); b != BuiltinInvalid {
		c.info.Builtins[id] = b
		return c.builtin(id, b)
	}
	if v, ok := c.defines.lookup(id.Name); ok {
		c.constant(id, Const{Int: uint64(v)})
		return constType(v)
	}
	if s, ok := c.defines.str(id.Name); ok {
		c.constant(id, Const{Str: s, IsStr: true})
		return StringType(len(s) + 1)
	}
	if v, t, ok := c.enumConstant(id.Name); ok {
		c.constant(id, Const{Int: v})
		return t
	}
	if m := c.macro(id.Name); m != nil {
		// Macros without parameters were expanded; this one has some.
		c.errorf(id, "macro %s takes %s; call it: %s(%s)", m.Name, plural(len(m.Params), "argument"), m.Name, strings.Join(m.Params, ", "))
		return Invalid
	}
	if msg := notYet(id.Name); msg != "" {
		c.errorf(id, "%s", msg)
		return Invalid
	}
	d := c.errorf(id, "unknown identifier %q", id.Name)
	if lookupFunc(id.Name) != FuncInvalid {
		d.Hint = "call it: " + id.Name + "()"
	} else {
		didYouMean(d, id.Name, builtinNames())
	}
	return Invalid
}

// undeclared reports a variable that no scope holds here: never assigned
// before, assigned in a block that has ended, or in another probe.
func (c *checker) undeclared(v *Var) {
	if !c.report || c.diags.full() {
		return // a diagnostic now would be dropped: its hint is not looked for
	}
	name := c.varName(v.Name)
	// The code v is in: its probe, or the macro body it was copied from.
	region := c.probe.Span
	for _, m := range c.prog.Macros {
		if within(v, m.Span) {
			region = m.Span
		}
	}
	// The first walk saw every declaration: look for one of this name
	// earlier in the same code, else in another probe.
	var inner, other Node
	decls := c.declsNamed(v.Name)
	c.work.step(len(decls))
	for _, n := range decls {
		switch at := n.Start().Offset; {
		case within(n, region) && at < v.Start().Offset && n.End().Offset <= v.Start().Offset:
			// Declared before v, in a block that has ended (a first
			// assignment that holds v, `$x = $x + 1`, does not count).
			if inner == nil || at < inner.Start().Offset {
				inner = n
			}
		case region == c.probe.Span && c.inOtherProbe(n):
			if other == nil || at < other.Start().Offset {
				other = n
			}
		}
	}
	switch {
	case inner != nil:
		d := c.errorf(v, "variable %s is not in scope here", name)
		d.Hint = fmt.Sprintf("%s is declared on line %d inside a block and lives only to the end of that block; declare it before the block: let %s;",
			name, c.src.For(inner).Pos(inner.Start().Offset).Line, name)
	case other != nil:
		d := c.errorf(v, "variable %s is used before it is assigned", name)
		d.Hint = fmt.Sprintf("%s is assigned in another probe, but a scratch variable lives in one probe; a map (@%s) is shared by all", name, name[1:])
	default:
		d := c.errorf(v, "variable %s is used before it is assigned", name)
		if m := "@" + name[1:]; c.prev.info.Maps[m] != nil {
			d.Hint = fmt.Sprintf("did you mean the map %s?", m)
		}
	}
}

// declsNamed returns the declarations of variables called name that the
// walk before saw, indexed once.
func (c *checker) declsNamed(name string) []Node {
	if c.decls == nil {
		c.decls = map[string][]Node{}
		c.work.step(len(c.prev.info.Vars))
		for n, info := range c.prev.info.Vars {
			if _, use := n.(*Var); !use {
				c.decls[info.Name] = append(c.decls[info.Name], n)
			}
		}
	}
	return c.decls[name]
}

// untypedVar handles a read of a variable that has no type yet: `let $x;`
// with no assignment so far. A settling walk may type it later; in the
// last walk no assignment did.
func (c *checker) untypedVar(v *Var) *Type {
	if !c.report {
		c.unsettled = true
		return Invalid
	}
	name := c.varName(v.Name)
	d := c.errorf(v, "variable %s is read but never given a value, so it has no type", name)
	d.Hint = fmt.Sprintf("give it a type or a value where it is declared: let %s: int64; or let %s = 0;", name, name)
	return Invalid
}

// within reports whether n starts inside span.
func within(n Node, span Span) bool {
	at := n.Start().Offset
	return at >= span.Pos.Offset && at < span.EndPos.Offset && n.Start().Filename == span.Pos.Filename
}

// inOtherProbe reports whether n is in a probe other than the current one.
func (c *checker) inOtherProbe(n Node) bool {
	for _, p := range c.prog.Probes {
		if p != c.probe && within(n, p.Span) {
			return true
		}
	}
	return false
}

// constType is the type of a named constant.
func constType(v int64) *Type {
	if v >= 0 {
		return literalType(uint64(v))
	}
	return Int64
}

func (c *checker) mapRead(m *MapExpr) *Type {
	info, ok := c.mapInfo(m)
	if !ok {
		if c.settling() && m.Name == c.assigning && info.Value == nil {
			// The keys are not known yet, but the map is read in its
			// own assignment all the same.
			c.selfRead, info.selfRead = true, true
		}
		return Invalid
	}
	if m.Name == c.assigning {
		c.selfRead = true
	}
	c.observeMap(info, m, false)
	switch {
	case info.badValue:
		return Invalid // an assignment to it was wrong, and reported
	case info.Value == nil && !c.report:
		// Not settled yet: an assignment later in the walk may type it.
		c.unsettled = true
		info.selfRead = info.selfRead || m.Name == c.assigning
		return Invalid
	case info.Value == nil:
		c.errorf(m, "%s is read but never assigned", m.Name)
		return Invalid
	case !info.Value.IsReadable():
		c.errorf(m, "a %s() map cannot be read inside a probe; print(%s) prints it", aggName(info.Value), m.Name)
		return Invalid
	}
	return info.Value.ValueType()
}

func aggName(t *Type) string {
	if t.IsAggregation() {
		name, _, _ := strings.Cut(t.String(), " ") // hist_t (3 bits): hist
		return strings.TrimSuffix(name, "_t")
	}
	return t.String()
}

// field checks X.f and X->f: a tracepoint's args, a tuple or record
// member, or a struct member, through a pointer or not.
func (c *checker) field(f *FieldExpr) *Type {
	if id, ok := f.X.(*Ident); ok && id.Name == "args" {
		if t := c.record(id, c.ident(id)); t.IsInvalid() {
			return Invalid
		}
		return c.argsField(f)
	}
	t := c.expr(f.X)
	if t.IsInvalid() {
		return Invalid
	}
	// The pointers a struct holds point into the address space the
	// struct was read from: its pointer's, or the probe's for a script
	// struct's value.
	space, respace := c.probeSpace(), t.Kind == KindStruct && t.ID == 0
	if t.Kind == KindPointer && t.Elem.Kind == KindStruct {
		space, respace = t.Space, true
		t = t.Elem // . and -> both reach through a pointer
	}
	switch t.Kind {
	case KindTuple, KindRecord:
		if i := t.FieldIndex(f.Field); i >= 0 {
			fl := t.Fields[i]
			c.info.Fields[f] = &ResolvedField{Field: fl, Offset: fl.Offset}
			return fl.Type
		}
		if n, err := strconv.Atoi(f.Field); err == nil && t.Kind == KindTuple {
			c.errorSpan(f.FieldPos, f.End(), "index %d is out of range for %s", n, t)
			return Invalid
		}
		d := c.errorSpan(f.FieldPos, f.End(), "%s has no field %q", t, f.Field)
		names := make([]string, len(t.Fields))
		for i, fl := range t.Fields {
			names[i] = fl.Name
		}
		didYouMean(d, f.Field, names)
		return Invalid
	case KindStruct:
		rf, ok := c.findField(t, f.Field)
		if ok && rf.Type.Kind == KindFloat {
			c.errorSpan(f.FieldPos, f.End(), "member %s of %s is a %s, which hawk cannot read", f.Field, t, rf.Type)
			return Invalid
		}
		if !ok {
			d := c.errorSpan(f.FieldPos, f.End(), "%s has no field %q", t, f.Field)
			didYouMean(d, f.Field, c.fieldNames(t))
			return Invalid
		}
		if c.memSpace(f.X) == SpaceUser {
			// Pointers read from user memory point into it.
			if ut := userPointers(rf.Type, 0); ut != rf.Type {
				cp := *rf
				cp.Type = ut
				cp.Field.Type = ut
				rf = &cp
			}
		}
		c.info.Fields[f] = rf
		if respace {
			return inSpace(rf.Type, space)
		}
		return rf.Type
	}
	d := c.errorSpan(f.FieldPos, f.End(), "%s has no field %q: only structs, tuples and records have fields", t, f.Field)
	if m, ok := f.X.(*MapExpr); ok && c.info.Maps[m.Name] != nil && c.info.Maps[m.Name].guessed {
		d.Hint = guessedHint(c.info.Maps[m.Name])
	}
	return Invalid
}

// inSpace returns t with the pointers in it, itself or its elements,
// pointing into space.
func inSpace(t *Type, space AddrSpace) *Type {
	switch {
	case t.Kind == KindPointer && t.Space != space:
		return PointerType(t.Elem, space)
	case t.Kind == KindArray:
		if elem := inSpace(t.Elem, space); elem != t.Elem {
			return ArrayType(elem, t.Len)
		}
	}
	return t
}

// index checks X[i] on arrays, pointers, strings and tuples.
func (c *checker) index(e *IndexExpr) *Type {
	t := c.expr(e.X)
	it := c.expr(e.Index)
	if t.IsInvalid() || it.IsInvalid() {
		return Invalid
	}
	if !it.IsInteger() || it.Kind == KindPointer {
		c.errorf(e.Index, "an index must be an integer, not %s", it)
		return Invalid
	}
	k, isConst := c.info.Consts[e.Index]
	switch t.Kind {
	case KindArray:
		if isConst && (int64(k.Int) < 0 || int64(k.Int) >= int64(t.Len)) && t.Len > 0 {
			c.errorf(e.Index, "index %d is out of range for %s", int64(k.Int), t)
			return Invalid
		}
		return t.Elem
	case KindPointer:
		if t.Elem.Kind == KindVoid {
			c.errorf(e, "a void pointer cannot be indexed; cast it first")
			return Invalid
		}
		return t.Elem
	case KindString:
		// A string is a char array: an index reads one char, as bpftrace's
		// comm[0] does.
		if isConst && (int64(k.Int) < 0 || int64(k.Int) >= int64(t.Size)) {
			c.errorf(e.Index, "index %d is out of range for %s", int64(k.Int), t)
			return Invalid
		}
		if s, ok := c.info.Consts[e.X]; ok && s.IsStr && isConst {
			var ch byte
			if int(k.Int) < len(s.Str) {
				ch = s.Str[k.Int]
			}
			c.constant(e, Const{Int: uint64(int64(int8(ch)))})
		}
		return Int8
	case KindTuple:
		if !isConst {
			c.errorf(e.Index, "a tuple's index must be a constant")
			return Invalid
		}
		if int64(k.Int) < 0 || int(k.Int) >= len(t.Fields) {
			c.errorf(e.Index, "index %d is out of range for %s", int64(k.Int), t)
			return Invalid
		}
		fl := t.Fields[k.Int]
		c.info.Fields[e] = &ResolvedField{Field: fl, Offset: fl.Offset}
		return fl.Type
	}
	c.errorf(e, "%s cannot be indexed", t)
	return Invalid
}

func (c *checker) unary(u *UnaryExpr) *Type {
	switch u.Op {
	case OpPreInc, OpPreDec, OpPostInc, OpPostDec:
		return c.incDec(u)
	case OpAddr:
		return c.addrOf(u)
	}
	t := c.expr(u.X)
	if t.IsInvalid() {
		return Invalid
	}
	if u.Op == OpDeref {
		switch {
		case t.Kind == KindPointer && t.Elem.Kind == KindVoid:
			c.errorf(u, "a void pointer cannot be dereferenced; cast it first")
			return Invalid
		case t.Kind == KindPointer:
			return t.Elem
		case t.Kind == KindInt:
			// An integer used as an address reads 64 bits, as bpftrace does.
			return Uint64
		}
		c.errorf(u, "%s cannot be dereferenced", t)
		return Invalid
	}
	if !t.IsInteger() {
		c.errorf(u, "operator %s cannot be applied to %s", u.Op, t)
		return Invalid
	}
	vt := intView(t.ValueType())
	k, isConst := c.info.Consts[u.X]
	switch u.Op {
	case OpNot:
		if isConst {
			c.constant(u, Const{Int: b2i(truncate(k.Int, vt) == 0)})
		}
		return Bool
	case OpNeg:
		if isConst {
			v := -truncate(k.Int, vt)
			c.constant(u, Const{Int: v})
			if _, lit := u.X.(*IntLit); lit && int64(v) < 0 {
				return negLiteralType(int64(v))
			}
		}
		return Int64
	case OpCompl:
		r := fixed(vt)
		if isConst {
			c.constant(u, Const{Int: truncate(^k.Int, r)})
		}
		return r
	}
	return Invalid
}

// addrOf checks &$x and &p->field.
func (c *checker) addrOf(u *UnaryExpr) *Type {
	switch x := u.X.(type) {
	case *Var:
		t := c.expr(x)
		if t.IsInvalid() {
			return Invalid
		}
		return PointerType(t, SpaceKernel)
	case *FieldExpr:
		t := c.expr(x)
		if t.IsInvalid() {
			return Invalid
		}
		if pt := c.info.TypeOf(x.X); pt.Kind == KindPointer {
			return PointerType(t, pt.Space)
		}
	}
	c.errorf(u, "& takes a scratch variable or a member reached through a pointer")
	return Invalid
}

// incDec checks ++ and --: on a map (which starts at 0) or an assigned
// scratch variable holding an integer.
func (c *checker) incDec(u *UnaryExpr) *Type {
	switch x := u.X.(type) {
	case *MapExpr:
		info, ok := c.mapInfo(x)
		c.record(x, Void)
		if !ok {
			return Invalid
		}
		t, good := info.Value, info.Value != nil && info.Value.Kind == KindPointer
		if !good {
			// A map that holds no pointer starts at 0, an integer.
			t, good = unify(info.Value, Int64)
		}
		if !good {
			c.errorf(u, "%s holds %s; %s needs an integer or a pointer", x.Name, info.Value, u.Op)
			return Invalid
		}
		c.setMapValue(info, t)
		c.observeMap(info, x, false)
		return t
	case *Var:
		t := c.expr(x)
		if t.IsInvalid() {
			return Invalid
		}
		if t.Kind != KindInt && t.Kind != KindPointer {
			c.errorf(u, "%s holds %s; %s needs an integer or a pointer", c.varName(x.Name), t, u.Op)
			return Invalid
		}
		if v := c.lookupVar(x.Name); v != nil && !v.Declared && t.Kind == KindInt {
			// As in bpftrace, ++ and -- store a 64-bit value, signed
			// for -- or a signed variable: `$i = 0; $i++` counts past
			// the int8 its literal gave it.
			if c.assignTo(v, IntType(8, t.Signed || u.Op == OpPreDec || u.Op == OpPostDec), u) {
				t = v.Type
			}
		}
		return t
	}
	c.errorf(u, "%s applies only to maps and scratch variables", u.Op)
	return Invalid
}

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
		c.constant(e, Const{Str: e.Value, IsStr: true})
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
// header constant, a kernel enum constant.
func (c *checker) ident(id *Ident) *Type {
	switch id.Name {
	case "true", "false":
		c.constant(id, Const{Int: b2i(id.Name == "true")})
		return Bool
	}
	if b := lookupBuiltin(id.Name); b != BuiltinInvalid {
		c.info.Builtins[id] = b
		return c.builtin(id, b)
	}
	if v, ok := c.defines[id.Name]; ok {
		c.constant(id, Const{Int: uint64(v)})
		return constType(v)
	}
	if c.env != nil {
		if v, ok := c.env.EnumValue(id.Name); ok {
			c.constant(id, Const{Int: uint64(v)})
			return constType(v)
		}
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
		return strings.TrimSuffix(t.String(), "_t")
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
	if t.Kind == KindPointer && t.Elem.Kind == KindStruct {
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
		if !ok {
			d := c.errorSpan(f.FieldPos, f.End(), "%s has no field %q", t, f.Field)
			didYouMean(d, f.Field, c.fieldNames(t))
			return Invalid
		}
		c.info.Fields[f] = rf
		return rf.Type
	}
	d := c.errorSpan(f.FieldPos, f.End(), "%s has no field %q: only structs, tuples and records have fields", t, f.Field)
	if m, ok := f.X.(*MapExpr); ok && c.info.Maps[m.Name] != nil && c.info.Maps[m.Name].guessed {
		d.Hint = guessedHint(c.info.Maps[m.Name])
	}
	return Invalid
}

// argsField checks args.f on tracepoints: every tracepoint of the probe
// must have the field, with one type.
func (c *checker) argsField(f *FieldExpr) *Type {
	var typ *Type
	for _, ap := range c.probe.Points {
		tf := c.info.Tracepoints[ap]
		if tf == nil {
			return Invalid
		}
		fld := tf.Field(f.Field)
		if fld == nil {
			d := c.errorSpan(f.FieldPos, f.End(), "%s has no field %q", argsOwner(ap, tf), f.Field)
			var names []string
			for _, x := range tf.Fields {
				names = append(names, x.Name)
			}
			didYouMean(d, f.Field, names)
			return Invalid
		}
		ft := c.tracepointFieldType(fld)
		if ft == nil {
			c.errorSpan(f.FieldPos, f.End(), "field %s of type %s is not supported", f.Field, fld.CType)
			return Invalid
		}
		if typ != nil && !typ.Equal(ft) {
			c.errorf(f, "field %s is %s in one tracepoint of this probe and %s in another", f.Field, typ, ft)
			return Invalid
		}
		typ = ft
	}
	return typ
}

// argsOwner names what has the args of ap in messages.
func argsOwner(ap *AttachPoint, tf *TracepointFormat) string {
	switch ap.Kind {
	case ProbeRawtracepoint:
		return "raw tracepoint " + tf.Name
	case ProbeFentry, ProbeFexit:
		return "function " + tf.Name
	}
	return "tracepoint " + tf.Category + ":" + tf.Name
}

// tracepointFieldType completes a field's type with kernel types: a
// pointer to a struct becomes a pointer the script can follow.
func (c *checker) tracepointFieldType(f *TracepointField) *Type {
	if f.Type != nil && f.Type.Kind == KindInt && c.env != nil {
		return c.narrowField(f)
	}
	if f.Type == nil || f.Type.Kind != KindPointer || f.DataLoc || c.env == nil {
		return f.Type
	}
	name := trimSuffixSpace(unqualified(f.CType), "*")
	if name == "char" || name == "void" {
		return f.Type
	}
	elem, err := c.env.KernelType(name)
	if err != nil {
		return f.Type
	}
	return PointerType(elem, f.Type.Space)
}

// unqualified drops const and volatile from the front of a C type.
func unqualified(ctype string) string {
	for _, q := range []string{"const ", "volatile "} {
		ctype = trimWord(ctype, q)
	}
	return ctype
}

// narrowField types an integer field by its C type where the record
// gives it more room: the syscalls tracepoints keep every argument in 8
// bytes, so kill's `pid_t pid` is an int, -1 and not 4294967295, as with
// bpftrace (whose args come from BTF).
func (c *checker) narrowField(f *TracepointField) *Type {
	t, err := c.env.KernelType(unqualified(f.CType))
	if err != nil || t.Kind != KindInt || t.Size >= f.Type.Size {
		return f.Type
	}
	return IntType(t.Size, t.Signed)
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
			c.constant(u, Const{Int: -truncate(k.Int, vt)})
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
		return t
	}
	c.errorf(u, "%s applies only to maps and scratch variables", u.Op)
	return Invalid
}

func b2i(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// truncate keeps the bits of v that a value of t holds, extended back to 64.
func truncate(v uint64, t *Type) uint64 {
	if t.Size >= 8 || t.Kind != KindInt && t.Kind != KindBool {
		return v
	}
	shift := 64 - 8*t.Size
	if t.Signed {
		return uint64(int64(v<<shift) >> shift)
	}
	return v << shift >> shift
}

func (c *checker) binary(b *BinaryExpr) *Type {
	xt := c.expr(b.X)
	return c.binaryOf(b, xt, c.expr(b.Y))
}

// binaryOf checks b, whose operands have been checked: they are of types
// xt and yt.
func (c *checker) binaryOf(b *BinaryExpr, xt, yt *Type) *Type {
	if xt.IsInvalid() || yt.IsInvalid() {
		return Invalid
	}
	opErr := func() *Type {
		c.errorSpan(b.OpPos, endOf(b.OpPos, b.Op.String()), "operator %s cannot be applied to %s and %s", b.Op, xt, yt).Hint = operandHint(b.Op, xt, yt)
		return Invalid
	}
	switch {
	case xt.Kind == KindString || yt.Kind == KindString:
		if xt.Kind != yt.Kind || b.Op != OpEq && b.Op != OpNe {
			return opErr()
		}
		kx, okx := c.info.Consts[b.X]
		ky, oky := c.info.Consts[b.Y]
		if okx && oky {
			c.constant(b, Const{Int: b2i((kx.Str == ky.Str) == (b.Op == OpEq))})
		}
		return Bool
	case xt.Kind == KindBuffer && yt.Kind == KindBuffer:
		// Buffers are equal when their lengths and bytes are, whatever
		// their sizes.
		if b.Op != OpEq && b.Op != OpNe {
			return opErr()
		}
		return Bool
	case compoundKind(xt) || compoundKind(yt):
		if !xt.Equal(yt) || b.Op != OpEq && b.Op != OpNe {
			return opErr()
		}
		return Bool
	case !xt.IsInteger() || !yt.IsInteger():
		return opErr()
	case xt.Kind == KindPointer || yt.Kind == KindPointer:
		return c.pointerArith(b, xt, yt, opErr)
	case b.Op.IsLogical() || b.Op.IsComparison():
		c.fold(b, xt.ValueType(), yt.ValueType(), Bool)
		return Bool
	case xt.Kind == KindBool && yt.Kind == KindBool:
		c.fold(b, xt, yt, Bool)
		return Bool
	}
	if c.dividesByZero(b.Op, b.Y, yt) {
		return Invalid
	}
	t := arithType(b.Op, xt.ValueType(), yt.ValueType())
	c.fold(b, xt.ValueType(), yt.ValueType(), t)
	return t
}

// dividesByZero reports a division or remainder whose divisor is the
// constant 0.
func (c *checker) dividesByZero(op Op, y Expr, yt *Type) bool {
	if op != OpDiv && op != OpMod {
		return false
	}
	if k, ok := c.info.Consts[y]; !ok || k.IsStr || truncate(k.Int, intView(yt.ValueType())) != 0 {
		return false
	}
	c.errorf(y, "division by zero")
	return true
}

// compoundKind reports whether values of t live in memory and compare
// byte for byte: tuples, records, arrays.
func compoundKind(t *Type) bool {
	return t.Kind == KindTuple || t.Kind == KindRecord || t.Kind == KindArray
}

// pointerArith checks pointer ± integer (scaled by the pointee's size, as
// in C) and comparisons of pointers.
func (c *checker) pointerArith(b *BinaryExpr, xt, yt *Type, opErr func() *Type) *Type {
	switch {
	case b.Op.IsComparison() || b.Op.IsLogical():
		return Bool
	case xt.Kind == KindPointer && yt.Kind == KindPointer:
		return opErr()
	case b.Op == OpAdd:
		if xt.Kind == KindPointer {
			return xt
		}
		return yt
	case b.Op == OpSub && xt.Kind == KindPointer:
		return xt
	}
	return opErr()
}

func operandHint(op Op, x, y *Type) string {
	if x.Kind == KindString && y.Kind == KindString {
		return "strings compare with == and != only"
	}
	return ""
}

// fold computes b when both operands are constants.
func (c *checker) fold(b *BinaryExpr, xt, yt, t *Type) {
	kx, okx := c.info.Consts[b.X]
	ky, oky := c.info.Consts[b.Y]
	if !okx || !oky {
		return
	}
	xa, ya := adaptSign(intView(xt), intView(yt))
	signed := xa.Signed || ya.Signed
	x, y := truncate(kx.Int, xa), truncate(ky.Int, ya)
	var r uint64
	switch b.Op {
	case OpOr:
		r = b2i(x != 0 || y != 0)
	case OpAnd:
		r = b2i(x != 0 && y != 0)
	case OpBitOr:
		r = x | y
	case OpBitXor:
		r = x ^ y
	case OpBitAnd:
		r = x & y
	case OpEq:
		r = b2i(x == y)
	case OpNe:
		r = b2i(x != y)
	case OpLt, OpLe, OpGt, OpGe:
		r = b2i(compare(b.Op, x, y, signed))
	case OpShl:
		r = shift(x, y, true)
	case OpShr:
		r = shift(x, y, false)
	case OpAdd:
		r = x + y
	case OpSub:
		r = x - y
	case OpMul:
		r = x * y
	case OpDiv, OpMod:
		if y == 0 {
			return // reported by dividesByZero
		}
		r = divide(b.Op, x, y, signed)
	}
	c.constant(b, Const{Int: truncate(r, intView(t))})
}

// shift shifts x by y bits. A right shift is logical, whatever x's type,
// as bpftrace computes it; by 64 bits or more the result is 0.
func shift(x, y uint64, left bool) uint64 {
	switch {
	case y >= 64:
		return 0
	case left:
		return x << y
	}
	return x >> y
}

func compare(op Op, x, y uint64, signed bool) bool {
	var less bool
	if signed {
		less = int64(x) < int64(y)
	} else {
		less = x < y
	}
	equal := x == y
	switch op {
	case OpLt:
		return less
	case OpLe:
		return less || equal
	case OpGt:
		return !less && !equal
	}
	return !less
}

// divide divides as BPF does: signed division truncates toward zero; the
// most negative number divided by -1 is itself.
func divide(op Op, x, y uint64, signed bool) uint64 {
	if signed {
		if int64(y) == -1 {
			if op == OpDiv {
				return -x
			}
			return 0
		}
		if op == OpDiv {
			return uint64(int64(x) / int64(y))
		}
		return uint64(int64(x) % int64(y))
	}
	if op == OpDiv {
		return x / y
	}
	return x % y
}

func (c *checker) cond(e *CondExpr) *Type {
	c.checkCond(e.Cond)
	tt, et := c.expr(e.Then), c.expr(e.Else)
	if tt.IsInvalid() || et.IsInvalid() {
		return Invalid
	}
	if k, ok := c.info.Consts[e.Cond]; ok {
		// A constant condition picks its branch at compile time.
		chosen := e.Else
		if k.Int != 0 {
			chosen = e.Then
		}
		if v, ok := c.info.Consts[chosen]; ok && v.IsStr == (tt.Kind == KindString) && tt.Kind == et.Kind {
			c.constant(e, v)
		}
	}
	switch {
	case tt.Kind == KindVoid && et.Kind == KindVoid:
		return Void
	case tt.Kind == KindBool && et.Kind == KindBool:
		return Bool
	case tt.IsInteger() && et.IsInteger() && tt.Kind != KindPointer && et.Kind != KindPointer:
		return fixed(Promote(tt.ValueType(), et.ValueType()))
	}
	if t, ok := unify(tt, et); ok && tt.Kind != KindVoid {
		if !c.fits(e, t, "the branches of ?: make") {
			return Invalid
		}
		return t
	}
	c.errorSpan(e.Then.Start(), e.Else.End(), "the branches of ?: must have the same type, not %s and %s", tt, et)
	return Invalid
}

// cast checks (T)x: integers to integers (truncating or extending),
// integers and pointers to pointers, integers to and from integer arrays
// of the same size.
func (c *checker) cast(e *CastExpr) *Type {
	xt := c.expr(e.X)
	to := c.resolveType(e.Type, c.probeSpace())
	if xt.IsInvalid() || to.IsInvalid() {
		return Invalid
	}
	k, isConst := c.info.Consts[e.X]
	switch {
	case to.Kind == KindInt && (xt.IsInteger()):
		if isConst && !k.IsStr {
			c.constant(e, Const{Int: truncate(k.Int, to)})
		}
		return to
	case to.Kind == KindBool && xt.IsInteger():
		if isConst && !k.IsStr {
			c.constant(e, Const{Int: b2i(k.Int != 0)})
		}
		return Bool
	case to.Kind == KindPointer && (xt.Kind == KindInt || xt.Kind == KindPointer):
		if xt.Kind == KindPointer && e.Type.Suffixes[len(e.Type.Suffixes)-1] == "*" {
			to = PointerType(to.Elem, xt.Space) // a cast keeps the address space
		}
		return to
	case to.Kind == KindArray && to.Elem.Kind == KindInt && (xt.Kind == KindInt || xt.Kind == KindArray):
		if to.Len == 0 && xt.Size%to.Elem.Size == 0 {
			to = ArrayType(to.Elem, xt.Size/to.Elem.Size)
		}
		if to.Size != xt.Size {
			c.errorf(e, "a cast between an integer and an array needs the same size: %s is %d bytes, %s is %d", xt, xt.Size, to, to.Size)
			return Invalid
		}
		return to
	case to.Kind == KindInt && xt.Kind == KindArray && xt.Elem.Kind == KindInt:
		if to.Size != xt.Size {
			c.errorf(e, "a cast between an array and an integer needs the same size: %s is %d bytes, %s is %d", xt, xt.Size, to, to.Size)
			return Invalid
		}
		return to
	case to.Kind == KindString && xt.Kind == KindString:
		return StringType(min(to.Size, xt.Size))
	}
	c.errorf(e, "cannot cast %s to %s", xt, to)
	return Invalid
}

func (c *checker) tuple(e *TupleExpr) *Type {
	elems := make([]*Type, len(e.Elems))
	unknown := false
	for i, x := range e.Elems {
		t := c.expr(x)
		switch {
		case unknown:
		case t.IsInvalid() && c.settling():
			unknown = true // the rest may read maps in their own assignment
		case t.IsInvalid():
			return Invalid
		case !storable(t):
			c.errorf(x, "a tuple cannot hold %s", t)
			return Invalid
		default:
			elems[i] = fixed(t)
		}
	}
	if unknown {
		return Invalid
	}
	if t := TupleType(elems); c.fits(e, t, "this is") {
		return t
	}
	return Invalid
}

func (c *checker) recordExpr(e *RecordExpr) *Type {
	elems := make([]*Type, len(e.Elems))
	seen := map[string]bool{}
	unknown := false
	for i, x := range e.Elems {
		if seen[e.Names[i]] {
			// The name is written before the value: "name = value".
			start, end := x.Start(), x.End()
			before := c.src.For(e).Snippet(e.Elems[i-1].End().Offset, x.Start().Offset)
			if j := strings.LastIndex(before, e.Names[i]); j >= 0 {
				start = c.src.For(e).Pos(e.Elems[i-1].End().Offset + j)
				end = endOf(start, e.Names[i])
			}
			c.errorSpan(start, end, "the record has two fields named %s", e.Names[i])
			return Invalid
		}
		seen[e.Names[i]] = true
		t := c.expr(x)
		switch {
		case unknown:
		case t.IsInvalid() && c.settling():
			unknown = true // the rest may read maps in their own assignment
		case t.IsInvalid():
			return Invalid
		case !storable(t):
			c.errorf(x, "a record cannot hold %s", t)
			return Invalid
		default:
			elems[i] = fixed(t)
		}
	}
	if unknown {
		return Invalid
	}
	if t := RecordType(e.Names, elems); c.fits(e, t, "this is") {
		return t
	}
	return Invalid
}

// storable reports whether values of t can be stored in variables, maps,
// tuples and records.
func storable(t *Type) bool {
	if t.IsAggregation() {
		return false
	}
	switch t.Kind {
	case KindInvalid, KindVoid, KindCtx:
		return false
	}
	return true
}

// typeOf resolves the operand of sizeof and offsetof: a type, or the type
// of an expression that is not run.
func (c *checker) typeOf(te *TypeExpr, x Expr) *Type {
	if te != nil {
		return c.resolveType(te, c.probeSpace())
	}
	return c.expr(x)
}

func (c *checker) sizeof(e *SizeofExpr) *Type {
	t := c.typeOf(e.Type, e.X)
	if t.IsInvalid() {
		return Invalid
	}
	if t.Kind == KindVoid || t.Size == 0 && t.Kind != KindArray {
		c.errorf(e, "%s has no size", t)
		return Invalid
	}
	size := t.Size
	if t.IsScalar() && t.Kind != KindBool {
		size = max(size, 1)
	}
	c.constant(e, Const{Int: uint64(size)})
	return Uint64
}

func (c *checker) offsetof(e *OffsetofExpr) *Type {
	t := c.typeOf(e.Type, e.X)
	if t.IsInvalid() {
		return Invalid
	}
	off := 0
	// The field path follows the last comma; find each name in it so that
	// errors point at the name.
	text := c.src.For(e).Snippet(e.Start().Offset, e.End().Offset)
	at := e.Start().Offset + strings.LastIndexByte(text, ',') + 1
	for _, name := range e.Path {
		start, end := e.Start(), e.End()
		if i := strings.Index(c.src.For(e).Snippet(at, e.End().Offset), name); i >= 0 {
			at += i
			start = c.src.For(e).Pos(at)
			at += len(name)
			end = endOf(start, name)
		}
		if t.Kind != KindStruct {
			c.errorSpan(start, end, "%s has no field %q: only structs have fields", t, name)
			return Invalid
		}
		rf, ok := c.findField(t, name)
		if !ok {
			d := c.errorSpan(start, end, "%s has no field %q", t, name)
			didYouMean(d, name, c.fieldNames(t))
			return Invalid
		}
		off += rf.Offset
		t = rf.Type
	}
	c.constant(e, Const{Int: uint64(off)})
	return Uint64
}

func (c *checker) blockExpr(e *BlockExpr) *Type {
	c.pushScope()
	defer c.popScope()
	for _, s := range e.Stmts {
		c.checkStmt(s)
	}
	if e.Value == nil {
		return Void
	}
	t := c.expr(e.Value)
	if k, ok := c.info.Consts[e.Value]; ok && len(e.Stmts) == 0 {
		c.constant(e, k)
	}
	return t
}

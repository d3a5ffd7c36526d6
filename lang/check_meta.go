package lang

import (
	"fmt"
	"strconv"
	"strings"
)

// The compile-time helpers of bpftrace's standard library: type
// predicates (is_str, is_ptr, ...), static_assert, fail, assert_str and
// the kfunc checks. Each is a constant or a compile-time error; none
// runs. Code a constant condition rules out is dead (c.dead): a fail or
// static_assert there reports nothing, as bpftrace's `if comptime` does.

// checkTypePredicate checks is_str(x), is_ptr, is_array, is_integer and
// is_unsigned_integer: a bool constant from the type of x, which is not
// evaluated.
func (c *checker) checkTypePredicate(call *Call) *Type {
	t := c.expr(call.Args[0])
	if t.IsInvalid() {
		return Invalid
	}
	var yes bool
	switch c.info.Funcs[call] {
	case FuncIsStr:
		yes = t.Kind == KindString
	case FuncIsPtr:
		yes = t.Kind == KindPointer
	case FuncIsArray:
		yes = t.Kind == KindArray
	case FuncIsInteger:
		yes = t.Kind == KindInt
	case FuncIsUnsignedInteger:
		yes = t.Kind == KindInt && !t.Signed
	}
	c.constant(call, Const{Int: b2i(yes)})
	return Bool
}

// checkIsLiteral checks is_literal(x): whether x is written as a literal
// (1, -1, "hello", true), which a macro's parameter may be.
func (c *checker) checkIsLiteral(call *Call) *Type {
	x := call.Args[0]
	c.expr(x)
	c.constant(call, Const{Int: b2i(isLiteral(x))})
	return Bool
}

// isLiteral reports whether x is an integer, string or bool literal, or
// a negated integer literal.
func isLiteral(x Expr) bool {
	switch x := x.(type) {
	case *IntLit, *StrLit:
		return true
	case *Ident:
		return x.Name == "true" || x.Name == "false"
	case *UnaryExpr:
		_, ok := x.X.(*IntLit)
		return ok && x.Op == OpNeg
	}
	return false
}

// checkStaticAssert checks static_assert(cond, msg): cond must be known
// at compile time; when it is false (and the code is not dead) the script
// is refused with msg.
func (c *checker) checkStaticAssert(call *Call) *Type {
	ct, mt := c.expr(call.Args[0]), c.expr(call.Args[1])
	if ct.IsInvalid() || mt.IsInvalid() || c.dead > 0 {
		return Void
	}
	k, ok := c.info.Consts[call.Args[0]]
	if !ok || k.IsStr || !ct.IsInteger() {
		c.errorf(call.Args[0], "static_assert's condition must be an integer or bool known at compile time")
		return Void
	}
	msg, ok := c.info.Consts[call.Args[1]]
	if !ok || !msg.IsStr {
		c.errorf(call.Args[1], "static_assert's message must be a string literal")
		return Void
	}
	if k.Int == 0 {
		c.calledFrom(c.errorf(call, "static assertion failed: %s", msg.Str), call)
	}
	return Void
}

// checkFail checks fail(fmt, args...): the script is refused, with the
// message formatted at compile time, unless the call is in dead code.
// Its arguments must be known at compile time.
func (c *checker) checkFail(call *Call) *Type {
	var vals []Const
	var types []*Type
	for _, a := range call.Args {
		t := c.expr(a)
		if t.IsInvalid() || c.dead > 0 {
			continue // dead: not visited, as bpftrace's if comptime prunes it
		}
		k, ok := c.info.Consts[a]
		if !ok {
			c.errorf(a, "fail's arguments must be known at compile time: literals, constants, positional parameters")
			return Void
		}
		vals, types = append(vals, k), append(types, t)
	}
	if len(vals) < len(call.Args) {
		return Void
	}
	if !vals[0].IsStr {
		c.errorf(call.Args[0], "fail's first argument must be a string literal")
		return Void
	}
	format, ferr := ParseFormat(vals[0].Str)
	if ferr != nil {
		start, end := c.formatSpan(call.Args[0], ferr.Start, ferr.End)
		c.errorSpan(start, end, "%s", ferr.Msg)
		return Void
	}
	if len(format.Verbs) != len(vals)-1 {
		c.errorf(call, "the format has %s but fail was given %s", plural(len(format.Verbs), "conversion"), plural(len(vals)-1, "argument"))
		return Void
	}
	c.calledFrom(c.errorf(call, "%s", formatConst(format, vals[1:], types[1:])), call)
	return Void
}

// calledFrom says, in d's hint, which macro calls n came from: the
// script's call is where to look for the cause.
func (c *checker) calledFrom(d *Diagnostic, n Node) {
	if c.probe == nil {
		return
	}
	var parts []string
	for _, be := range MacroSites(c.probe, n) {
		parts = append(parts, fmt.Sprintf("macro %s, called at %s", be.Macro, be.Start()))
	}
	if len(parts) > 0 {
		d.Hint = "in " + strings.Join(parts, ", in ")
	}
}

// formatConst formats constants as printf would.
func formatConst(f *Format, vals []Const, types []*Type) string {
	var b strings.Builder
	i := 0
	for _, p := range f.Parts {
		if p.Verb == nil {
			b.WriteString(p.Lit)
			continue
		}
		v, k, t := p.Verb, vals[i], types[i]
		i++
		spec := "%" + v.Flags
		if v.Width >= 0 {
			spec += strconv.Itoa(v.Width)
		}
		if v.Prec >= 0 {
			spec += "." + strconv.Itoa(v.Prec)
		}
		switch {
		case k.IsStr:
			b.WriteString(fmt.Sprintf(spec+"s", k.Str))
		case v.Conv == 'x' || v.Conv == 'X' || v.Conv == 'o' || v.Conv == 'c':
			b.WriteString(fmt.Sprintf(spec+string(v.Conv), k.Int))
		case v.Conv == 'u' || !t.Signed:
			b.WriteString(fmt.Sprintf(spec+"d", k.Int))
		default:
			b.WriteString(fmt.Sprintf(spec+"d", int64(k.Int)))
		}
	}
	return b.String()
}

// checkAssertStr checks assert_str(x): x must be string-like, a string,
// an array of int8 or a pointer to int8, as bpftrace's string helpers
// require.
func (c *checker) checkAssertStr(call *Call) *Type {
	t := c.expr(call.Args[0])
	if t.IsInvalid() || c.dead > 0 {
		return Void
	}
	switch t.Kind {
	case KindString:
	case KindArray:
		if !isChar(t.Elem) {
			c.errorf(call.Args[0], "string-like arrays must contain a char-like type, not %s", t.Elem)
		}
	case KindPointer:
		if !isChar(t.Elem) {
			c.errorf(call.Args[0], "string-like pointers must point to a char-like type, not %s", t.Elem)
		}
	default:
		c.errorf(call.Args[0], "string-like values must be either strings, arrays or pointers, not %s", t)
	}
	return Void
}

// isChar reports whether t is a char: int8 (bpftrace's test is
// typeinfo(int8)), or uint8.
func isChar(t *Type) bool { return t != nil && t.Kind == KindInt && t.Size == 1 }

// checkKfunc checks kfunc_exist("name") and kfunc_allowed("name"): a bool
// constant, whether the kernel's BTF has the kernel function and, for
// kfunc_allowed, whether the programs of this probe may call it.
func (c *checker) checkKfunc(call *Call) *Type {
	f := c.info.Funcs[call]
	t := c.expr(call.Args[0])
	if t.IsInvalid() {
		return Invalid
	}
	k, ok := c.info.Consts[call.Args[0]]
	if _, lit := call.Args[0].(*StrLit); !ok || !k.IsStr || !lit {
		c.errorf(call.Args[0], "%s() accepts a string literal only", f)
		return Invalid
	}
	yes := c.kfuncExists(k.Str)
	if yes && f == FuncKfuncAllowed {
		if !c.pointsKnown() {
			return Invalid
		}
		for _, kind := range c.points.kinds {
			if c.env.KfuncAllowed(k.Str, kind) != nil {
				yes = false
			}
		}
	}
	c.constant(call, Const{Int: b2i(yes)})
	return Bool
}

// KfuncLister is what an Env may also tell: whether the kernel's BTF has a
// kernel function. Without it, no kernel function exists.
type KfuncLister interface {
	KfuncExists(name string) bool
}

// kfuncExists reports whether the kernel has the kernel function name.
func (c *checker) kfuncExists(name string) bool {
	l, ok := c.env.(KfuncLister)
	return ok && l.KfuncExists(name)
}

// funcWrapped are the functions that also have a __builtin_NAME
// spelling, which bpftrace's standard library's macros use.
var funcWrapped = map[Func]bool{
	FuncIsLiteral: true, FuncKfuncExist: true, FuncKfuncAllowed: true, FuncUaddr: true, FuncSignalNum: true,
}

// funcPrefixOnly are the functions spelt __builtin_NAME only.
var funcPrefixOnly = map[Func]bool{FuncSignalNum: true}

// checkSignalNum checks __builtin_signal_num("SIGINT"): the number of a
// signal named by a string literal ("SIGINT", "INT", "2"), a constant.
func (c *checker) checkSignalNum(call *Call) *Type {
	arg := call.Args[0]
	t := c.expr(arg)
	if t.IsInvalid() {
		return Invalid
	}
	k, ok := c.info.Consts[arg]
	if !ok || !k.IsStr {
		c.errorf(arg, "__builtin_signal_num takes a signal name, a string literal")
		return Invalid
	}
	n, ok := signalNumber(k.Str)
	if !ok {
		c.errorf(arg, "unknown signal %q", k.Str)
		return Invalid
	}
	c.constant(call, Const{Int: uint64(n)})
	return Uint32
}

// checkComptime checks that the condition of `if comptime` is known at
// compile time.
func (c *checker) checkComptime(s *IfStmt) {
	if !s.Comptime || c.info.TypeOf(s.Cond).IsInvalid() {
		return
	}
	if k, ok := c.info.Consts[s.Cond]; !ok || k.IsStr {
		c.errorf(s.Cond, "the condition of if comptime must be known at compile time")
	}
}

// deadIf runs check with the code counted dead when dead is true.
func (c *checker) deadIf(dead bool, check func()) {
	if dead {
		c.dead++
		defer func() { c.dead-- }()
	}
	check()
}

// branchesDead says which branches of an if a constant condition rules
// out: then when it is false, else when it is true.
func (c *checker) branchesDead(cond Expr) (thenDead, elseDead bool) {
	k, ok := c.info.Consts[cond]
	if !ok || k.IsStr {
		return false, false
	}
	return k.Int == 0, k.Int != 0
}

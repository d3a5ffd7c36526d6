package lang

import (
	"fmt"
	"strconv"
	"strings"
)

// checkCall checks a call. assigned is true when the call is the whole
// value of a map assignment, where aggregations belong.
func (c *checker) checkCall(call *Call, assigned bool) *Type {
	f := lookupFunc(call.Name)
	if f == FuncInvalid {
		if b := lookupBuiltin(call.Name); b != BuiltinInvalid {
			return c.builtinCall(call, b)
		}
		if c.macro(call.Name) != nil {
			// A macro call left unexpanded: expandMacros said why.
			return Invalid
		}
		for _, a := range call.Args {
			c.expr(a)
		}
		if msg := notYet(call.Name); msg != "" {
			c.errorSpan(call.Pos, call.NameEnd, "%s", msg)
			return Invalid
		}
		d := c.errorSpan(call.Pos, call.NameEnd, "unknown function %q", call.Name)
		didYouMean(d, call.Name, funcNames())
		return Invalid
	}
	c.info.Funcs[call] = f
	info := &funcs[f]
	if info.aggregation && !assigned {
		c.errorf(call, "%s() cannot be used in an expression", call.Name).Hint =
			"assign it to a map on its own: @x = " + c.src.For(call).Snippet(call.Start().Offset, call.End().Offset)
		return Invalid
	}
	if n := len(call.Args); n < info.minArgs {
		c.errorf(call, "%s() takes %s, not %d", call.Name, argCount(info.minArgs, info.maxArgs), n)
		return Invalid
	} else if info.maxArgs >= 0 && n > info.maxArgs {
		c.extraArgs(call, info.maxArgs, "%s() takes %s, not %d", call.Name, argCount(info.minArgs, info.maxArgs), n)
		return Invalid
	}
	return info.check(c, call)
}

// builtinCall checks a builtin written as a call: pid() is pid, and
// nsecs(clock) picks a clock.
func (c *checker) builtinCall(call *Call, b Builtin) *Type {
	id := &Ident{Span: Span{call.Pos, call.NameEnd}, Name: call.Name}
	if b == BuiltinNsecs && len(call.Args) == 1 {
		clock, ok := call.Args[0].(*Ident)
		switch {
		case !ok:
			c.errorf(call.Args[0], "nsecs takes a clock: monotonic, boot, tai or sw_tai")
			return Invalid
		case !isClock(clock.Name):
			d := c.errorf(clock, "unknown clock %q (clocks: %s)", clock.Name, strings.Join(Clocks, ", "))
			didYouMean(d, clock.Name, Clocks)
			return Invalid
		}
		c.info.Builtins[id] = b
		c.info.Clocks[id] = clock.Name
		c.info.Rewrites[call] = id
		c.record(clock, Void)
		return c.record(id, Uint64)
	}
	if (b == BuiltinPid || b == BuiltinTid) && len(call.Args) == 1 {
		ns, ok := call.Args[0].(*Ident)
		if !ok || (ns.Name != "curr_ns" && ns.Name != "init" && ns.Name != "init_ns") {
			d := c.errorf(call.Args[0], "%s takes a pid namespace: curr_ns (hawk's, the default) or init", call.Name)
			if ok {
				didYouMean(d, ns.Name, []string{"curr_ns", "init"})
			}
			return Invalid
		}
		c.info.Builtins[id] = b
		if ns.Name != "curr_ns" {
			c.info.Namespaces[id] = "init"
		}
		c.info.Rewrites[call] = id
		c.record(ns, Void)
		return c.record(id, Uint32)
	}
	if b == BuiltinPpid && len(call.Args) == 1 {
		return c.ppidOf(call)
	}
	if relativeFields[b][0] != "" && len(call.Args) >= 1 {
		return c.relativeCall(call, b)
	}
	isStack := b == BuiltinKstack || b == BuiltinUstack || b == BuiltinDwUstack
	if isStack && len(call.Args) <= 2 {
		c.info.Builtins[id] = b
		c.info.Rewrites[call] = id
		return c.record(id, c.checkStackCall(call, b))
	}
	switch {
	case b == BuiltinNsecs && len(call.Args) > 1:
		c.extraArgs(call, 1, "nsecs takes at most 1 argument, a clock: monotonic, boot, tai or sw_tai")
		return Invalid
	case (b == BuiltinPid || b == BuiltinTid) && len(call.Args) > 1:
		c.extraArgs(call, 1, "%s takes at most 1 argument, a pid namespace: curr_ns or init", call.Name)
		return Invalid
	case isStack:
		c.extraArgs(call, 2, "%s takes at most 2 arguments: a stack mode and a limit", b)
		return Invalid
	case len(call.Args) > 0:
		c.extraArgs(call, 0, "%s takes no arguments", call.Name)
		return Invalid
	}
	c.info.Builtins[id] = b
	c.info.Rewrites[call] = id
	return c.record(id, c.builtin(id, b))
}

// extraArgs reports the arguments of call from the one at index from on,
// which are too many.
func (c *checker) extraArgs(call *Call, from int, format string, args ...any) *Diagnostic {
	return c.errorSpan(call.Args[from].Start(), call.Args[len(call.Args)-1].End(), format, args...)
}

// macro returns the script's macro called name (its first definition),
// or nil.
func (c *checker) macro(name string) *Macro {
	c.work.step(1)
	if c.macros == nil {
		c.macros = map[string]*Macro{}
		c.work.step(len(c.prog.Macros))
		for _, m := range c.prog.Macros {
			if c.macros[m.Name] == nil {
				c.macros[m.Name] = m
			}
		}
	}
	return c.macros[name]
}

func argCount(lo, hi int) string {
	switch {
	case hi < 0:
		return "at least " + plural(lo, "argument")
	case lo == hi:
		return plural(lo, "argument")
	case lo+1 == hi:
		return strconv.Itoa(lo) + " or " + plural(hi, "argument")
	}
	return "between " + strconv.Itoa(lo) + " and " + plural(hi, "argument")
}

func (c *checker) checkPrintf(call *Call) *Type {
	fmtArg, args := call.Args[0], call.Args[1:]
	ft := c.expr(fmtArg)
	types := make([]*Type, len(args))
	for i, a := range args {
		types[i] = c.expr(a)
	}
	k, ok := c.info.Consts[fmtArg]
	if ft.IsInvalid() {
		return Void
	}
	if !ok || !k.IsStr {
		c.errorf(fmtArg, "%s's first argument must be a string literal", call.Name)
		return Void
	}
	format, ferr := ParseFormat(k.Str)
	if ferr != nil {
		start, end := c.formatSpan(fmtArg, ferr.Start, ferr.End)
		c.errorSpan(start, end, "%s", ferr.Msg)
		return Void
	}
	c.info.Formats[call] = format
	// misfit is the first argument that does not suit its conversion, or
	// -1. When the counts differ, that is where one is missing or extra.
	misfit := -1
	for i, t := range types {
		if i < len(format.Verbs) && !t.IsInvalid() && format.Verbs[i].accepts(t) != "" {
			misfit = i
			break
		}
	}
	n := len(format.Verbs)
	switch {
	case len(args) < n:
		v := format.Verbs[len(args)]
		if misfit >= 0 {
			v = format.Verbs[misfit]
		}
		start, end := c.formatSpan(fmtArg, v.Start, v.End)
		c.errorSpan(start, end, "%s has no argument: the format has %s but %s was given %s",
			v.Spec, plural(n, "conversion"), call.Name, plural(len(args), "argument"))
	case len(args) > n && misfit >= 0:
		c.errorf(args[misfit], "the format has %s but %s was given %s",
			plural(n, "conversion"), call.Name, plural(len(args), "argument"))
	case len(args) > n:
		c.extraArgs(call, n+1, "the format has %s but %s was given %s",
			plural(n, "conversion"), call.Name, plural(len(args), "argument"))
	default:
		for i, t := range types {
			if !t.IsInvalid() {
				if msg := format.Verbs[i].accepts(t); msg != "" {
					c.errorf(args[i], "%s expects %s, not %s", format.Verbs[i].Spec, msg, t)
				}
			}
		}
	}
	return Void
}

// formatSpan is where the bytes [start, end) of a format string's value
// are written in the script: inside the literal, or the whole argument
// when it is not a literal.
func (c *checker) formatSpan(lit Expr, start, end int) (Pos, Pos) {
	from := lit.Start().Offset
	if _, ok := lit.(*StrLit); ok {
		raw := c.src.For(lit).Snippet(from, lit.End().Offset)
		if _, offsets, err := unquoteMap(raw); err == nil && end < len(offsets) {
			return c.src.For(lit).Pos(from + offsets[start]), c.src.For(lit).Pos(from + offsets[end])
		}
	}
	return lit.Start(), lit.End()
}

// stringArg checks an argument that must be a string.
//
// As in bpftrace v0.26's standard library, a string-like value stands for
// the string it holds: an array of chars (int8 or uint8), or a pointer to
// chars, whose string is read as str() reads it (the argument is rewritten
// to str(arg): at most max_strlen bytes, or the array's length).
func (c *checker) stringArg(call *Call, i int) (*Type, bool) {
	t := c.expr(call.Args[i])
	if t.IsInvalid() {
		return t, false
	}
	if isCharPtrOrArray(t) {
		arg := call.Args[i]
		at := Span{arg.Start(), arg.End()}
		x := &Call{Span: at, Name: "str", NameEnd: arg.Start(), Args: []Expr{arg}}
		if t = c.expr(x); t.IsInvalid() {
			return t, false
		}
		c.info.Rewrites[arg] = x
		return t, true
	}
	if t.Kind != KindString {
		d := c.errorf(call.Args[i], "%s() takes a string, a char array or a char pointer here, not %s", call.Name, t)
		if t.Kind == KindPointer {
			arg := call.Args[i]
			d.Hint = "str(" + c.src.For(arg).Snippet(arg.Start().Offset, arg.End().Offset) + ") reads the string it points to"
		}
		return t, false
	}
	return t, true
}

// isCharPtrOrArray reports whether t is a pointer to, or an array of,
// one-byte integers: a C string's storage.
func isCharPtrOrArray(t *Type) bool {
	return (t.Kind == KindPointer || t.Kind == KindArray) && isChar(t.Elem)
}

func (c *checker) checkStr(call *Call) *Type {
	var t *Type
	if b, ok := call.Args[0].(*BinaryExpr); ok && b.Op == OpAdd && (isParam(b.X) || isParam(b.Y)) {
		t = c.paramSuffix(b)
	} else {
		t = c.expr(call.Args[0])
	}
	size := c.settings.MaxStrlen
	if len(call.Args) == 2 {
		nt := c.expr(call.Args[1])
		if !nt.IsInvalid() && !nt.IsInteger() {
			c.errorf(call.Args[1], "str()'s length must be an integer, not %s", nt)
			return Invalid
		}
		if k, ok := c.info.Consts[call.Args[1]]; ok {
			n := int64(k.Int)
			if n <= 0 {
				c.errorf(call.Args[1], "str()'s length must be positive")
				return Invalid
			}
			size = int(min(n, int64(c.settings.MaxStrlen)))
		}
	}
	if p, ok := call.Args[0].(*Param); ok && p.N > 0 && !t.IsInvalid() {
		// str($N) is the parameter's text, a number's too (as in
		// bpftrace); a parameter not given reads as "".
		s := ""
		if p.N <= len(c.cfg.Params) {
			s = c.cfg.Params[p.N-1]
		}
		if len(s) >= size {
			s = s[:size-1]
		}
		c.constant(call, Const{Str: s, IsStr: true})
		return StringType(len(s) + 1)
	}
	switch {
	case t.IsInvalid():
		return Invalid
	case t.Kind == KindString:
		if k, ok := c.info.Consts[call.Args[0]]; ok {
			s := k.Str
			if len(s) >= size {
				s = s[:size-1]
			}
			c.constant(call, Const{Str: s, IsStr: true})
			return StringType(len(s) + 1)
		}
		return StringType(min(t.Size, size))
	case t.Kind == KindArray && t.Elem.Kind == KindInt && t.Elem.Size == 1:
		return StringType(min(t.Len+1, size))
	case t.Kind == KindPointer || t.Kind == KindInt:
		return StringType(size)
	}
	c.errorf(call.Args[0], "str() reads a string from a pointer or string, not %s", t)
	return Invalid
}

func isParam(e Expr) bool {
	p, ok := e.(*Param)
	return ok && p.N > 0
}

// paramSuffix checks `$N + K` (or `K + $N`) inside str(): as in bpftrace
// 0.17, where C's pointer arithmetic on the parameter's text, it is the
// text of a string parameter from offset K on. A numeric parameter adds.
func (c *checker) paramSuffix(b *BinaryExpr) *Type {
	p, k := b.X, b.Y
	if !isParam(p) {
		p, k = k, p
	}
	pt, kt := c.expr(p), c.expr(k)
	pk := c.info.Consts[p]
	if pt.IsInvalid() || kt.IsInvalid() || !pk.IsStr && p.(*Param).N <= len(c.cfg.Params) {
		// An addition, whose operands are checked (again, they would
		// double the work of each str($1 + ...) nested in k).
		xt, yt := pt, kt
		if p != b.X {
			xt, yt = kt, pt
		}
		return c.record(b, c.binaryOf(b, xt, yt))
	}
	name := fmt.Sprintf("$%d", p.(*Param).N)
	text := pk.Str // "" for a parameter not given
	off, isConst := c.info.Consts[k]
	if !isConst || off.IsStr || !kt.IsInteger() || int64(off.Int) < 0 || int64(off.Int) > int64(len(text)) {
		d := c.errorf(k, "str(%s + N) reads %s from offset N, a constant from 0 to %s's length, %d", name, name, name, len(text))
		d.Hint = fmt.Sprintf("%s is %q", name, text)
		if p.(*Param).N > len(c.cfg.Params) {
			d.Hint = fmt.Sprintf("%s is not given, so it reads as \"\"", name)
		}
		return c.record(b, Invalid)
	}
	suffix := text[off.Int:]
	lit := &StrLit{Span: b.Span, Value: suffix}
	t := StringType(len(suffix) + 1)
	c.constant(b, Const{Str: suffix, IsStr: true})
	c.constant(lit, Const{Str: suffix, IsStr: true})
	c.record(lit, t)
	c.info.Rewrites[b] = lit
	return c.record(b, t)
}

func (c *checker) checkCount(call *Call) *Type { return CountType }

func (c *checker) checkSum(call *Call) *Type {
	t := c.expr(call.Args[0])
	if t.IsInvalid() {
		return Invalid
	}
	if !t.IsInteger() || t.Kind == KindPointer {
		c.errorf(call.Args[0], "sum() adds integers, not %s", t)
		return Invalid
	}
	st := intView(t.ValueType())
	return SumType(st.Signed || st.Flexible)
}

func (c *checker) checkExit(call *Call) *Type {
	if len(call.Args) == 1 {
		t := c.expr(call.Args[0])
		if !t.IsInvalid() && !t.IsInteger() {
			c.errorf(call.Args[0], "exit()'s code must be an integer, not %s", t)
		}
	}
	return Void
}

func (c *checker) checkStrncmp(call *Call) *Type {
	_, ok1 := c.stringArg(call, 0)
	_, ok2 := c.stringArg(call, 1)
	_, ok3 := c.constArg(call, 2, "length", 0, 1<<31)
	if !ok1 || !ok2 || !ok3 {
		return Invalid
	}
	return Int64
}

func (c *checker) checkStrcontains(call *Call) *Type { return c.twoStrings(call, Bool) }

// twoStrings checks the two string arguments of a search (strcontains,
// strstr), whose result is of type t.
func (c *checker) twoStrings(call *Call, t *Type) *Type {
	_, ok1 := c.stringArg(call, 0)
	_, ok2 := c.stringArg(call, 1)
	if !ok1 || !ok2 {
		return Invalid
	}
	return t
}

func (c *checker) checkStrlen(call *Call) *Type {
	if _, ok := c.stringArg(call, 0); !ok {
		return Invalid
	}
	if k, ok := c.info.Consts[call.Args[0]]; ok {
		c.constant(call, Const{Int: uint64(len(k.Str))})
	}
	return Uint64
}

func (c *checker) checkStrstr(call *Call) *Type { return c.twoStrings(call, Int64) }

// checkBuf checks buf(p, n): n bytes at p, printed with %r. p is a
// pointer, an array, or a string (a literal, a char array such as comm):
// as in bpftrace 0.17, a string needs n, and buf reads no further than
// the string's size.
func (c *checker) checkBuf(call *Call) *Type {
	t := c.expr(call.Args[0])
	if t.IsInvalid() {
		if len(call.Args) == 2 && c.settling() {
			c.expr(call.Args[1]) // for the maps it reads
		}
		return Invalid
	}
	size := c.settings.MaxStrlen
	if t.Kind == KindString {
		size = min(size, t.Size)
	}
	switch {
	case t.Kind != KindPointer && t.Kind != KindInt && t.Kind != KindArray && t.Kind != KindString:
		c.errorf(call.Args[0], "buf() reads from a pointer, an array or a string, not %s", t)
		return Invalid
	case t.Kind == KindArray && len(call.Args) == 1:
		size = min(t.Size, size)
	case len(call.Args) == 1:
		d := c.errorf(call.Args[0], "buf() cannot tell how many bytes to read from %s", t)
		d.Hint = "give a length: buf(" + c.src.For(call).Snippet(call.Args[0].Start().Offset, call.Args[0].End().Offset) + ", N)"
		return Invalid
	}
	if len(call.Args) == 2 {
		nt := c.expr(call.Args[1])
		if nt.IsInvalid() {
			return Invalid
		}
		if !nt.IsInteger() {
			c.errorf(call.Args[1], "buf()'s length must be an integer, not %s", nt)
			return Invalid
		}
		if k, ok := c.info.Consts[call.Args[1]]; ok {
			if int64(k.Int) <= 0 {
				c.errorf(call.Args[1], "buf()'s length must be positive")
				return Invalid
			}
			size = int(min(int64(k.Int), int64(size)))
		}
	}
	return &Type{Kind: KindBuffer, Size: size}
}

// checkSpacePtr checks kptr(p) and uptr(p): the pointer, in another space.
func (c *checker) checkSpacePtr(call *Call) *Type {
	t := c.expr(call.Args[0])
	if t.IsInvalid() {
		return Invalid
	}
	space := SpaceKernel
	if call.Name == "uptr" {
		space = SpaceUser
	}
	switch t.Kind {
	case KindPointer:
		return PointerType(t.Elem, space)
	case KindInt:
		return PointerType(Uint8, space)
	}
	c.errorf(call.Args[0], "%s() takes a pointer, not %s", call.Name, t)
	return Invalid
}

func (c *checker) checkBswap(call *Call) *Type {
	t := c.expr(call.Args[0])
	if t.IsInvalid() {
		return Invalid
	}
	if t.Kind != KindInt {
		c.errorf(call.Args[0], "bswap() takes an integer, not %s", t)
		return Invalid
	}
	r := IntType(t.Size, false)
	if k, ok := c.info.Consts[call.Args[0]]; ok {
		var v uint64
		for i := 0; i < t.Size; i++ {
			v = v<<8 | (k.Int>>(8*i))&0xff
		}
		c.constant(call, Const{Int: v})
	}
	return r
}

// ppidOf checks ppid(task): the parent process's id of a task, read as
// ppid reads curtask's, task->real_parent->tgid.
func (c *checker) ppidOf(call *Call) *Type {
	task := call.Args[0]
	t := c.expr(task)
	if t.IsInvalid() {
		return Invalid
	}
	if t.Kind != KindPointer || t.Elem.Kind != KindStruct || t.Elem.Name != "task_struct" {
		c.errorf(task, "ppid takes a struct task_struct *, not %s", t)
		return Invalid
	}
	return c.parentPid(call, task, Span{call.Pos, call.EndPos})
}

// parentPid rewrites n, ppid or ppid(task), to task->real_parent->tgid
// (at span at): the parent process's id, its thread group's, as bpftrace
// reports it.
func (c *checker) parentPid(n Expr, task Expr, at Span) *Type {
	parent := &FieldExpr{Span: at, X: task, Field: "real_parent", FieldPos: at.Pos, Arrow: true}
	pid := &FieldExpr{Span: at, X: parent, Field: "tgid", FieldPos: at.Pos, Arrow: true}
	t := c.expr(pid)
	if t.IsInvalid() {
		return Invalid
	}
	c.info.Rewrites[n] = pid
	return t
}

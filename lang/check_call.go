package lang

import "strconv"

// checkCall checks a call. assigned is true when the call is the whole
// value of a map assignment, where aggregations belong.
func (c *checker) checkCall(call *Call, assigned bool) *Type {
	f := lookupFunc(call.Name)
	if f == FuncInvalid {
		if b := lookupBuiltin(call.Name); b != BuiltinInvalid {
			return c.builtinCall(call, b)
		}
		d := c.errorSpan(call.Pos, call.NameEnd, "unknown function %q", call.Name)
		didYouMean(d, call.Name, funcNames())
		for _, a := range call.Args {
			c.expr(a)
		}
		return Invalid
	}
	c.info.Funcs[call] = f
	info := &funcs[f]
	if info.aggregation && !assigned {
		c.errorf(call, "%s() must be assigned to a map, e.g. @x = %s(...)", call.Name, call.Name)
		return Invalid
	}
	if n := len(call.Args); n < info.minArgs || info.maxArgs >= 0 && n > info.maxArgs {
		c.errorf(call, "%s() takes %s, not %d", call.Name, argCount(info.minArgs, info.maxArgs), n)
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
			c.errorf(call.Args[0], "nsecs takes a clock: monotonic, boot or tai")
			return Invalid
		case clock.Name != "monotonic" && clock.Name != "boot" && clock.Name != "tai":
			d := c.errorf(clock, "unknown clock %q (clocks: monotonic, boot, tai)", clock.Name)
			didYouMean(d, clock.Name, []string{"monotonic", "boot", "tai"})
			return Invalid
		}
		c.info.Builtins[id] = b
		c.info.Clocks[id] = clock.Name
		c.info.Rewrites[call] = id
		c.record(clock, Void)
		return c.record(id, Uint64)
	}
	if b == BuiltinKstack && len(call.Args) <= 2 {
		c.info.Builtins[id] = b
		c.info.Rewrites[call] = id
		return c.record(id, c.checkKstackCall(call))
	}
	if len(call.Args) > 0 {
		c.errorf(call, "%s takes no arguments", call.Name)
		return Invalid
	}
	c.info.Builtins[id] = b
	c.info.Rewrites[call] = id
	return c.record(id, c.builtin(id, b))
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
	fmtArg := call.Args[0]
	ft := c.expr(fmtArg)
	k, ok := c.info.Consts[fmtArg]
	if ft.IsInvalid() {
		return Void
	}
	if !ok || !k.IsStr {
		c.errorf(fmtArg, "printf's first argument must be a string literal")
		return Void
	}
	format, ferr := ParseFormat(k.Str)
	if ferr != nil {
		d := c.errorf(fmtArg, "%s", ferr.Msg)
		if lit, isLit := fmtArg.(*StrLit); isLit {
			// Point at the conversion itself.
			raw := c.src.Snippet(lit.Start().Offset, lit.End().Offset)
			if _, offsets, err := unquoteMap(raw); err == nil && ferr.End < len(offsets) {
				d.Start = lit.Start().Offset + offsets[ferr.Start]
				d.End = lit.Start().Offset + offsets[ferr.End]
			}
		}
		return Void
	}
	c.info.Formats[call] = format
	args := call.Args[1:]
	for i, a := range args {
		t := c.expr(a)
		if i >= len(format.Verbs) || t.IsInvalid() {
			continue
		}
		if msg := format.Verbs[i].accepts(t); msg != "" {
			c.errorf(a, "%s expects %s, not %s", format.Verbs[i].Spec, msg, t)
		}
	}
	if len(args) != len(format.Verbs) {
		c.errorf(call, "the format has %s but printf was given %s",
			plural(len(format.Verbs), "conversion"), plural(len(args), "argument"))
	}
	return Void
}

// stringArg checks an argument that must be a string.
func (c *checker) stringArg(call *Call, i int) (*Type, bool) {
	t := c.expr(call.Args[i])
	if t.IsInvalid() {
		return t, false
	}
	if t.Kind != KindString {
		c.errorf(call.Args[i], "%s() takes a string here, not %s", call.Name, t)
		return t, false
	}
	return t, true
}

func (c *checker) checkStr(call *Call) *Type {
	t := c.expr(call.Args[0])
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
		if k, ok := c.info.Consts[call.Args[0]]; ok && k.Int == 0 {
			if p, isParam := call.Args[0].(*Param); isParam && p.N > len(c.cfg.Params) {
				// A missing positional parameter reads as "".
				c.constant(call, Const{IsStr: true})
				return StringType(1)
			}
		}
		return StringType(size)
	}
	c.errorf(call.Args[0], "str() reads a string from a pointer or string, not %s", t)
	return Invalid
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
	nt := c.expr(call.Args[2])
	if nt.IsInvalid() || !ok1 || !ok2 {
		return Invalid
	}
	k, ok := c.info.Consts[call.Args[2]]
	if !ok || k.IsStr || int64(k.Int) < 0 {
		c.errorf(call.Args[2], "strncmp()'s length must be a constant, not negative")
		return Invalid
	}
	return Int64
}

func (c *checker) checkStrcontains(call *Call) *Type {
	_, ok1 := c.stringArg(call, 0)
	_, ok2 := c.stringArg(call, 1)
	if !ok1 || !ok2 {
		return Invalid
	}
	return Bool
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

func (c *checker) checkStrstr(call *Call) *Type {
	_, ok1 := c.stringArg(call, 0)
	_, ok2 := c.stringArg(call, 1)
	if !ok1 || !ok2 {
		return Invalid
	}
	return Int64
}

// checkBuf checks buf(p, n): n bytes at p, printed with %r.
func (c *checker) checkBuf(call *Call) *Type {
	t := c.expr(call.Args[0])
	if t.IsInvalid() {
		return Invalid
	}
	size := c.settings.MaxStrlen
	switch {
	case t.Kind == KindArray && len(call.Args) == 1:
		size = min(t.Size, size)
	case len(call.Args) == 1:
		c.errorf(call, "buf() needs a length for %s", t)
		return Invalid
	case t.Kind != KindPointer && t.Kind != KindInt && t.Kind != KindArray:
		c.errorf(call.Args[0], "buf() reads from a pointer or array, not %s", t)
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

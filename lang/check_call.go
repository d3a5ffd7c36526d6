package lang

import "strconv"

// checkCall checks a call. assigned is true when the call is the whole
// value of a map assignment, where aggregations belong.
func (c *checker) checkCall(call *Call, assigned bool) *Type {
	f := lookupFunc(call.Name)
	if f == FuncInvalid {
		d := c.diags.AddSpan(c.src, call.Pos.Offset, call.NameEnd.Offset, "unknown function %q", call.Name)
		if lookupBuiltin(call.Name) != BuiltinInvalid {
			d.Hint = call.Name + " is a builtin variable: write it without ()"
		} else {
			didYouMean(d, call.Name, funcNames())
		}
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

func argCount(lo, hi int) string {
	switch {
	case hi < 0:
		return "at least " + plural(lo, "argument")
	case lo == hi:
		return plural(lo, "argument")
	case lo+1 == hi:
		return strconv.Itoa(lo) + " or " + plural(hi, "argument")
	}
	return "between " + plural(lo, "argument") + " and " + plural(hi, "argument")
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
		v := format.Verbs[i]
		switch {
		case v.Conv == 's' && t.Kind != KindString:
			c.errorf(a, "%s expects a string, not %s", v.Spec, t)
		case v.Conv != 's' && !t.IsInteger():
			c.errorf(a, "%s expects an integer, not %s", v.Spec, t)
		}
	}
	if len(args) != len(format.Verbs) {
		c.errorf(call, "the format has %s but printf was given %s",
			plural(len(format.Verbs), "conversion"), plural(len(args), "argument"))
	}
	return Void
}

func (c *checker) checkStr(call *Call) *Type {
	t := c.expr(call.Args[0])
	size := c.cfg.MaxStrlen
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
			size = int(min(n, int64(c.cfg.MaxStrlen)))
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
	case t.Kind == KindPointer || t.Kind == KindInt:
		if k, ok := c.info.Consts[call.Args[0]]; ok && k.Int == 0 && call.Args[0] != nil {
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
	if !t.IsInteger() {
		c.errorf(call.Args[0], "sum() adds integers, not %s", t)
		return Invalid
	}
	return SumType(t.ValueType().IsSigned())
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

package lang

// The args of tracepoints: their fields and the types they read as.

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

// narrowField types an integer field by its C type, as bpftrace, whose
// args come from BTF, does: where the record gives it more room (the
// syscalls tracepoints keep every argument in 8 bytes, so kill's `pid_t
// pid` is an int, -1 and not 4294967295), and where the C type is an
// enum, whose values print as its enumerators. C's base types and the
// common typedefs come from a table (cIntType); only enums and other
// names ask the kernel.
func (c *checker) narrowField(f *TracepointField) *Type {
	name := unqualified(f.CType)
	t, known := cIntType(name)
	if !known {
		var err error
		if t, err = c.env.KernelType(name); err != nil {
			return f.Type
		}
	}
	if t == nil || t.Kind != KindInt || t.Size > f.Type.Size || t.Size == f.Type.Size && !t.IsEnum() {
		return f.Type
	}
	if t.IsEnum() {
		return t
	}
	return IntType(t.Size, t.Signed)
}

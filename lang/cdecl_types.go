package lang

import "slices"

// The types of struct members: what a declaration's type words, tags and
// declarators make of it (cdecl_layout.go places them).

// spec resolves the type a member declaration starts with; size -1 when
// it is wrong, which was reported.
func (b *cdecl) spec(s *CTypeSpec) cmember {
	c := b.c
	switch s.Tag {
	case "struct", "union":
		key := s.Tag + " " + s.Name
		if s.Body != nil {
			t := &Type{Kind: KindStruct, Name: s.Name, Union: s.Tag == "union"}
			if s.Name != "" {
				if c.structs[key] != nil {
					c.errorf(s, "%s is defined twice", key)
					return cmember{size: -1}
				}
				c.structs[key] = t
			}
			b.incomplete[t] = true
			b.layout(t, s.Body, s.Attrs)
			return cmember{t: t, size: t.Size, align: t.align}
		}
		if t := c.structs[key]; t != nil {
			return cmember{t: t, size: t.Size, align: max(t.align, 1)}
		}
		if c.env != nil && b.replacing == "" {
			if t, err := c.env.KernelType(key); err == nil {
				return cmember{t: t, size: t.Size, align: b.kernelAlign(t, 0)}
			}
		}
		// Unknown: a member may point to it, not hold it (declarator).
		t := &Type{Kind: KindStruct, Name: s.Name, Union: s.Tag == "union"}
		b.incomplete[t] = true
		return cmember{t: t}
	case "enum":
		if s.Name != "" && s.Body == nil {
			if t := c.scriptEnumType("enum " + s.Name); t != nil {
				return cmember{t: t, size: t.Size, align: t.Size}
			}
		}
		if s.Name != "" && c.env != nil && s.Body == nil {
			if t, err := c.env.KernelType("enum " + s.Name); err == nil && t.Kind == KindInt {
				return cmember{t: t, size: t.Size, align: t.Size}
			}
		}
		return cmember{t: Uint32, size: 4, align: 4}
	}
	words := map[string]int{}
	for _, w := range s.Words {
		words[w]++
	}
	signed := words["signed"] > 0 || words["__signed__"] > 0
	unsigned := words["unsigned"] > 0
	n := len(s.Words)
	switch {
	case signed && unsigned:
		c.errorf(s, "%s is both signed and unsigned", s)
		return cmember{size: -1}
	case words["float"] == 1 && n == 1:
		return floatMember(4, s)
	case words["double"] == 1 && n == 1:
		return floatMember(8, s)
	case words["double"] == 1 && words["long"] == 1 && n == 2:
		return floatMember(16, s)
	case words["__int128"] == 1 && n == 1+int(b2i(signed || unsigned)):
		return floatMember(16, s)
	case (words["_Bool"] == 1 || words["bool"] == 1) && n == 1:
		return cmember{t: Bool, size: 1, align: 1}
	case words["void"] == 1 && n == 1:
		return cmember{t: Void}
	}
	size := 0
	rest := n - words["signed"] - words["__signed__"] - words["unsigned"]
	switch {
	case words["char"] == 1 && rest == 1:
		size = 1
	case words["short"] == 1 && rest == 1+words["int"] && words["int"] <= 1:
		size = 2
	case words["long"] >= 1 && words["long"] <= 2 && rest == words["long"]+words["int"] && words["int"] <= 1:
		size = 8
	case words["int"] == 1 && rest == 1, rest == 0:
		size = 4
	}
	if size > 0 {
		t := IntType(size, !unsigned)
		return cmember{t: t, size: size, align: size}
	}
	if n == 1 && !cTypeWords[s.Words[0]] {
		// A typedef name: hawk's and C's integer names, or the kernel's.
		t := c.resolveType(&TypeExpr{Span: s.Span, Name: s.Words[0]}, SpaceKernel)
		if t.IsInvalid() {
			return cmember{size: -1}
		}
		return cmember{t: t, size: t.Size, align: b.kernelAlign(t, 0)}
	}
	c.errorf(s, "%q is not a C type", s.String())
	return cmember{size: -1}
}

// kernelAlign is the alignment of a type of the kernel or of hawk.
func (b *cdecl) kernelAlign(t *Type, depth int) int {
	switch {
	case t.Kind == KindArray:
		return b.kernelAlign(t.Elem, depth)
	case t.Kind == KindStruct && t.align > 0:
		return t.align
	case t.Kind == KindStruct:
		a := 1
		if depth < 8 {
			for _, f := range b.c.fieldsOf(t) {
				a = max(a, b.kernelAlign(f.Type, depth+1))
			}
		}
		return a
	case t.Kind == KindString:
		return 1
	}
	return max(t.Align(), 1)
}

// declarator applies a declarator's pointers, array dimensions and
// parameter lists to base, the type its member declaration starts with.
func (b *cdecl) declarator(base cmember, spec *CTypeSpec, d *CDeclarator) (cmember, bool) {
	base.char = spec != nil && spec.Tag == "" && slices.Contains(spec.Words, "char")
	m, fn, ok := b.apply(base, d, false)
	if !ok {
		return m, false
	}
	name := d.Ident()
	switch {
	case fn:
		b.c.errorf(d, "member %s is a function: a struct may hold a pointer to one, (*%s)(...)", name, name)
		return m, false
	case m.t.Kind == KindVoid:
		b.c.errorf(d, "member %s cannot be void", name)
		return m, false
	case b.incomplete[m.t]:
		d := b.c.errorf(d, "member %s has incomplete type '%s'", name, structKey(m.t.Union, m.t.Name))
		switch {
		case b.replacing != "":
			d.Hint = "this struct takes the place of the kernel's " + b.replacing + ", so the types it holds must be defined in the script too"
		case b.c.structs[structKey(m.t.Union, m.t.Name)] == m.t:
			d.Hint = "a struct can hold another defined before it, or point to any"
		}
		return m, false
	}
	if m.size < 0 {
		return m, false
	}
	return m, true
}

// apply builds what d declares of base; fn reports a function (not a
// pointer to one).
func (b *cdecl) apply(m cmember, d *CDeclarator, fn bool) (cmember, bool, bool) {
	for range d.Ptrs {
		if m.t.Kind == KindVoid || fn {
			m.t = Void // pointers to functions, floats and void point to nothing hawk reads
		}
		m = cmember{t: PointerType(m.t, SpaceKernel), size: 8, align: 8}
		fn = false
	}
	if d.Func {
		fn = true
	}
	for i := len(d.Dims) - 1; i >= 0; i-- {
		n := 0
		if d.Dims[i].Text != "" {
			v, ok := b.number(d.Dims[i])
			if !ok {
				return m, fn, false
			}
			n = v
		}
		switch {
		case n > 0 && m.size > maxCSize/n:
			b.c.errorf(d.Dims[i], "this array is larger than %d bytes", maxCSize)
			return m, fn, false
		case fn || m.t.Kind == KindVoid || b.incomplete[m.t]:
			b.c.errorf(d.Dims[i], "an array of %s cannot be a member", cTypeName(m.t, fn))
			return m, fn, false
		case i == len(d.Dims)-1 && m.char && m.t.Kind == KindInt && m.t.Size == 1:
			// char name[N] reads as a string, all of whose N bytes may be
			// characters; uint8_t b[N] is an array.
			m.t = &Type{Kind: KindString, Size: n, CharArray: true}
		default:
			m.t = ArrayType(m.t, n)
		}
		m.size *= n
	}
	if d.Inner != nil {
		return b.apply(m, d.Inner, fn)
	}
	return m, fn, true
}

// maxCSize is the largest size of a member array hawk lays out.
const maxCSize = 1 << 30

// cTypeName names t for an error.
func cTypeName(t *Type, fn bool) string {
	switch {
	case fn:
		return "functions"
	case t.Kind == KindStruct:
		return "incomplete type '" + structKey(t.Union, t.Name) + "'"
	}
	return t.String()
}

// width reads a bitfield's width, which must fit its integer type.
func (b *cdecl) width(m cmember, spec *CTypeSpec, d *CDeclarator) (int, bool) {
	name := d.Ident()
	if name == "" {
		name = "(unnamed)"
	}
	if (m.t.Kind != KindInt && m.t.Kind != KindBool) || len(d.Dims) > 0 || d.Ptrs > 0 || d.Inner != nil {
		b.c.errorf(d, "bitfield %s must have an integer type, not %s", name, m.t)
		return 0, false
	}
	w, ok := b.number(d.Width)
	if !ok {
		return 0, false
	}
	if limit := m.size * 8; w > limit {
		b.c.errorf(d.Width, "bitfield %s is %d bits wide, wider than its type %s (%d bits)", name, w, spec, limit)
		return 0, false
	}
	if w == 0 && d.Ident() != "" {
		b.c.errorf(d.Width, "bitfield %s has width 0: only an unnamed bitfield may, to pad to the next unit", name)
		return 0, false
	}
	return w, true
}

// floatMember is a floating-point member of size bytes: laid out, printed
// as null (as bpftrace prints values it has no type for), never read.
func floatMember(size int, s *CTypeSpec) cmember {
	return cmember{t: &Type{Kind: KindFloat, Size: size, Name: s.String()}, size: size, align: size}
}

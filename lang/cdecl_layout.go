package lang

import (
	"strconv"
)

// The structs and unions a script defines are laid out as GCC and clang
// lay them out on x86-64 (the System V ABI): each member at the next
// offset its alignment allows, a struct as aligned as its most aligned
// member and padded to a multiple of that; a bitfield in the next bits
// unless they would cross a storage unit of its type's size, where it
// starts the next unit; __attribute__((packed)) drops the alignment of
// members, __attribute__((aligned(N))) raises the struct's own.

// structKey is how c.structs knows a struct or union: "struct NAME".
func structKey(union bool, name string) string {
	if union {
		return "union " + name
	}
	return "struct " + name
}

// cdecl builds the types of the script's struct definitions.
type cdecl struct {
	c *checker
	// incomplete holds the structs whose members are being laid out: a
	// member may point to one, not hold one.
	incomplete map[*Type]bool
	// replacing names the kernel type the struct being laid out takes
	// the place of, "" when none: such a struct takes no type from the
	// kernel, as in bpftrace, whose C parser then sees the script's
	// definitions only.
	replacing string
}

// declareStructs builds the types of the structs and unions the script
// defines. Every one is known before any is laid out, so that one may
// point to one defined later; holding one needs it defined before.
func (c *checker) declareStructs() {
	c.structs = map[string]*Type{}
	b := &cdecl{c: c, incomplete: map[*Type]bool{}}
	var types []*Type
	for _, sd := range c.prog.Structs {
		key := structKey(sd.Union, sd.Name)
		if sd.Body == nil {
			// `struct foo;` declares what a pointer may point to, which
			// any struct name may.
			types = append(types, nil)
			continue
		}
		if c.structs[key] != nil {
			c.errorf(sd, "%s is defined twice", key)
			types = append(types, nil)
			continue
		}
		t := &Type{Kind: KindStruct, Name: sd.Name, Union: sd.Union}
		c.structs[key] = t
		b.incomplete[t] = true
		types = append(types, t)
	}
	for i, sd := range c.prog.Structs {
		if types[i] == nil {
			continue
		}
		b.replacing = ""
		if c.env != nil {
			if _, err := c.env.KernelType(structKey(sd.Union, sd.Name)); err == nil {
				b.replacing = structKey(sd.Union, sd.Name)
			}
		}
		var attrs []CAttr
		for _, a := range sd.Attrs {
			attrs = append(attrs, a.List...)
		}
		b.layout(types[i], sd.Body, attrs)
	}
}

// reportStructs reports the mistakes in the script's struct definitions,
// laying them out again: the walks before the last one built the types
// the script uses, without reporting.
func (c *checker) reportStructs() {
	keep := c.structs
	c.declareStructs()
	c.structs = keep
}

// cmember is what a declarator makes of its member's type.
type cmember struct {
	t           *Type // nil for a floating-point value, which hawk cannot read
	size, align int
	what        string // t nil: what the value is ("double", "double[4]")
}

// unreadableMember is a member of a script struct that hawk cannot read:
// what it is and where.
type unreadableMember struct {
	what   string
	offset int
}

// unreadable reports, between start and end, that the member name of t
// is one hawk cannot read, if it is.
func (c *checker) unreadable(t *Type, name string, start, end Pos) bool {
	u, ok := t.unreadable[name]
	if ok {
		c.errorSpan(start, end, "member %s of %s is a %s, which hawk cannot read", name, t, u.what)
	}
	return ok
}

// layout lays out the members of body as the struct or union t.
func (b *cdecl) layout(t *Type, body *CBody, attrs []CAttr) {
	defer delete(b.incomplete, t)
	packed, alignTo := b.attrs(attrs)
	bits, size, align := 0, 0, 1 // bits: the next free bit (structs)
	place := func(m cmember, a int, name string) int {
		align = max(align, a)
		off := 0
		if !t.Union {
			off = alignUp((bits+7)/8, a)
			bits = (off + m.size) * 8
		}
		size = max(size, off+m.size)
		if m.t != nil {
			t.Fields = append(t.Fields, Field{Name: name, Type: m.t, Offset: off})
		} else if name != "" {
			if t.unreadable == nil {
				t.unreadable = map[string]unreadableMember{}
			}
			t.unreadable[name] = unreadableMember{what: m.what, offset: off}
		}
		return off
	}
	for _, mem := range body.Members {
		base := b.spec(mem.Spec)
		if base.size < 0 {
			for _, d := range mem.Decls {
				b.poison(t, d)
			}
			continue
		}
		if len(mem.Decls) == 0 {
			switch {
			case mem.Spec.Body != nil && mem.Spec.Name == "" && mem.Spec.Tag != "enum":
				// An anonymous struct or union: its members are the outer
				// one's, as bpftrace has them (printed so too).
				off := place(base, b.memberAlign(base, packed, nil), "")
				t.Fields = t.Fields[:len(t.Fields)-1]
				for _, f := range base.t.Fields {
					f.Offset += off
					t.Fields = append(t.Fields, f)
				}
				for name, u := range base.t.unreadable {
					if t.unreadable == nil {
						t.unreadable = map[string]unreadableMember{}
					}
					t.unreadable[name] = unreadableMember{what: u.what, offset: u.offset + off}
				}
			case mem.Spec.Tag != "":
				// `struct foo { ... };` inside a struct defines the tag only.
			default:
				b.c.errorf(mem, "this member declares nothing: write TYPE NAME;")
			}
			continue
		}
		for _, d := range mem.Decls {
			m, ok := b.declarator(base, mem.Spec, d)
			if !ok {
				b.poison(t, d)
				continue
			}
			if d.Width == nil {
				place(m, b.memberAlign(m, packed, d.Attrs), d.Ident())
				continue
			}
			w, ok := b.width(m, mem.Spec, d)
			if !ok {
				b.poison(t, d)
				continue
			}
			unit := m.size * 8
			switch {
			case w == 0:
				if !t.Union { // packed or not
					bits = alignUp(bits, m.align*8)
				}
				continue
			case t.Union:
				size = max(size, (w+7)/8)
				bits = 0
			case !packed && bits/unit != (bits+w-1)/unit:
				bits = alignUp(bits, unit) // it would cross its storage unit
			}
			if d.Ident() != "" {
				// Unnamed bitfields pad; they do not align the struct.
				if !packed {
					align = max(align, m.align)
				}
				// A bitfield reads zero-extended, as in bpftrace: its
				// type is unsigned.
				ft := m.t
				if ft.Kind == KindInt {
					ft = IntType(ft.Size, false)
				}
				t.Fields = append(t.Fields, Field{Name: d.Ident(), Type: ft, Offset: bits / 8, BitOffset: bits % 8, BitSize: w})
			}
			if !t.Union {
				bits += w
				size = max(size, (bits+7)/8)
			}
		}
	}
	align = max(align, alignTo)
	t.Size, t.align = alignUp(size, align), align
}

// poison adds the member d declares, whose declaration was wrong, to t
// with the poison type: its uses are not reported again.
func (b *cdecl) poison(t *Type, d *CDeclarator) {
	if name := d.Ident(); name != "" {
		t.Fields = append(t.Fields, Field{Name: name, Type: Invalid})
	}
}

// memberAlign is the alignment of a member in a struct, packed or not,
// given its own attributes.
func (b *cdecl) memberAlign(m cmember, packed bool, attrs []CAttr) int {
	own, aligned := b.attrs(attrs)
	a := m.align
	if packed || own {
		a = 1
	}
	return max(a, aligned, 1)
}

// attrs reads a struct's attributes: packed, and the alignment asked for
// (0 when none).
func (b *cdecl) attrs(attrs []CAttr) (packed bool, align int) {
	for _, a := range attrs {
		switch a.Name {
		case "packed":
			packed = true
		case "aligned":
			n := 16 // GCC's largest alignment on x86-64
			if a.Arg != nil {
				v, ok := b.number(a.Arg)
				if !ok {
					continue
				}
				if v <= 0 || v&(v-1) != 0 || v > 1<<12 {
					b.c.errorf(a.Arg, "an alignment must be a power of 2 up to 4096, not %d", v)
					continue
				}
				n = v
			}
			align = max(align, n)
		case "unused", "used", "deprecated", "may_alias", "designated_init", "randomize_layout", "no_randomize_layout", "preserve_access_index":
			// Change nothing of the layout.
		default:
			b.c.errorf(a, "unknown attribute %q (hawk knows packed and aligned(N))", a.Name)
		}
	}
	return packed, align
}

// number reads an array size, a bitfield width or an attribute's
// argument: a number or a #define constant.
func (b *cdecl) number(s *CSize) (int, bool) {
	if v, err := parseInt(s.Text); err == nil {
		if v >= 1<<31 {
			b.c.errorf(s, "%s is too large here", s.Text)
			return 0, false
		}
		return int(v), true
	}
	if v, ok := b.c.defines[s.Text]; ok && v >= 0 && v < 1<<31 {
		return int(v), true
	}
	if _, ok := b.c.defines[s.Text]; ok {
		b.c.errorf(s, "%s is out of range here", s.Text)
		return 0, false
	}
	b.c.errorf(s, "%q is not a number or a #define constant", s.Text)
	return 0, false
}

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
		return cmember{size: 4, align: 4, what: s.String()}
	case words["double"] == 1 && n == 1:
		return cmember{size: 8, align: 8, what: s.String()}
	case words["double"] == 1 && words["long"] == 1 && n == 2:
		return cmember{size: 16, align: 16, what: s.String()}
	case words["__int128"] == 1 && n == 1+int(b2i(signed || unsigned)):
		return cmember{size: 16, align: 16, what: s.String()}
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
	m, fn, ok := b.apply(base, d, false)
	if !ok {
		return m, false
	}
	name := d.Ident()
	switch {
	case fn:
		b.c.errorf(d, "member %s is a function: a struct may hold a pointer to one, (*%s)(...)", name, name)
		return m, false
	case m.t != nil && m.t.Kind == KindVoid:
		b.c.errorf(d, "member %s cannot be void", name)
		return m, false
	case m.t != nil && b.incomplete[m.t]:
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
		if m.t == nil || m.t.Kind == KindVoid || fn {
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
		case fn || m.t != nil && (m.t.Kind == KindVoid || b.incomplete[m.t]):
			b.c.errorf(d.Dims[i], "an array of %s cannot be a member", cTypeName(m.t, fn))
			return m, fn, false
		case m.t == nil: // floats
			m.what += "[" + strconv.Itoa(n) + "]"
		case i == len(d.Dims)-1 && m.t.Kind == KindInt && m.t.Size == 1:
			m.t = StringType(n) // char name[N] reads as a string
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

// cTypeName names t (nil: a floating-point type) for an error.
func cTypeName(t *Type, fn bool) string {
	switch {
	case fn:
		return "functions"
	case t == nil:
		return "floating-point numbers"
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
	if m.t == nil || (m.t.Kind != KindInt && m.t.Kind != KindBool) || len(d.Dims) > 0 || d.Ptrs > 0 || d.Inner != nil {
		what := "a floating-point type"
		if m.t != nil {
			what = m.t.String()
		}
		b.c.errorf(d, "bitfield %s must have an integer type, not %s", name, what)
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

// formatLayout writes t's members with their offsets, for tests.
func formatLayout(t *Type) string {
	return strconv.Itoa(t.Size) + "/" + strconv.Itoa(t.align) + formatMembers(t, 0)
}

// formatMembers writes t's members at base, those of anonymous members
// as t's own.
func formatMembers(t *Type, base int) string {
	s := ""
	for _, f := range t.Fields {
		if f.Name == "" && f.Type.Kind == KindStruct {
			s += formatMembers(f.Type, base+f.Offset)
			continue
		}
		s += " " + f.Name + "@" + strconv.Itoa(base+f.Offset)
		if f.BitSize > 0 {
			s += "." + strconv.Itoa(f.BitOffset) + ":" + strconv.Itoa(f.BitSize)
		}
	}
	return s
}

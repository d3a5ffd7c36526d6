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
	t           *Type
	size, align int
	// char is set when t is the C type char itself (not uint8_t): an
	// array of it reads as a string.
	char bool
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
		t.Fields = append(t.Fields, Field{Name: name, Type: m.t, Offset: off})
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
	if v, ok := b.c.defines.lookup(s.Text); ok && v >= 0 && v < 1<<31 {
		return int(v), true
	}
	if _, ok := b.c.defines.lookup(s.Text); ok {
		b.c.errorf(s, "%s is out of range here", s.Text)
		return 0, false
	}
	b.c.errorf(s, "%q is not a number or a #define constant", s.Text)
	return 0, false
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

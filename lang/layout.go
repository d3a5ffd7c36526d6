package lang

// How tuples and records are laid out in memory, and the sizes and
// alignments of types there.

// layoutFields places elems one after another, each at its alignment, and
// names them: the fields of a tuple or record.
func layoutFields(elems []*Type, names []string) *Type {
	t := &Type{align: 1}
	if len(elems) > 0 {
		t.Fields = make([]Field, 0, len(elems))
	}
	off := 0
	for i, e := range elems {
		a := e.Align()
		off = alignUp(off, a)
		t.Fields = append(t.Fields, Field{Name: names[i], Type: e, Offset: off})
		off += e.StoredSize()
		t.align = max(t.align, a)
		t.members += 1 + e.members
	}
	// Padding at the end up to the alignment, as in a C struct and as
	// bpftrace lays tuples out: ((int32)1, (int16)1, (int8)1) is 8 bytes.
	t.Size = alignUp(off, t.align)
	return t
}

// alignUp rounds n up to a multiple of a.
func alignUp(n, a int) int {
	if a <= 1 {
		return n
	}
	return (n + a - 1) / a * a
}

// StoredSize returns how many bytes a value of t takes in memory, in a
// tuple or record as in a map: its Size, and for a buffer the 8-byte
// length before its Size bytes.
func (t *Type) StoredSize() int {
	if t.Kind == KindBuffer {
		return 8 + t.Size
	}
	return t.Size
}

// Align returns the alignment of t in memory.
func (t *Type) Align() int {
	switch t.Kind {
	case KindInt, KindPointer, KindCount, KindSum, KindBool, KindFloat:
		return t.Size
	case KindBuffer:
		return 8 // its length
	case KindArray:
		return t.Elem.Align()
	case KindTuple, KindRecord:
		if t.align > 0 {
			return t.align
		}
		a := 1
		for _, f := range t.Fields {
			a = max(a, f.Type.Align())
		}
		return a
	case KindStruct:
		if t.align > 0 {
			return t.align // a struct of the script, laid out by hawk
		}
		// A struct aligns to its most aligned member, as in C. A kernel
		// struct whose members are not loaded is taken as 8.
		if t.ID != 0 && len(t.Fields) == 0 {
			return 8
		}
		a := 1
		for _, f := range t.Fields {
			a = max(a, f.Type.Align())
		}
		return a
	case KindUsername, KindKsym, KindStack, KindTimestamp, KindUsym, KindInet, KindCgroup:
		// Held in, or led by, 8-byte words that codegen loads and stores
		// whole: a tuple aligns them as it does an int64.
		return 8
	}
	return 1
}

package lang

import (
	"strconv"
	"strings"
	"sync"
)

// cIntTypes maps C and kernel integer type names to hawk's, built on
// first use (not at every start).
var cIntTypes = sync.OnceValue(func() map[string]*Type {
	return map[string]*Type{
		"int8": Int8, "int16": Int16, "int32": Int32, "int64": Int64,
		"uint8": Uint8, "uint16": Uint16, "uint32": Uint32, "uint64": Uint64,
		"char": Int8, "signed char": Int8, "unsigned char": Uint8,
		"short": Int16, "short int": Int16, "signed short": Int16, "unsigned short": Uint16, "unsigned short int": Uint16,
		"int": Int32, "signed": Int32, "signed int": Int32, "unsigned": Uint32, "unsigned int": Uint32,
		"long": Int64, "long int": Int64, "signed long": Int64, "unsigned long": Uint64, "unsigned long int": Uint64,
		"long long": Int64, "long long int": Int64, "signed long long": Int64, "unsigned long long": Uint64,
		"unsigned long long int": Uint64,
		"u8":                     Uint8, "u16": Uint16, "u32": Uint32, "u64": Uint64, "s8": Int8, "s16": Int16, "s32": Int32, "s64": Int64,
		"__u8": Uint8, "__u16": Uint16, "__u32": Uint32, "__u64": Uint64,
		"__s8": Int8, "__s16": Int16, "__s32": Int32, "__s64": Int64,
		"int8_t": Int8, "int16_t": Int16, "int32_t": Int32, "int64_t": Int64,
		"uint8_t": Uint8, "uint16_t": Uint16, "uint32_t": Uint32, "uint64_t": Uint64,
		"size_t": Uint64, "ssize_t": Int64, "pid_t": Int32, "uid_t": Uint32, "gid_t": Uint32,
	}
})

// resolveType turns a written type into a Type; pointers point into space.
func (c *checker) resolveType(te *TypeExpr, space AddrSpace) *Type {
	var t *Type
	name := te.Name
	switch {
	case te.Of != nil:
		t = c.resolveType(te.Of, space)
	case te.OfX != nil:
		t = c.typeofExpr(te.OfX)
	case cIntTypes()[name] != nil:
		t = cIntTypes()[name]
	case name == "bool":
		t = Bool
	case name == "void":
		t = Void
	case name == "string" || name == "buffer":
		size := c.settings.MaxStrlen
		if len(te.Suffixes) > 0 && strings.HasPrefix(te.Suffixes[0], "[") {
			n, err := strconv.Atoi(strings.Trim(te.Suffixes[0], "[]"))
			if err != nil || n <= 0 {
				c.errorf(te, "%s[N] needs a positive size", name)
				return Invalid
			}
			size, te = n, &TypeExpr{Span: te.Span, Name: name, Suffixes: te.Suffixes[1:]}
		}
		t = StringType(size)
		if name == "buffer" {
			t = &Type{Kind: KindBuffer, Size: size}
		}
	case strings.HasPrefix(name, "struct ") || strings.HasPrefix(name, "union "):
		if st := c.structs[name]; st != nil {
			t = st
			break
		}
		t = c.kernelType(te, name)
	case strings.HasPrefix(name, "enum "):
		if t = c.scriptEnumType(name); t == nil {
			t = c.kernelType(te, name)
		}
	default:
		t = c.kernelType(te, name)
	}
	if t.IsInvalid() {
		return Invalid
	}
	for _, s := range te.Suffixes {
		switch {
		case s == "*":
			t = PointerType(t, space)
		case s == "[]":
			t = ArrayType(t, 0) // sized by a cast
		default:
			n, err := strconv.Atoi(strings.Trim(s, "[]"))
			if err != nil || n < 0 {
				c.errorf(te, "bad array size %s", s)
				return Invalid
			}
			t = ArrayType(t, n)
		}
	}
	return t
}

// typeofExpr is the type of typeof(x): x's, checked but never run. A
// literal is as wide as it reads in an expression.
func (c *checker) typeofExpr(x Expr) *Type {
	t := c.expr(x)
	if t.IsInvalid() {
		return Invalid
	}
	if t.Kind == KindVoid {
		c.errorf(x, "typeof needs an expression with a value")
		return Invalid
	}
	return t
}

// kernelType looks a type up in the kernel's BTF.
func (c *checker) kernelType(te *TypeExpr, name string) *Type {
	if c.env == nil {
		c.errorf(te, "unknown type %q", name)
		return Invalid
	}
	t, err := c.env.KernelType(name)
	if err != nil {
		var d *Diagnostic
		if strings.HasSuffix(err.Error(), "has no type "+name) {
			// The Env's usual "the kernel has no type NAME" says no more.
			d = c.errorf(te, "unknown type %q", name)
		} else {
			d = c.errorf(te, "unknown type %q: %v", name, err)
		}
		var names []string
		for n := range cIntTypes() {
			names = append(names, n)
		}
		for n := range c.enums {
			names = append(names, n)
		}
		didYouMean(d, name, append(names, "bool", "string", "void"))
		return Invalid
	}
	return t
}

// fieldsOf lists a struct's members: the script's own, or the kernel's.
func (c *checker) fieldsOf(t *Type) []Field {
	if t.ID == 0 || c.env == nil {
		return t.Fields
	}
	fields, err := c.env.StructFields(t)
	if err != nil {
		return nil
	}
	return fields
}

// withFields returns t with the members of the kernel structs in it filled
// in, for the runtime to print such values member by member. Pointers are
// not followed.
func (c *checker) withFields(t *Type) *Type {
	return c.completeType(t, 0)
}

func (c *checker) completeType(t *Type, depth int) *Type {
	if t == nil || depth > 16 {
		return t
	}
	switch t.Kind {
	case KindStruct, KindArray, KindTuple, KindRecord:
	default:
		return t
	}
	// Each type is completed once: a tuple made of another twice, nested,
	// shares its members, which a walk would visit twice per level.
	if done, ok := c.completed[t]; ok {
		return done
	}
	done := c.completeMembers(t, depth)
	c.completed[t], c.completed[done] = done, done
	return done
}

// completeMembers completes the members of the struct, array, tuple or
// record t.
func (c *checker) completeMembers(t *Type, depth int) *Type {
	switch t.Kind {
	case KindStruct:
		if t.ID == 0 {
			// A struct of the script: its members may be kernel structs.
			fields, changed := make([]Field, len(t.Fields)), false
			for i, f := range t.Fields {
				f.Type = c.completeType(f.Type, depth+1)
				changed = changed || f.Type != t.Fields[i].Type
				fields[i] = f
			}
			if !changed {
				return t
			}
			full := *t
			full.Fields = fields
			return &full
		}
		if len(t.Fields) > 0 {
			return t
		}
		full := *t
		full.Fields = nil
		for _, f := range c.fieldsOf(t) {
			f.Type = c.completeType(f.Type, depth+1)
			full.Fields = append(full.Fields, f)
		}
		return &full
	case KindArray:
		if elem := c.completeType(t.Elem, depth+1); elem != t.Elem {
			full := *t
			full.Elem = elem
			return &full
		}
	case KindTuple, KindRecord:
		var fields []Field
		changed := false
		for _, f := range t.Fields {
			ft := c.completeType(f.Type, depth+1)
			changed = changed || ft != f.Type
			f.Type = ft
			fields = append(fields, f)
		}
		if changed {
			full := *t
			full.Fields = fields
			return &full
		}
	}
	return t
}

// findField finds a member by name, looking into anonymous members as C
// does. The offset is from the start of t.
func (c *checker) findField(t *Type, name string) (*ResolvedField, bool) {
	for _, f := range c.fieldsOf(t) {
		if f.Name == name {
			return &ResolvedField{Field: f, Offset: f.Offset}, true
		}
	}
	for _, f := range c.fieldsOf(t) {
		if f.Name == "" && f.Type.Kind == KindStruct {
			if rf, ok := c.findField(f.Type, name); ok {
				rf.Offset += f.Offset
				return rf, true
			}
		}
	}
	return nil, false
}

// fieldNames lists a struct's member names, for hints.
func (c *checker) fieldNames(t *Type) []string {
	var names []string
	for _, f := range c.fieldsOf(t) {
		if f.Name == "" && f.Type.Kind == KindStruct {
			names = append(names, c.fieldNames(f.Type)...)
		} else {
			names = append(names, f.Name)
		}
	}
	return names
}

package lang

import (
	"fmt"
	"strings"
)

// Kind classifies a type.
type Kind int

// Kinds of types.
const (
	KindInvalid Kind = iota // the poison type: an error was already reported
	KindVoid                // no value (statements, printf, exit)
	KindInt                 // Size 1, 2, 4 or 8 bytes; Signed
	KindBool                // a truth value, 1 byte
	KindString              // a NUL-terminated buffer of Size bytes
	KindPointer             // an address of Elem, in address space Space
	KindTuple               // Fields at their offsets; map keys with several parts
	KindCount               // count() map value
	KindSum                 // sum() map value; Signed from its argument
	KindCtx                 // the `args` of a tracepoint
)

// AddrSpace tells which helper reads memory behind a pointer.
type AddrSpace int

// Address spaces.
const (
	SpaceKernel AddrSpace = iota
	SpaceUser
)

// Field is one member of a tuple or struct.
type Field struct {
	Name   string
	Type   *Type
	Offset int
}

// Type is a hawk type. Types are immutable once built.
type Type struct {
	Kind   Kind
	Size   int
	Signed bool
	Elem   *Type
	Space  AddrSpace
	Fields []Field
}

// Common types.
var (
	Invalid = &Type{Kind: KindInvalid}
	Void    = &Type{Kind: KindVoid}
	Bool    = &Type{Kind: KindBool, Size: 1}
	Int8    = IntType(1, true)
	Int16   = IntType(2, true)
	Int32   = IntType(4, true)
	Int64   = IntType(8, true)
	Uint8   = IntType(1, false)
	Uint16  = IntType(2, false)
	Uint32  = IntType(4, false)
	Uint64  = IntType(8, false)
)

// IntType returns the integer type of size bytes.
func IntType(size int, signed bool) *Type {
	return &Type{Kind: KindInt, Size: size, Signed: signed}
}

// StringType returns a string buffer of size bytes (NUL included).
func StringType(size int) *Type { return &Type{Kind: KindString, Size: size} }

// PointerType returns a pointer to elem in space.
func PointerType(elem *Type, space AddrSpace) *Type {
	return &Type{Kind: KindPointer, Size: 8, Elem: elem, Space: space}
}

// TupleType lays out elems one after another at their natural alignment.
func TupleType(elems []*Type) *Type {
	t := &Type{Kind: KindTuple}
	off := 0
	for i, e := range elems {
		off = alignUp(off, e.Align())
		t.Fields = append(t.Fields, Field{Name: fmt.Sprint(i), Type: e, Offset: off})
		off += e.Size
	}
	t.Size = alignUp(off, t.Align())
	return t
}

// CountType is the value of a count() map.
var CountType = &Type{Kind: KindCount, Size: 8}

// SumType returns the value of a sum() map.
func SumType(signed bool) *Type { return &Type{Kind: KindSum, Size: 8, Signed: signed} }

func alignUp(n, a int) int {
	if a <= 1 {
		return n
	}
	return (n + a - 1) / a * a
}

// Align returns the alignment of t in memory.
func (t *Type) Align() int {
	switch t.Kind {
	case KindInt, KindPointer, KindCount, KindSum, KindBool:
		return t.Size
	case KindTuple:
		a := 1
		for _, f := range t.Fields {
			a = max(a, f.Type.Align())
		}
		return a
	}
	return 1
}

// IsInvalid reports whether t is the poison type.
func (t *Type) IsInvalid() bool { return t == nil || t.Kind == KindInvalid }

// IsInteger reports whether t holds an integer in a register: ints, bools,
// pointers, and the values read from count and sum maps.
func (t *Type) IsInteger() bool {
	switch t.Kind {
	case KindInt, KindBool, KindPointer, KindCount, KindSum:
		return true
	}
	return false
}

// IsScalar reports whether a value of t fits in a register.
func (t *Type) IsScalar() bool { return t.IsInteger() }

// IsAggregation reports whether t is a map aggregation (count, sum).
func (t *Type) IsAggregation() bool { return t.Kind == KindCount || t.Kind == KindSum }

// IsSigned reports whether t's values are signed integers.
func (t *Type) IsSigned() bool {
	switch t.Kind {
	case KindInt, KindSum:
		return t.Signed
	}
	return false
}

// Equal reports whether t and u are the same type.
func (t *Type) Equal(u *Type) bool {
	if t == u {
		return true
	}
	if t == nil || u == nil || t.Kind != u.Kind || t.Size != u.Size || t.Signed != u.Signed ||
		t.Space != u.Space || len(t.Fields) != len(u.Fields) {
		return false
	}
	if (t.Elem == nil) != (u.Elem == nil) || t.Elem != nil && !t.Elem.Equal(u.Elem) {
		return false
	}
	for i := range t.Fields {
		if t.Fields[i].Offset != u.Fields[i].Offset || !t.Fields[i].Type.Equal(u.Fields[i].Type) {
			return false
		}
	}
	return true
}

// String spells t as bpftrace does: int64, uint32, string[16], count_t.
func (t *Type) String() string {
	if t == nil {
		return "none"
	}
	switch t.Kind {
	case KindInvalid:
		return "invalid"
	case KindVoid:
		return "void"
	case KindInt:
		if t.Signed {
			return fmt.Sprintf("int%d", t.Size*8)
		}
		return fmt.Sprintf("uint%d", t.Size*8)
	case KindBool:
		return "bool"
	case KindString:
		return fmt.Sprintf("string[%d]", t.Size)
	case KindPointer:
		return t.Elem.String() + " *"
	case KindTuple:
		parts := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			parts[i] = f.Type.String()
		}
		return "(" + strings.Join(parts, ", ") + ")"
	case KindCount:
		return "count_t"
	case KindSum:
		return "sum_t"
	case KindCtx:
		return "args"
	}
	return "?"
}

// Promote returns the type of an arithmetic result on a and b, both
// integers: the larger size; unsigned only when both are unsigned; int64 when
// the signs differ and the signed side cannot hold the unsigned one.
func Promote(a, b *Type) *Type {
	as, bs := intView(a), intView(b)
	size := max(as.Size, bs.Size)
	switch {
	case as.Signed == bs.Signed:
		return IntType(size, as.Signed)
	case as.Signed && as.Size > bs.Size:
		return IntType(as.Size, true)
	case bs.Signed && bs.Size > as.Size:
		return IntType(bs.Size, true)
	}
	return Int64
}

// intView returns the integer type a register holding a value of t has.
func intView(t *Type) *Type {
	switch t.Kind {
	case KindInt:
		return t
	case KindBool:
		return Uint8
	case KindSum:
		return IntType(8, t.Signed)
	}
	return Uint64
}

// ValueType returns the type an expression has when a value of t is read
// in the program: a count or sum map yields its integer.
func (t *Type) ValueType() *Type {
	if t.IsAggregation() {
		return intView(t)
	}
	return t
}

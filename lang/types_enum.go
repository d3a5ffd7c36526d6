package lang

import "slices"

// EnumDef is an enum's enumerators, which every type of the enum shares: a
// value of an enum type prints as the name of its enumerator, as bpftrace
// symbolizes enums.
type EnumDef struct {
	Name   string // "" for an anonymous enum
	Values []Enumerator
}

// Enumerator is one constant of an enum: its name and value, as the bits
// of a 64-bit integer (a negative value sign-extended).
type Enumerator struct {
	Name  string
	Value uint64
}

// EnumType returns the integer type of size bytes of the enum def. Enum
// types are unsigned, as bpftrace's are.
func EnumType(def *EnumDef, size int) *Type {
	return &Type{Kind: KindInt, Size: size, Name: def.Name, Enum: def}
}

// IsEnum reports whether t is an integer of an enum type.
func (t *Type) IsEnum() bool { return t != nil && t.Kind == KindInt && t.Enum != nil }

// EnumName returns the name of the enumerator of t's enum whose value is
// x, compared at t's size; the first declared of that value wins. ok is
// false when t is no enum or none has that value.
func (t *Type) EnumName(x uint64) (name string, ok bool) {
	if !t.IsEnum() {
		return "", false
	}
	mask := ^uint64(0)
	if t.Size > 0 && t.Size < 8 {
		mask = 1<<(8*t.Size) - 1
	}
	for _, e := range t.Enum.Values {
		if e.Value&mask == x&mask {
			return e.Name, true
		}
	}
	return "", false
}

// sameEnum reports whether a and b are one enum: the same, or, as read
// back from an object, of one name and the same enumerators.
func sameEnum(a, b *EnumDef) bool {
	if a == b {
		return true
	}
	return a != nil && b != nil && a.Name == b.Name && slices.Equal(a.Values, b.Values)
}

// enumString spells an enum type: "enum NAME", or "enum (anonymous)".
func enumString(name string) string {
	if name == "" {
		return "enum (anonymous)"
	}
	return "enum " + name
}

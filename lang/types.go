package lang

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Kind classifies a type.
type Kind int

// Kinds of types.
const (
	KindInvalid   Kind = iota // the poison type: an error was already reported
	KindVoid                  // no value (statements, printf, exit)
	KindInt                   // Size 1, 2, 4 or 8 bytes; Signed
	KindBool                  // a truth value, 1 byte
	KindString                // a NUL-terminated buffer of Size bytes
	KindPointer               // an address of Elem, in address space Space
	KindArray                 // Len elements of Elem
	KindTuple                 // Fields named 0, 1, ... at their offsets
	KindRecord                // named Fields at their offsets
	KindStruct                // a C struct or union: Name, Size; fields from the script or BTF
	KindBuffer                // buf(): Size bytes of data and their length
	KindCount                 // count() map value
	KindSum                   // sum() map value; Signed from its argument
	KindAvg                   // avg() map value
	KindMin                   // min() map value
	KindMax                   // max() map value
	KindStats                 // stats() map value
	KindHist                  // hist() map value
	KindLhist                 // lhist() map value
	KindInet                  // ntop(): an address family and an IPv4 or IPv6 address
	KindKsym                  // ksym(): a kernel address, printed as its symbol
	KindStack                 // kstack, ustack: a stack trace; Name "ustack" for user stacks
	KindUsym                  // usym(): a user address and its process id
	KindTimestamp             // strftime(): boot-clock nanoseconds; Name is the format
	KindUsername              // username: a uid, printed as the user's name
	KindCtx                   // the `args` of a tracepoint
	KindFloat                 // a floating-point member of a script struct: Size 4, 8 or 16, Name its C type; laid out, never read
	KindTseries               // tseries() map value; Args: interval (ns), intervals, TseriesAgg
	KindMacaddr               // macaddr(): the 6 bytes of a MAC address, printed as 00:1A:2B:3C:4D:5E
	KindCgroup                // cgroup_path(): a cgroup id, printed as its paths; Name is the hierarchy filter
)

// AddrSpace tells which helper reads memory behind a pointer.
type AddrSpace int

// Address spaces.
const (
	SpaceKernel AddrSpace = iota
	SpaceUser
)

func (s AddrSpace) String() string {
	if s == SpaceUser {
		return "user"
	}
	return "kernel"
}

// Field is one member of a tuple, record or struct.
type Field struct {
	Name   string
	Type   *Type
	Offset int // bytes
	// BitSize is set for bitfields: the field is BitSize bits at bit
	// BitOffset of the BitStorage bytes at Offset.
	BitOffset, BitSize int
}

// Type is a hawk type. Types are immutable once built.
type Type struct {
	Kind     Kind
	Size     int
	Signed   bool
	Flexible bool // a non-negative literal, whose sign adapts to the other operand
	Elem     *Type
	Len      int // arrays
	Space    AddrSpace
	Fields   []Field
	Name     string // struct, union and enum names; "" for anonymous ones
	Union    bool
	// CharArray marks a string that is a script struct's char array
	// (char s[N]): all N bytes may be characters, without a NUL, and
	// print whole, as in bpftrace.
	CharArray bool
	// ID identifies a kernel (BTF) type, for Env.StructFields; 0 for
	// types of the script.
	ID uint32
	// Args holds what hist, lhist and tseries were called with: hist's
	// bits, lhist's min, max and step, tseries' interval in nanoseconds,
	// number of intervals and TseriesAgg.
	Args []int64
	// Enum is set on an integer of an enum type: its enumerators, by
	// which the value is printed (types_enum.go).
	Enum *EnumDef
	// align and members are a tuple's or record's alignment and how many
	// members it has, counting those of the tuples and records in it. They
	// are set when it is laid out, from its members' own: a tuple built
	// of one value twice, nested, shares its members, and a walk of them
	// would take twice as long at each level. byName indexes a large
	// record's fields by name. All three are worked out again, or done
	// without, when not set: a type read back from an object has none.
	align, members int
	byName         map[string]int
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

// IntType returns the integer type of size bytes. The types of 1, 2, 4 and
// 8 bytes are shared, as every type a caller did not make itself may be:
// copy one before changing it.
func IntType(size int, signed bool) *Type { return intType(size, signed, false) }

// intType returns the integer type of size bytes, sign-flexible (a
// literal's) or not; shared for 1, 2, 4 and 8 bytes.
func intType(size int, signed, flexible bool) *Type {
	if size >= 0 && size < len(intTypes) && intTypes[size][0][0] != nil {
		return intTypes[size][b2i(signed)][b2i(flexible)]
	}
	return &Type{Kind: KindInt, Size: size, Signed: signed, Flexible: flexible}
}

// intTypes holds the shared integer types by size, sign and flexibility: a
// script's every literal and operation has one, and a fresh one each time
// was a third of what checking a long script allocated.
var intTypes = func() (t [9][2][2]*Type) {
	for _, size := range []int{1, 2, 4, 8} {
		for signed := range 2 {
			for flexible := range 2 {
				t[size][signed][flexible] = &Type{Kind: KindInt, Size: size, Signed: signed == 1, Flexible: flexible == 1}
			}
		}
	}
	return t
}()

// StringType returns a string buffer of size bytes (NUL included).
func StringType(size int) *Type { return &Type{Kind: KindString, Size: size} }

// PointerType returns a pointer to elem in space.
func PointerType(elem *Type, space AddrSpace) *Type {
	return &Type{Kind: KindPointer, Size: 8, Elem: elem, Space: space}
}

// ArrayType returns an array of n elements of elem.
func ArrayType(elem *Type, n int) *Type {
	return &Type{Kind: KindArray, Size: elem.Size * n, Elem: elem, Len: n}
}

// TupleType lays out elems one after another at their natural alignment.
func TupleType(elems []*Type) *Type {
	names := make([]string, len(elems))
	for i := range elems {
		names[i] = fmt.Sprint(i)
	}
	t := layoutFields(elems, names)
	t.Kind = KindTuple
	return t
}

// RecordType lays out named elems like a tuple.
func RecordType(names []string, elems []*Type) *Type {
	t := layoutFields(elems, names)
	t.Kind = KindRecord
	if len(names) > indexFields {
		t.byName = make(map[string]int, len(names))
		for i := len(names) - 1; i >= 0; i-- {
			t.byName[names[i]] = i
		}
	}
	return t
}

// indexFields is how many fields a record has before they are indexed by
// name: finding a field by name then takes one look, however many the
// record has.
const indexFields = 8

// FieldIndex returns the index of the member of a tuple or record named
// name (a tuple's are 0, 1, ...), or -1.
func (t *Type) FieldIndex(name string) int {
	switch {
	case t.Kind == KindTuple:
		if i, err := strconv.Atoi(name); err == nil && i >= 0 && i < len(t.Fields) && t.Fields[i].Name == name {
			return i
		}
		return -1
	case t.byName != nil:
		if i, ok := t.byName[name]; ok {
			return i
		}
		return -1
	}
	for i, f := range t.Fields {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// CountType is the value of a count() map.
var CountType = &Type{Kind: KindCount, Size: 8}

// SumType returns the value of a sum() map.
func SumType(signed bool) *Type { return &Type{Kind: KindSum, Size: 8, Signed: signed} }

// AggType returns the value of an aggregation map of kind k over values
// that are signed or not.
func AggType(k Kind, signed bool, args ...int64) *Type {
	return &Type{Kind: k, Size: 8, Signed: signed, Args: args}
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

// IsUserStack reports whether t is a user-space stack (ustack).
func (t *Type) IsUserStack() bool { return t.Kind == KindStack && t.Name == "ustack" }

// IsScalar reports whether a value of t fits in a register.
func (t *Type) IsScalar() bool {
	return t.IsInteger() || t.Kind == KindUsername || t.Kind == KindStack || t.Kind == KindKsym || t.Kind == KindTimestamp ||
		t.Kind == KindCgroup
}

// IsAggregation reports whether t is the value of a map aggregation.
func (t *Type) IsAggregation() bool {
	switch t.Kind {
	case KindCount, KindSum, KindAvg, KindMin, KindMax, KindStats, KindHist, KindLhist, KindTseries:
		return true
	}
	return false
}

// IsReadable reports whether a probe can read an aggregation's value as
// an integer (summed over the CPUs): count, sum, avg, min and max can.
func (t *Type) IsReadable() bool {
	switch t.Kind {
	case KindStats, KindHist, KindLhist, KindTseries:
		return false
	}
	return true
}

// IsSigned reports whether t's values are signed integers.
func (t *Type) IsSigned() bool {
	switch t.Kind {
	case KindInt, KindSum, KindAvg, KindMin, KindMax, KindStats, KindTseries:
		return t.Signed
	}
	return false
}

// Equal reports whether t and u are the same type.
func (t *Type) Equal(u *Type) bool { return equalTypes(t, u, nil) }

// sharedWalk is how many members a tuple or record has before the walks
// over two types (equalTypes, unifyTypes) note the pairs of members they
// have been through: a type made of another twice, nested, shares its
// members, and such a walk would otherwise take twice as long per level.
const sharedWalk = 32

// typePair is a pair of types a walk over two types has been through.
type typePair [2]*Type

func equalTypes(t, u *Type, seen map[typePair]bool) bool {
	if t == u {
		return true
	}
	if t == nil || u == nil || t.Kind != u.Kind || t.Size != u.Size || t.Signed != u.Signed ||
		t.Space != u.Space || t.Len != u.Len || t.Name != u.Name || t.ID != u.ID || !sameEnum(t.Enum, u.Enum) || len(t.Fields) != len(u.Fields) {
		return false
	}
	if (t.Elem == nil) != (u.Elem == nil) || t.Elem != nil && !equalTypes(t.Elem, u.Elem, seen) {
		return false
	}
	if t.Kind == KindStruct {
		return true // named, or identified by ID
	}
	if seen == nil && t.members > sharedWalk {
		seen = map[typePair]bool{}
	}
	if seen != nil {
		// A pair seen before was equal: a difference ends the walk.
		if seen[typePair{t, u}] {
			return true
		}
		seen[typePair{t, u}] = true
	}
	for i := range t.Fields {
		if t.Fields[i].Name != u.Fields[i].Name || t.Fields[i].Offset != u.Fields[i].Offset ||
			!equalTypes(t.Fields[i].Type, u.Fields[i].Type, seen) {
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
	case KindTuple, KindRecord:
		var b strings.Builder
		writeMembers(&b, t)
		if b.Len() <= maxTypeString {
			return b.String()
		}
		name, n := b.String(), maxTypeString
		for n > 0 && !utf8.RuneStart(name[n]) {
			n--
		}
		return name[:n] + "..."
	case KindInvalid:
		return "invalid"
	case KindFloat:
		return t.Name
	case KindVoid:
		return "void"
	case KindInt:
		if t.Enum != nil || t.Name != "" {
			return enumString(t.Name)
		}
		if t.Signed {
			return fmt.Sprintf("int%d", t.Size*8)
		}
		return fmt.Sprintf("uint%d", t.Size*8)
	case KindBool:
		return "bool"
	case KindString:
		return fmt.Sprintf("string[%d]", t.Size)
	case KindBuffer:
		return fmt.Sprintf("buffer[%d]", t.Size)
	case KindPointer, KindArray:
		// The element first, then the suffix: a chain of pointers and
		// arrays is written in one pass, not copied again at each link.
		var suffixes []string
		base := t
		for ; base != nil && (base.Kind == KindPointer || base.Kind == KindArray); base = base.Elem {
			if base.Kind == KindPointer {
				suffixes = append(suffixes, " *")
			} else {
				suffixes = append(suffixes, "["+strconv.Itoa(base.Len)+"]")
			}
		}
		var b strings.Builder
		b.WriteString(base.String())
		for i := len(suffixes) - 1; i >= 0; i-- {
			b.WriteString(suffixes[i])
		}
		return b.String()
	case KindStruct:
		kind := "struct"
		if t.Union {
			kind = "union"
		}
		if t.Name == "" {
			return kind + " (anonymous)"
		}
		return kind + " " + t.Name
	case KindCount:
		return "count_t"
	case KindSum:
		return "sum_t"
	case KindAvg:
		return "avg_t"
	case KindMin:
		return "min_t"
	case KindMax:
		return "max_t"
	case KindStats:
		return "stats_t"
	case KindHist:
		if len(t.Args) == 1 && t.Args[0] > 0 {
			return fmt.Sprintf("hist_t (%d bits)", t.Args[0])
		}
		return "hist_t"
	case KindLhist:
		if len(t.Args) == 3 {
			return fmt.Sprintf("lhist_t (%d..%d step %d)", t.Args[0], t.Args[1], t.Args[2])
		}
		return "lhist_t"
	case KindTseries:
		return tseriesString(t)
	case KindInet:
		return "inet"
	case KindKsym:
		return "ksym_t"
	case KindStack:
		if t.IsUserStack() {
			return "ustack"
		}
		return "kstack"
	case KindUsym:
		return "usym_t"
	case KindMacaddr:
		return "macaddr_t"
	case KindTimestamp:
		return "timestamp"
	case KindCgroup:
		return "cgroup_path_t"
	case KindUsername:
		return "username"
	case KindCtx:
		return "args"
	}
	return "?"
}

// maxTypeString is how long String spells a tuple or record at most:
// longer, it ends in "...". A tuple's name holds its members' names, and a
// tuple made of another twice, nested, would double its name per level.
const maxTypeString = 4096

// writeMembers spells the tuple or record t into b, to a little past
// maxTypeString.
func writeMembers(b *strings.Builder, t *Type) {
	b.WriteByte('(')
	for i, f := range t.Fields {
		if b.Len() > maxTypeString {
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		if t.Kind == KindRecord {
			b.WriteString(f.Name)
			b.WriteByte('=')
		}
		if f.Type != nil && (f.Type.Kind == KindTuple || f.Type.Kind == KindRecord) {
			writeMembers(b, f.Type)
		} else {
			b.WriteString(f.Type.String())
		}
	}
	b.WriteByte(')')
}

// ValueType returns the type an expression has when a value of t is read
// in the program: a count, sum, avg, min or max map yields its integer.
func (t *Type) ValueType() *Type {
	switch t.Kind {
	case KindCount:
		return Uint64
	case KindSum, KindAvg, KindMin, KindMax:
		return IntType(8, t.Signed)
	}
	return t
}

// literalType is the type of an integer literal: the smallest signed type
// that holds it, sign-flexible, or uint64 past int64's range.
func literalType(v uint64) *Type {
	switch {
	case v <= 1<<7-1:
		return intType(1, true, true)
	case v <= 1<<15-1:
		return intType(2, true, true)
	case v <= 1<<31-1:
		return intType(4, true, true)
	case v <= 1<<63-1:
		return intType(8, true, true)
	}
	return Uint64
}

// adaptSign gives a sign-flexible operand the other operand's sign.
func adaptSign(x, y *Type) (*Type, *Type) {
	switch {
	case x.Flexible && !y.Flexible:
		return IntType(x.Size, y.Signed), y
	case y.Flexible && !x.Flexible:
		return x, IntType(y.Size, x.Signed)
	}
	return x, y
}

// intView returns the integer type a register holding a value of t has.
func intView(t *Type) *Type {
	switch t.Kind {
	case KindInt:
		return t
	case KindBool:
		return Uint8
	case KindSum, KindAvg, KindMin, KindMax:
		return IntType(8, t.Signed)
	}
	return Uint64
}

// arithType is bpftrace's type of an arithmetic result on integers: 64
// bits, signed when either operand is (after a literal adapts its sign) or
// for subtraction.
func arithType(op Op, x, y *Type) *Type {
	x, y = adaptSign(intView(x), intView(y))
	if x.Signed || y.Signed || op == OpSub {
		return Int64
	}
	return Uint64
}

// Promote is the type a variable or map takes when it holds values of a
// and b: the larger size; the sign of a signed side; when the signs differ
// and the signed side is not larger, a signed type twice the larger size
// (int64 at most). Literals adapt their sign.
func Promote(a, b *Type) *Type {
	as, bs := intView(a), intView(b)
	flexible := as.Flexible && bs.Flexible
	if as.Signed != bs.Signed {
		if as.Flexible || bs.Flexible {
			signed := !as.Flexible && as.Signed || !bs.Flexible && bs.Signed
			return intType(max(as.Size, bs.Size), signed, flexible)
		}
		switch {
		case as.Signed && as.Size > bs.Size:
			return IntType(as.Size, true)
		case bs.Signed && bs.Size > as.Size:
			return IntType(bs.Size, true)
		}
		return IntType(min(2*max(as.Size, bs.Size), 8), true)
	}
	return intType(max(as.Size, bs.Size), as.Signed, flexible)
}

// fixed returns t without the literal flexibility, as stored.
func fixed(t *Type) *Type {
	if t.Kind == KindInt && t.Flexible {
		return IntType(t.Size, t.Signed)
	}
	return t
}

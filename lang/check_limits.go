package lang

import "fmt"

// MaxValueSize is the most bytes a tuple or record may have. It is the
// most a per-CPU map value holds (the kernel's PCPU_MIN_UNIT_SIZE, 32 KiB),
// which is where the code generator builds the values the stack has no
// room for, map keys and values among them: hawk can build nothing larger
// (codegen.MaxScratch is this limit).
const MaxValueSize = 32 << 10

// MaxMembers is the most members a tuple or record may have, counting
// those of the tuples and records in it: (1, (2, 3)) has 4. Members of
// no size, such as (), would otherwise nest without bound within
// MaxValueSize; each member is a step of every walk over the type, and of
// the code that copies, compares and prints its values.
const MaxMembers = 1024

// tooLarge says how the tuple or record type t goes past MaxMembers or
// MaxValueSize ("a tuple of N bytes, more than ..."), or "" when it fits.
// Both counts are kept in t as it is built: nothing walks its members.
func tooLarge(t *Type) string {
	kind := "tuple"
	if t.Kind == KindRecord {
		kind = "record"
	}
	switch {
	case t.Size > MaxValueSize:
		return fmt.Sprintf("a %s of %d bytes, more than hawk's limit of %d for a value", kind, t.Size, MaxValueSize)
	case t.members > MaxMembers:
		return fmt.Sprintf("a %s of %d members, counting those of the tuples and records in it, more than hawk's limit of %d",
			kind, t.members, MaxMembers)
	}
	return ""
}

// fits reports whether the tuple or record type t fits in the limits, and
// reports at n what does not: message is the error's text before the
// type's description ("this is", "storing this makes $x").
func (c *checker) fits(n Node, t *Type, message string) bool {
	if t.Kind != KindTuple && t.Kind != KindRecord {
		return true
	}
	reason := tooLarge(t)
	if reason == "" {
		return true
	}
	d := c.errorf(n, "%s %s", message, reason)
	if t.members <= MaxMembers {
		if s := stringBytes(t); s > 0 {
			d.Hint = fmt.Sprintf("its strings take %d of those bytes: read shorter ones with str(s, N), or set a smaller max_strlen", s)
		}
	}
	return false
}

// stringBytes is how many bytes the strings in a tuple or record take,
// those of the tuples and records in it too.
func stringBytes(t *Type) int {
	n := 0
	for _, f := range t.Fields {
		switch f.Type.Kind {
		case KindString:
			n += f.Type.Size
		case KindTuple, KindRecord:
			n += stringBytes(f.Type)
		}
	}
	return n
}

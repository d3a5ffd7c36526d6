package kernel

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cilium/ebpf/btf"
)

// KernelTypeNames lists the named structs, unions and enums of the
// kernel's BTF, spelled "struct task_struct", "union bpf_attr", "enum
// cpu_usage_stat", sorted and without repeats: what `-l 'struct *'` lists.
func (e *Env) KernelTypeNames() ([]string, error) {
	spec, err := e.btf()
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var names []string
	for t, err := range spec.All() {
		if err != nil {
			return nil, err
		}
		name := aggregateName(t)
		if name != "" && !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names, nil
}

// KernelTypeDefinition returns the C definition of the kernel's struct,
// union or enum name ("struct task_struct"), as libbpf's btf_dump prints
// it and `bpftrace -lv` shows it: members one a line, a tab in for each
// level, anonymous members' types written out in place, bitfields with
// their width, the padding the layout needs as `long: 64;` and
// `__attribute__((packed))` where members are not naturally aligned.
func (e *Env) KernelTypeDefinition(name string) (string, error) {
	spec, err := e.btf()
	if err != nil {
		return "", err
	}
	for t, err := range spec.All() {
		if err != nil {
			return "", err
		}
		if aggregateName(t) == name {
			return CDefinition(t) + ";", nil
		}
	}
	return "", fmt.Errorf("the kernel's BTF has no %s", name)
}

// aggregateName is "struct NAME", "union NAME" or "enum NAME" for a named
// struct, union or enum (not a forward declaration), else "".
func aggregateName(t btf.Type) string {
	if isAnonymous(t) {
		return ""
	}
	switch t := t.(type) {
	case *btf.Struct:
		return "struct " + t.Name
	case *btf.Union:
		return "union " + t.Name
	case *btf.Enum:
		return "enum " + t.Name
	}
	return ""
}

// CDefinition writes the definition of a struct, union or enum type,
// without the closing semicolon; any other type is its declaration.
func CDefinition(t btf.Type) string {
	var b strings.Builder
	writeDefinition(&b, t, 0)
	return b.String()
}

func writeDefinition(b *strings.Builder, t btf.Type, lvl int) {
	switch t := t.(type) {
	case *btf.Struct:
		writeAggregate(b, "struct", t.Name, t.Size, t.Members, true, lvl)
	case *btf.Union:
		writeAggregate(b, "union", t.Name, t.Size, t.Members, false, lvl)
	case *btf.Enum:
		writeEnum(b, t, lvl)
	default:
		b.WriteString(CDecl(t))
	}
}

func indent(lvl int) string { return strings.Repeat("\t", lvl) }

// writeAggregate follows libbpf's btf_dump_emit_struct_def.
func writeAggregate(b *strings.Builder, kind, name string, size uint32, members []btf.Member, isStruct bool, lvl int) {
	b.WriteString(kind)
	if name != "" {
		b.WriteString(" " + name)
	}
	b.WriteString(" {")
	packed := isStruct && isPacked(size, members)
	off := 0
	prevBitfield := false
	for _, m := range members {
		mOff, mSz := int(m.Offset), int(m.BitfieldSize)
		mAlign := 1
		if !packed {
			mAlign = alignOf(m.Type)
		}
		writePadding(b, off, mOff, mAlign, prevBitfield && mSz != 0, lvl+1)
		b.WriteString("\n" + indent(lvl+1))
		b.WriteString(memberDecl(m.Type, m.Name, lvl+1))
		if mSz != 0 {
			fmt.Fprintf(b, ": %d", mSz)
			off = mOff + mSz
			prevBitfield = true
		} else {
			sz, err := btf.Sizeof(m.Type)
			if err != nil || sz < 0 {
				sz = 0
			}
			off = mOff + sz*8
			prevBitfield = false
		}
		b.WriteString(";")
	}
	if isStruct {
		writePadding(b, off, int(size)*8, alignOfAggregate(size, members), false, lvl+1)
	}
	if len(members) > 0 || size > 0 {
		b.WriteString("\n" + indent(lvl) + "}")
	} else {
		b.WriteString("}")
	}
	if packed {
		b.WriteString(" __attribute__((packed))")
	}
}

// memberDecl declares a member: its type and name as C writes them, an
// anonymous struct, union or enum written out in place.
func memberDecl(t btf.Type, name string, lvl int) string {
	var b strings.Builder
	stack := declStack(t)
	emitChain(&b, stack, name)
	decl := b.String()
	base := stack[len(stack)-1]
	if !isAnonymous(base) {
		return decl
	}
	var def strings.Builder
	writeDefinition(&def, base, lvl)
	for _, kind := range []string{"struct", "union", "enum"} {
		if i := strings.Index(decl, kind+" {...}"); i >= 0 {
			return decl[:i] + def.String() + decl[i+len(kind)+6:]
		}
	}
	return decl
}

func isAnonymous(t btf.Type) bool {
	switch t := t.(type) {
	case *btf.Struct:
		return t.Name == ""
	case *btf.Union:
		return t.Name == ""
	case *btf.Enum:
		return t.Name == ""
	}
	return false
}

// writeEnum follows libbpf's btf_dump_emit_enum_def.
func writeEnum(b *strings.Builder, t *btf.Enum, lvl int) {
	b.WriteString("enum")
	if t.Name != "" {
		b.WriteString(" " + t.Name)
	}
	if len(t.Values) == 0 {
		return
	}
	b.WriteString(" {")
	for _, v := range t.Values {
		b.WriteString("\n" + indent(lvl+1) + v.Name + " = ")
		if t.Signed {
			fmt.Fprintf(b, "%d,", int64(v.Value))
		} else {
			fmt.Fprintf(b, "%d,", v.Value)
		}
	}
	b.WriteString("\n" + indent(lvl) + "}")
}

// writePadding follows libbpf's btf_dump_emit_bit_padding: the explicit
// padding between bit offsets cur and next that the natural alignment of
// the next member (nextAlign bytes) does not already give.
func writePadding(b *strings.Builder, cur, next, nextAlign int, inBitfield bool, lvl int) {
	if cur >= next {
		return
	}
	pads := []struct {
		name string
		bits int
	}{{"long", 64}, {"int", 32}, {"short", 16}, {"char", 8}}
	var padBits, newOff int
	var padType string
	for _, p := range pads {
		padBits, padType = p.bits, p.name
		newOff = roundUp(cur, padBits)
		if newOff <= next {
			break
		}
	}
	if newOff > cur && newOff <= next {
		if inBitfield || newOff == next && roundUp(cur, nextAlign*8) != newOff ||
			newOff != next && next-newOff <= newOff-cur {
			w := 0
			if inBitfield {
				w = newOff - cur
			}
			fmt.Fprintf(b, "\n%s%s: %d;", indent(lvl), padType, w)
		}
		cur = newOff
	}
	for cur != next {
		bits := min(next-cur, padBits)
		if bits == padBits {
			fmt.Fprintf(b, "\n%s%s: %d;", indent(lvl), padType, padBits)
			cur += bits
			continue
		}
		for i := len(pads) - 1; i >= 0; i-- {
			if pads[i].bits < bits {
				continue
			}
			fmt.Fprintf(b, "\n%s%s: %d;", indent(lvl), pads[i].name, bits)
			cur += bits
			break
		}
	}
}

func roundUp(n, to int) int { return (n + to - 1) / to * to }

// alignOf follows libbpf's btf__align_of, for x86-64's 8-byte pointers.
func alignOf(t btf.Type) int {
	switch t := t.(type) {
	case *btf.Int:
		return min(8, int(t.Size))
	case *btf.Enum:
		return min(8, int(t.Size))
	case *btf.Float:
		return min(8, int(t.Size))
	case *btf.Pointer:
		return 8
	case *btf.Typedef:
		return alignOf(t.Type)
	case *btf.Volatile:
		return alignOf(t.Type)
	case *btf.Const:
		return alignOf(t.Type)
	case *btf.Restrict:
		return alignOf(t.Type)
	case *btf.TypeTag:
		return alignOf(t.Type)
	case *btf.Array:
		return alignOf(t.Type)
	case *btf.Struct:
		return alignOfAggregate(t.Size, t.Members)
	case *btf.Union:
		return alignOfAggregate(t.Size, t.Members)
	}
	return 1
}

func alignOfAggregate(size uint32, members []btf.Member) int {
	maxAlign := 1
	for _, m := range members {
		a := alignOf(m.Type)
		maxAlign = max(maxAlign, a)
		if m.BitfieldSize == 0 && int(m.Offset)%(8*a) != 0 {
			return 1
		}
	}
	if int(size)%maxAlign != 0 {
		return 1
	}
	return maxAlign
}

// isPacked follows libbpf's btf_is_struct_packed.
func isPacked(size uint32, members []btf.Member) bool {
	maxAlign := 1
	for _, m := range members {
		a := alignOf(m.Type)
		if m.BitfieldSize == 0 && int(m.Offset)%(8*a) != 0 {
			return true
		}
		maxAlign = max(maxAlign, a)
	}
	return int(size)%maxAlign != 0
}

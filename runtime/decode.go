package runtime

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net"
	"os/user"
	"strconv"
	"strings"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/output"
)

var ne = binary.NativeEndian

// decoder turns bytes from the kernel into values, resolving what needs
// user space: user names, kernel symbols, stack traces.
type decoder struct {
	s     *Session
	users map[uint64]string
	// kallsymsWarned is set once the run was warned that kernel
	// addresses cannot be named (kernelSymbols).
	kallsymsWarned bool
}

// decode reads a value of type t stored at b as codegen stores a whole
// value (a map value or key, a variable, a record's argument): scalars in
// 8 bytes.
func (d *decoder) decode(t *lang.Type, b []byte) output.Value {
	if t.IsScalar() {
		return d.scalar(t, ne.Uint64(b))
	}
	return d.member(t, b)
}

// member reads a value inside a tuple, record, struct or array, where
// integers take their own size.
func (d *decoder) member(t *lang.Type, b []byte) output.Value {
	switch t.Kind {
	case lang.KindInt, lang.KindBool:
		var x uint64
		switch t.Size {
		case 1:
			x = uint64(b[0])
		case 2:
			x = uint64(ne.Uint16(b))
		case 4:
			x = uint64(ne.Uint32(b))
		default:
			x = ne.Uint64(b)
		}
		if t.Signed {
			shift := 64 - 8*t.Size
			x = uint64(int64(x<<shift) >> shift)
		}
		return d.scalar(t, x)
	case lang.KindString:
		return output.StringValue(d.s.strText(t, b))
	case lang.KindTuple, lang.KindRecord, lang.KindStruct:
		v := output.Value{Kind: output.Tuple}
		if t.Kind != lang.KindTuple {
			v.Kind = output.Record
		}
		for _, f := range t.Fields {
			if f.BitSize > 0 {
				v.Elems = append(v.Elems, d.bitfield(f, b))
				v.Names = append(v.Names, f.Name)
				continue
			}
			if f.Offset+f.Type.StoredSize() > len(b) {
				break
			}
			v.Elems = append(v.Elems, d.member(f.Type, b[f.Offset:]))
			v.Names = append(v.Names, f.Name)
		}
		return v
	case lang.KindArray:
		v := output.Value{Kind: output.Array}
		for i := 0; i < t.Len && (i+1)*t.Elem.Size <= len(b); i++ {
			v.Elems = append(v.Elems, d.member(t.Elem, b[i*t.Elem.Size:]))
		}
		return v
	case lang.KindFloat:
		return output.Value{Kind: output.Null} // as bpftrace prints it
	case lang.KindBuffer:
		n := min(int(ne.Uint64(b)), t.Size, len(b)-8)
		return output.StringValue(output.EscapeBuffer(b[8:8+n], 0))
	case lang.KindInet:
		return output.StringValue(inetString(b))
	case lang.KindMacaddr:
		return output.StringValue(macaddrString(b))
	case lang.KindUsym:
		return output.StringValue(d.usym(uint32(ne.Uint64(b[8:])), ne.Uint64(b), false, false))
	}
	if t.IsScalar() {
		return d.scalar(t, ne.Uint64(b))
	}
	return output.Value{}
}

// bitfield reads the bitfield f of the struct at b: BitSize bits from bit
// BitOffset of the bytes at Offset, zero-extended as the program reads
// them (codegen's readScalar), unless its type is signed.
func (d *decoder) bitfield(f lang.Field, b []byte) output.Value {
	var word [8]byte
	if f.Offset < len(b) {
		copy(word[:], b[f.Offset:])
	}
	x := ne.Uint64(word[:]) >> f.BitOffset
	if f.BitSize < 64 {
		x &= 1<<f.BitSize - 1
		if f.Type.IsSigned() && x&(1<<(f.BitSize-1)) != 0 {
			x |= ^uint64(0) << f.BitSize
		}
	}
	return d.scalar(f.Type, x)
}

// scalar turns the bits of a scalar into its value.
func (d *decoder) scalar(t *lang.Type, x uint64) output.Value {
	switch t.Kind {
	case lang.KindBool:
		return output.BoolValue(x != 0)
	case lang.KindPointer:
		// 0x32 in text, the number in JSON, as bpftrace prints pointers.
		return output.SymbolValue("0x"+strconv.FormatUint(x, 16), x)
	case lang.KindUsername:
		return output.StringValue(d.username(x))
	case lang.KindKsym:
		return output.StringValue(d.ksymName(x))
	case lang.KindStack:
		if t.IsUserStack() {
			return output.Value{Kind: output.Verbatim, S: d.userStack(t, x)}
		}
		return output.Value{Kind: output.Verbatim, S: d.stack(t, x)}
	case lang.KindTimestamp:
		return output.StringValue(strftime(t.Name, wallTime(x)))
	case lang.KindCgroup:
		return output.StringValue(cgroupPaths(x, t.Name))
	}
	if t.IsEnum() {
		return enumValue(t, x)
	}
	if t.IsSigned() {
		return output.IntValue(int64(x))
	}
	return output.UintValue(x)
}

// enumValue is a value of an enum type: its enumerator's name, or the
// number when the enum has no such enumerator, as bpftrace prints them;
// the number in JSON.
func enumValue(t *lang.Type, x uint64) output.Value {
	if t.Size > 0 && t.Size < 8 {
		x &= 1<<(8*t.Size) - 1
	}
	name, ok := t.EnumName(x)
	if !ok {
		name = strconv.FormatUint(x, 10)
	}
	return output.SymbolValue(name, x)
}

// username resolves a uid the way ls does, or prints the number.
func (d *decoder) username(uid uint64) string {
	if name, ok := d.users[uid]; ok {
		return name
	}
	name := strconv.FormatUint(uid, 10)
	if u, err := user.LookupId(name); err == nil {
		name = u.Username
	}
	if d.users == nil {
		d.users = map[uint64]string{}
	}
	d.users[uid] = name
	return name
}

// ksymName is the kernel symbol an address falls in.
func (d *decoder) ksymName(addr uint64) string {
	if syms := d.kernelSymbols(); syms != nil {
		if name, _, ok := syms.Lookup(addr); ok {
			return name
		}
	}
	return "0x" + strconv.FormatUint(addr, 16)
}

// stack reads a kernel stack by its id in the stack map and prints its
// frames as bpftrace does: a newline, then one frame a line, indented.
func (d *decoder) stack(t *lang.Type, id uint64) string {
	limit, mode := int(t.Args[0]), lang.StackModes[t.Args[1]]
	if noStack(int32(id)) {
		return ""
	}
	var b strings.Builder
	b.WriteByte('\n')
	frames, ok := d.stackFrames(limit, int32(id))
	if !ok {
		b.WriteString("        <stack unavailable>\n")
		return b.String()
	}
	syms := d.kernelSymbols()
	for _, ip := range frames {
		sym, off, ok := "", uint64(0), false
		if syms != nil {
			sym, off, ok = syms.Lookup(ip)
		}
		switch {
		case mode == "raw":
			fmt.Fprintf(&b, "%x\n", ip)
		case mode == "perf" && ok:
			fmt.Fprintf(&b, "\t%x %s+%d ([kernel.kallsyms])\n", ip, sym, off)
		case mode == "perf":
			fmt.Fprintf(&b, "\t%x [unknown] ([kernel.kallsyms])\n", ip)
		case ok:
			fmt.Fprintf(&b, "        %s+%d\n", sym, off)
		default:
			fmt.Fprintf(&b, "        0x%x\n", ip)
		}
	}
	return b.String()
}

// cString returns the bytes of b up to the first NUL.
func cString(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// inetString renders an inet value: family, then a 4 or 16 byte address.
func inetString(b []byte) string {
	if len(b) < 24 {
		return ""
	}
	switch ne.Uint64(b) {
	case 2:
		return net.IP(b[8:12]).String()
	case 10:
		return net.IP(b[8:24]).String()
	}
	return ""
}

// decodeKey reads a map key: one value, or a tuple of its parts.
func (d *decoder) decodeKey(l *codegen.Layout, b []byte) output.Value {
	if len(l.Parts) == 1 {
		return d.decode(l.Parts[0].Type, b)
	}
	elems := make([]output.Value, len(l.Parts))
	for i, p := range l.Parts {
		elems[i] = d.member(p.Type, b[p.Offset:])
	}
	return output.Value{Kind: output.Tuple, Elems: elems}
}

package object

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

// mapsSection is the section of BTF-described map definitions.
const mapsSection = ".maps"

var (
	btfUint = &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}
	// btfArraySize is the index type of the arrays __uint() declares, as
	// clang names it.
	btfArraySize = &btf.Int{Name: "__ARRAY_SIZE_TYPE__", Size: 4}
)

// uintMember is libbpf's __uint(name, v): a pointer to an array of v ints,
// which declares v without taking room.
func uintMember(name string, v uint32) btf.Member {
	return btf.Member{Name: name, Type: &btf.Pointer{Target: &btf.Array{Index: btfArraySize, Type: btfUint, Nelems: v}}}
}

// mapDefinition is the BTF of a map's definition in .maps: an anonymous
// struct of __uint() and __type() members, as cilium/ebpf's
// mapSpecFromBTF reads it.
func mapDefinition(name string, ms *ebpf.MapSpec) (*btf.Var, error) {
	switch {
	case len(ms.Contents) > 0:
		return nil, fmt.Errorf("map %s: initial contents can only be written for single-entry arrays read as data", name)
	case ms.InnerMap != nil:
		return nil, fmt.Errorf("map %s: maps of maps are not supported", name)
	case ms.Extra != nil:
		return nil, fmt.Errorf("map %s: legacy map definition data is not supported", name)
	case ms.NumaNode != 0:
		return nil, fmt.Errorf("map %s: a NUMA node cannot be written in a BTF map definition", name)
	case ms.MapExtra > math.MaxUint32:
		return nil, fmt.Errorf("map %s: map_extra %#x does not fit 32 bits", name, ms.MapExtra)
	}
	members := []btf.Member{uintMember("type", uint32(ms.Type))}
	if ms.Key != nil {
		if err := checkSize(name, "key", ms.Key, ms.KeySize); err != nil {
			return nil, err
		}
		members = append(members, btf.Member{Name: "key", Type: &btf.Pointer{Target: ms.Key}})
	} else if ms.KeySize != 0 {
		members = append(members, uintMember("key_size", ms.KeySize))
	}
	if ms.Value != nil {
		if err := checkSize(name, "value", ms.Value, ms.ValueSize); err != nil {
			return nil, err
		}
		members = append(members, btf.Member{Name: "value", Type: &btf.Pointer{Target: ms.Value}})
	} else if ms.ValueSize != 0 {
		members = append(members, uintMember("value_size", ms.ValueSize))
	}
	members = append(members, uintMember("max_entries", ms.MaxEntries))
	if ms.Flags != 0 {
		members = append(members, uintMember("map_flags", ms.Flags))
	}
	if ms.Pinning != 0 {
		members = append(members, uintMember("pinning", uint32(ms.Pinning)))
	}
	if ms.MapExtra != 0 {
		members = append(members, uintMember("map_extra", uint32(ms.MapExtra)))
	}
	for i := range members {
		members[i].Offset = btf.Bits(64 * i)
	}
	def := &btf.Struct{Size: uint32(8 * len(members)), Members: members}
	return &btf.Var{Name: name, Type: def, Linkage: btf.GlobalVar, Tags: ms.Tags}, nil
}

func checkSize(name, what string, t btf.Type, size uint32) error {
	n, err := btf.Sizeof(t)
	if err != nil {
		return fmt.Errorf("map %s: %s type: %w", name, what, err)
	}
	if uint32(n) != size {
		return fmt.Errorf("map %s: %s type %s is %d bytes, but the %s size is %d", name, what, t, n, what, size)
	}
	return nil
}

// marshalBTF encodes the builder's types, then appends strs to the string
// table: what .BTF.ext names (sections, files, lines), which
// btf.Builder has no call to add. It returns the BTF and each string's
// offset.
func marshalBTF(b *btf.Builder, strs []string) ([]byte, map[string]uint32, error) {
	raw, err := b.Marshal(nil, &btf.MarshalOptions{Order: le})
	if err != nil {
		return nil, nil, err
	}
	// The header: magic, version, flags, hdr_len, type_off, type_len,
	// str_off, str_len. Marshal puts the strings last.
	if len(raw) < 24 {
		return nil, nil, errors.New("short BTF")
	}
	hdrLen, strOff, strLen := le.Uint32(raw[4:]), le.Uint32(raw[16:]), le.Uint32(raw[20:])
	start := int(hdrLen + strOff)
	if start+int(strLen) != len(raw) {
		return nil, nil, errors.New("BTF strings are not at the end")
	}
	offs := map[string]uint32{}
	table := raw[start:]
	for off := 0; off < len(table); {
		end := bytes.IndexByte(table[off:], 0)
		if end < 0 {
			break
		}
		if _, ok := offs[string(table[off:off+end])]; !ok {
			offs[string(table[off:off+end])] = uint32(off)
		}
		off += end + 1
	}
	for _, s := range strs {
		if _, ok := offs[s]; ok {
			continue
		}
		if strings.IndexByte(s, 0) >= 0 {
			return nil, nil, fmt.Errorf("string %q holds a NUL byte", s)
		}
		offs[s] = uint32(len(raw) - start)
		raw = append(append(raw, s...), 0)
	}
	le.PutUint32(raw[20:], uint32(len(raw)-start))
	return raw, offs, nil
}

// funcInfo is a .BTF.ext func_info record: a function's BTF at a byte
// offset in its section.
type funcInfo struct {
	off uint64
	fn  *btf.Func
}

// lineInfo is a .BTF.ext line_info record.
type lineInfo struct {
	off        uint64
	file, line string
	lineNo     uint32
	col        uint32
}

// Limits of the line_col field of line_info: the line in the upper 22
// bits, the column in the lower 10.
const (
	lineShift = 10
	maxLine   = 1<<(32-lineShift) - 1
	maxCol    = 1<<lineShift - 1
)

// extInfo is the .BTF.ext content of one section.
type extInfo struct {
	section string
	funcs   []funcInfo
	lines   []lineInfo
}

// btfExt encodes .BTF.ext: a header, then func_info and line_info, each a
// record size followed by, for every section with records, its name, the
// number of records and the records (offsets in bytes, as in ELF files).
func btfExt(infos []extInfo, ids map[*btf.Func]btf.TypeID, strs map[string]uint32) []byte {
	var funcs, lines bytes.Buffer
	binary.Write(&funcs, le, uint32(8))
	binary.Write(&lines, le, uint32(16))
	for _, in := range infos {
		if len(in.funcs) > 0 {
			binary.Write(&funcs, le, [2]uint32{strs[in.section], uint32(len(in.funcs))})
			for _, f := range in.funcs {
				binary.Write(&funcs, le, [2]uint32{uint32(f.off), uint32(ids[f.fn])})
			}
		}
		if len(in.lines) > 0 {
			binary.Write(&lines, le, [2]uint32{strs[in.section], uint32(len(in.lines))})
			for _, l := range in.lines {
				binary.Write(&lines, le, [4]uint32{uint32(l.off), strs[l.file], strs[l.line], l.lineNo<<lineShift | l.col})
			}
		}
	}
	// The header ends with the offset and length of CO-RE relocations,
	// none here, which clang always writes and cilium/ebpf expects.
	const hdrLen = 32
	var b bytes.Buffer
	binary.Write(&b, le, struct {
		Magic          uint16
		Version, Flags uint8
		HdrLen         uint32
		FuncOff        uint32
		FuncLen        uint32
		LineOff        uint32
		LineLen        uint32
		COREOff        uint32
		CORELen        uint32
	}{0xeb9f, 1, 0, hdrLen, 0, uint32(funcs.Len()), uint32(funcs.Len()), uint32(lines.Len()), uint32(funcs.Len() + lines.Len()), 0})
	b.Write(funcs.Bytes())
	b.Write(lines.Bytes())
	return b.Bytes()
}

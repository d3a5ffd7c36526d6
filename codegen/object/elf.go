package object

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"io"
)

// le is the byte order of every object hawk writes.
var le = binary.LittleEndian

// section is one section of the object being written.
type section struct {
	name    string
	typ     elf.SectionType
	flags   elf.SectionFlag
	data    []byte
	link    uint32
	info    uint32
	align   uint64
	entsize uint64
}

// symbol is one symbol of the object being written.
type symbol struct {
	name  string
	bind  elf.SymBind
	typ   elf.SymType
	shndx int // section index
	value uint64
	size  uint64
}

// relocType is a BPF relocation type.
type relocType uint32

// The relocations clang emits for BPF: R_BPF_64_64 for 64-bit immediate
// loads (maps, data, function addresses), R_BPF_64_32 for calls.
const (
	rBPF64_64 relocType = 1
	rBPF64_32 relocType = 10
)

// reloc is a relocation of the instruction at off in its section against
// a symbol, by index in the symbol table.
type reloc struct {
	off uint64
	sym int
	typ relocType
}

// elfFile assembles an ELF64 little-endian relocatable BPF object. Index 0
// of sections is the null section; symbols are numbered from 1.
type elfFile struct {
	sections []*section
	locals   []symbol
	globals  []symbol
}

func newELF() *elfFile {
	return &elfFile{sections: []*section{{}}}
}

// add appends a section and returns its index.
func (f *elfFile) add(s *section) int {
	f.sections = append(f.sections, s)
	return len(f.sections) - 1
}

// symbol adds a symbol and returns a function giving its final index, which
// is only known once every local symbol is in (locals come first).
func (f *elfFile) symbol(s symbol) func() int {
	if s.bind == elf.STB_LOCAL {
		f.locals = append(f.locals, s)
		i := len(f.locals)
		return func() int { return i }
	}
	f.globals = append(f.globals, s)
	i := len(f.globals)
	return func() int { return len(f.locals) + i }
}

// relSection returns the SHT_REL section for the relocations of section
// target.
func relSection(name string, target int, relocs []reloc, symtab int) *section {
	var b bytes.Buffer
	for _, r := range relocs {
		binary.Write(&b, le, elf.Rel64{Off: r.off, Info: elf.R_INFO(uint32(r.sym), uint32(r.typ))})
	}
	return &section{name: ".rel" + name, typ: elf.SHT_REL, flags: elf.SHF_INFO_LINK, data: b.Bytes(),
		link: uint32(symtab), info: uint32(target), align: 8, entsize: 16}
}

// write lays the object out: header, section contents, section headers.
// The section at index strtab receives the names of sections and symbols,
// the one at symtab the symbols.
func (f *elfFile) write(w io.Writer, strtab, symtab int) error {
	names := newStrtab()
	shName := make([]uint32, len(f.sections))
	for i, s := range f.sections[1:] {
		shName[i+1] = names.add(s.name)
	}
	var syms bytes.Buffer
	binary.Write(&syms, le, elf.Sym64{})
	for _, s := range append(append([]symbol(nil), f.locals...), f.globals...) {
		binary.Write(&syms, le, elf.Sym64{
			Name:  names.add(s.name),
			Info:  elf.ST_INFO(s.bind, s.typ),
			Other: uint8(elf.STV_DEFAULT),
			Shndx: uint16(s.shndx),
			Value: s.value,
			Size:  s.size,
		})
	}
	f.sections[symtab].data = syms.Bytes()
	f.sections[symtab].info = uint32(len(f.locals) + 1) // the first global
	f.sections[strtab].data = names.bytes()

	const headerSize = 64
	var body bytes.Buffer
	offsets := make([]uint64, len(f.sections))
	for i, s := range f.sections[1:] {
		pad := alignUp(headerSize+uint64(body.Len()), max(s.align, 1)) - headerSize - uint64(body.Len())
		body.Write(make([]byte, pad))
		offsets[i+1] = headerSize + uint64(body.Len())
		body.Write(s.data)
	}
	body.Write(make([]byte, alignUp(headerSize+uint64(body.Len()), 8)-headerSize-uint64(body.Len())))
	shoff := headerSize + uint64(body.Len())
	if len(f.sections) >= int(elf.SHN_LORESERVE) {
		return fmt.Errorf("too many sections: %d", len(f.sections))
	}

	hdr := elf.Header64{
		Type:      uint16(elf.ET_REL),
		Machine:   uint16(elf.EM_BPF),
		Version:   uint32(elf.EV_CURRENT),
		Shoff:     shoff,
		Ehsize:    headerSize,
		Shentsize: 64,
		Shnum:     uint16(len(f.sections)),
		Shstrndx:  uint16(strtab),
	}
	copy(hdr.Ident[:], elf.ELFMAG)
	hdr.Ident[elf.EI_CLASS] = byte(elf.ELFCLASS64)
	hdr.Ident[elf.EI_DATA] = byte(elf.ELFDATA2LSB)
	hdr.Ident[elf.EI_VERSION] = byte(elf.EV_CURRENT)
	hdr.Ident[elf.EI_OSABI] = byte(elf.ELFOSABI_NONE)

	var out bytes.Buffer
	binary.Write(&out, le, hdr)
	out.Write(body.Bytes())
	binary.Write(&out, le, elf.Section64{})
	for i, s := range f.sections[1:] {
		binary.Write(&out, le, elf.Section64{
			Name:      shName[i+1],
			Type:      uint32(s.typ),
			Flags:     uint64(s.flags),
			Off:       offsets[i+1],
			Size:      uint64(len(s.data)),
			Link:      s.link,
			Info:      s.info,
			Addralign: max(s.align, 1),
			Entsize:   s.entsize,
		})
	}
	_, err := w.Write(out.Bytes())
	return err
}

func alignUp(n, align uint64) uint64 {
	return (n + align - 1) / align * align
}

// strtab builds an ELF string table.
type strtab struct {
	buf bytes.Buffer
	off map[string]uint32
}

func newStrtab() *strtab {
	t := &strtab{off: map[string]uint32{"": 0}}
	t.buf.WriteByte(0)
	return t
}

func (t *strtab) add(s string) uint32 {
	if off, ok := t.off[s]; ok {
		return off
	}
	off := uint32(t.buf.Len())
	t.buf.WriteString(s)
	t.buf.WriteByte(0)
	t.off[s] = off
	return off
}

func (t *strtab) bytes() []byte { return t.buf.Bytes() }

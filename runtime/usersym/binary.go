package usersym

import (
	"debug/elf"
	"errors"
	"slices"
	"sync"
)

// binary is what resolving needs of one ELF file: its type, its loadable
// segments and its symbols (.symtab and .dynsym, or for a stripped Go
// binary .dynsym and .gopclntab). It is loaded once, by the first user.
type binary struct {
	once sync.Once
	typ  elf.Type
	load []segment
	syms *symtab
	err  error
	// path is where the file was read, id its identity; dwarf is its
	// DWARF, read only when a source line is asked for.
	path  string
	id    fileID
	dwarf debugInfo
}

// segment is one PT_LOAD program header.
type segment struct {
	off, filesz, memsz, vaddr uint64
}

// pageMask rounds file offsets down to the page a mapping starts on.
const pageMask = 4096 - 1

// open loads b from the ELF file at path, once; later calls wait for the
// first and do nothing.
func (b *binary) open(path string) {
	b.once.Do(func() { b.err = b.read(path) })
}

func (b *binary) read(path string) error {
	b.path = path
	f, err := elf.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	b.typ = f.Type
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD {
			b.load = append(b.load, segment{p.Off, p.Filesz, p.Memsz, p.Vaddr})
		}
	}
	all, err := FileSymbols(f)
	if err != nil {
		return err
	}
	var syms []symbol
	for _, s := range all {
		if keepSymbol(s) {
			syms = append(syms, symbol{s.Value, s.Size, s.Name, elf.ST_BIND(s.Info)})
		}
	}
	if f.SectionByType(elf.SHT_SYMTAB) == nil {
		gos, err := goFuncs(f)
		if err != nil {
			return err
		}
		syms = append(syms, gos...)
	}
	b.syms = newSymtab(syms)
	return nil
}

// FuncNames lists the functions an ELF file defines, sorted and each
// once: those of its .symtab and .dynsym, or of its .gopclntab when it is
// a stripped Go binary. A uprobe can attach to each by name.
func FuncNames(path string) ([]string, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	all, err := FileSymbols(f)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, s := range all {
		if keepSymbol(s) && elf.ST_TYPE(s.Info) != elf.STT_OBJECT {
			names = append(names, s.Name)
		}
	}
	if f.SectionByType(elf.SHT_SYMTAB) == nil {
		gos, err := goFuncs(f)
		if err != nil {
			return nil, err
		}
		for _, s := range gos {
			names = append(names, s.name)
		}
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// FileSymbols returns the entries of f's .symtab, then of its .dynsym;
// either may be missing (stripped files keep only .dynsym).
func FileSymbols(f *elf.File) ([]elf.Symbol, error) {
	syms, err := f.Symbols()
	if err != nil && !errors.Is(err, elf.ErrNoSymbols) {
		return nil, err
	}
	dyn, err := f.DynamicSymbols()
	if err != nil && !errors.Is(err, elf.ErrNoSymbols) {
		return nil, err
	}
	return append(syms, dyn...), nil
}

// vaddr translates addr, an address in the process inside mapping m of
// this file, to the ELF virtual address symbols are given in.
//
// An ET_EXEC file is mapped at its link addresses, so addr is one. Any
// other (PIE executables, shared libraries) may be mapped anywhere: addr
// is first made a file offset through the mapping (m.offset is mapped at
// m.start), then a virtual address through the PT_LOAD segment holding
// that offset (its p_offset is loaded at its p_vaddr).
func (b *binary) vaddr(m *mapping, addr uint64) (uint64, bool) {
	if b.typ == elf.ET_EXEC {
		return addr, true
	}
	off := addr - m.start + m.offset
	// Within the file's bytes of a segment first; then in the page the
	// segment starts on or its zero-filled tail (.bss), which a mapping of
	// whole pages covers too.
	for _, s := range b.load {
		if off >= s.off && off-s.off < s.filesz {
			return off - s.off + s.vaddr, true
		}
	}
	for _, s := range b.load {
		if off >= s.off&^pageMask && off < s.off+max(s.filesz, s.memsz) {
			return off - s.off + s.vaddr, true
		}
	}
	return 0, false
}

package usersym

import (
	"debug/elf"
	"fmt"
)

// SymbolAddress returns the address of symbol sym in the ELF file at path
// as a uprobe or uaddr() would use it (the symbol's st_value), and its
// size. sym is the name as in the file (mangled); .symtab is searched
// before .dynsym, and only symbols the file defines count. A Go binary
// without .symtab has its functions looked up in .gopclntab.
func SymbolAddress(path, sym string) (addr, size uint64, err error) {
	f, err := elf.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	syms, err := FileSymbols(f)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %w", path, err)
	}
	for _, s := range syms {
		if s.Name == sym && s.Section != elf.SHN_UNDEF {
			return s.Value, s.Size, nil
		}
	}
	if f.SectionByType(elf.SHT_SYMTAB) == nil {
		gos, err := goFuncs(f)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: %w", path, err)
		}
		for _, s := range gos {
			if s.name == sym {
				return s.addr, s.size, nil
			}
		}
	}
	return 0, 0, fmt.Errorf("%s: no symbol %q", path, sym)
}

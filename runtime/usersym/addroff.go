package usersym

import (
	"debug/elf"
	"fmt"
)

// AddressOffset turns addr, a virtual address of the ELF file at path as nm
// or a symbol table gives it, into the file offset a uprobe is placed at
// (what the kernel wants): addr - p_vaddr + p_offset of the executable
// PT_LOAD segment that holds it. This holds for a PIE, whose addresses
// start near 0, as for an ET_EXEC file linked at 0x400000. An address in
// no executable segment is an error: a uprobe there would never fire.
func AddressOffset(path string, addr uint64) (uint64, error) {
	f, err := elf.Open(path)
	if err != nil {
		return 0, fmt.Errorf("%s: reading its ELF headers for the address %#x: %w", path, addr, err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type != elf.PT_LOAD || addr < p.Vaddr || addr-p.Vaddr >= p.Memsz {
			continue
		}
		if p.Flags&elf.PF_X == 0 {
			return 0, fmt.Errorf("address %#x of %s is in a segment that is not code: a uprobe there never fires", addr, path)
		}
		return addr - p.Vaddr + p.Off, nil
	}
	return 0, fmt.Errorf("address %#x is in no loaded segment of %s (give a virtual address, as nm prints it)", addr, path)
}

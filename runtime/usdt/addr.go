package usdt

import (
	"debug/elf"
	"fmt"
)

// segment is one PT_LOAD program header.
type segment struct {
	vaddr, memsz, off uint64
	exec              bool
}

// loadSegments returns the PT_LOAD segments of f.
func loadSegments(f *elf.File) []segment {
	var segs []segment
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD {
			segs = append(segs, segment{p.Vaddr, p.Memsz, p.Off, p.Flags&elf.PF_X != 0})
		}
	}
	return segs
}

// fileOffset converts the virtual address addr to the offset in the file
// of the byte the loader maps there, through the segment that holds it,
// which must be executable if exec is set and not executable otherwise
// (a probe is code, a semaphore data). what names the address in errors.
func fileOffset(segs []segment, addr uint64, exec bool, what string) (uint64, error) {
	for _, s := range segs {
		if s.vaddr <= addr && addr-s.vaddr < s.memsz {
			switch {
			case exec && !s.exec:
				return 0, fmt.Errorf("%s at %#x is in a segment that is not executable", what, addr)
			case !exec && s.exec:
				return 0, fmt.Errorf("%s at %#x is in an executable segment", what, addr)
			}
			return addr - s.vaddr + s.off, nil
		}
	}
	return 0, fmt.Errorf("%s at %#x is in no loadable segment", what, addr)
}

// prelinked returns a note's probe and semaphore addresses corrected for
// prelink, which moves a library's sections but not the addresses in its
// notes: the difference between where .stapsdt.base is (baseSection, 0
// if the file has no such section) and where the note says it was is
// added to both.
func prelinked(n note, baseSection uint64) (pc, semaphore uint64) {
	pc, semaphore = n.pc, n.semaphore
	if baseSection != 0 && n.base != 0 {
		delta := baseSection - n.base
		pc += delta
		if semaphore != 0 {
			semaphore += delta
		}
	}
	return pc, semaphore
}

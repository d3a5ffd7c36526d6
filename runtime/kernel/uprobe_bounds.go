package kernel

import (
	"fmt"

	"github.com/hawktrace/hawk/runtime/usersym"
)

// checkUserAddress checks a uprobe at an address of binary: it must be
// in the binary's code, where it has a file offset to attach at. With
// --unsafe, a file that is not ELF (a flat binary, a JIT's code) takes
// the address as a file offset, as bpftrace does.
func (e *Env) checkUserAddress(binary string, addr uint64) error {
	if e.Unsafe && !IsELF(binary) {
		return nil
	}
	if _, err := usersym.AddressOffset(binary, addr); err != nil {
		if !IsELF(binary) {
			return fmt.Errorf("%s is not an ELF file: --unsafe takes the address %#x as an offset in it", binary, addr)
		}
		return err
	}
	return nil
}

// checkUserOffset checks that a uprobe at sym+off of binary is inside the
// function: a breakpoint past its end, or in the middle of something
// else, can corrupt the process. A symbol of size 0 has no known end:
// only --unsafe attaches there, as in bpftrace.
func (e *Env) checkUserOffset(binary, sym string, off uint64) error {
	_, size, err := usersym.SymbolAddress(binary, sym)
	if err != nil {
		return err
	}
	switch {
	case size == 0 && !e.Unsafe:
		return fmt.Errorf("%s has size 0 in %s, so its end is unknown: --unsafe attaches there anyway (a probe that is not at an instruction can corrupt the process)", sym, binary)
	case size != 0 && off >= size:
		return fmt.Errorf("offset %d is outside %s, which is %d bytes long", off, sym, size)
	}
	return nil
}

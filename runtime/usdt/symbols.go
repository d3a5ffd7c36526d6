package usdt

import (
	"debug/elf"
	"fmt"

	"github.com/hawktrace/hawk/runtime/usersym"
)

// symbols resolves the symbols that arguments name, reading the file's
// symbol tables on first use.
type symbols struct {
	f      *elf.File
	values map[string]uint64 // by name
	twice  map[string]bool   // names defined at two values
}

// lookup returns the value of the symbol name, from .symtab or .dynsym.
func (s *symbols) lookup(name string) (uint64, error) {
	if s.values == nil {
		s.values, s.twice = map[string]uint64{}, map[string]bool{}
		syms, _ := usersym.FileSymbols(s.f)
		for _, sym := range syms {
			if sym.Section == elf.SHN_UNDEF || sym.Name == "" {
				continue
			}
			if v, ok := s.values[sym.Name]; ok && v != sym.Value {
				s.twice[sym.Name] = true
			}
			s.values[sym.Name] = sym.Value
		}
	}
	v, ok := s.values[name]
	switch {
	case !ok:
		return 0, fmt.Errorf("symbol %s is not in the file's symbol tables", name)
	case s.twice[name]:
		return 0, fmt.Errorf("symbol %s names two addresses in the file's symbol tables", name)
	}
	return v, nil
}

// place resolves op's symbol for the probe at addr. An address that is
// the symbol's plus constants, with or without %rip or an index,
// becomes relative to the probe's run-time address (Reg "rip"), so it
// holds wherever the file is loaded. With another base register the
// symbol's address must be absolute: only an ET_EXEC file has those.
func (s *symbols) place(op *operand, addr uint64) error {
	v, err := s.lookup(op.sym)
	if err != nil {
		return err
	}
	switch {
	case op.Reg == "" || op.Reg == "rip":
		op.Reg, op.RegOffset, op.RegSize = "rip", ptRegs["rip"], 8
		op.Offset += int64(v - addr)
	case s.f.Type == elf.ET_EXEC:
		op.Offset += int64(v)
	default:
		return fmt.Errorf("symbol %s with base register %%%s needs an absolute address, and %v files have none", op.sym, op.Reg, s.f.Type)
	}
	op.sym = ""
	return nil
}

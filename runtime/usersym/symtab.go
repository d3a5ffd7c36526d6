package usersym

import (
	"cmp"
	"debug/elf"
	"slices"
	"sort"
	"strings"
)

// symbol is one function or object of an ELF file.
type symbol struct {
	addr, size uint64 // st_value and st_size
	name       string // as in the file, mangled
	bind       elf.SymBind
}

// symtab is the symbols of one file, sorted by address, one per address.
type symtab struct {
	syms []symbol
	// pretty holds demangled names, filled on first use; "" until then
	// (names are never empty).
	pretty []string
}

// keepSymbol reports whether s names code or data an address can fall in:
// functions (STT_FUNC, STT_GNU_IFUNC) for stacks, objects for usym on data.
func keepSymbol(s elf.Symbol) bool {
	switch elf.ST_TYPE(s.Info) {
	case elf.STT_FUNC, elf.STT_GNU_IFUNC, elf.STT_OBJECT:
	default:
		return false
	}
	return s.Name != "" && s.Value != 0 && s.Section != elf.SHN_UNDEF && s.Section != elf.SHN_ABS
}

// newSymtab sorts syms by address and keeps, of several symbols at one
// address (aliases such as glibc's nanosleep and __nanosleep), the best
// name by better.
func newSymtab(syms []symbol) *symtab {
	slices.SortFunc(syms, func(a, b symbol) int {
		if c := cmp.Compare(a.addr, b.addr); c != 0 {
			return c
		}
		return better(a, b)
	})
	syms = slices.CompactFunc(syms, func(a, b symbol) bool { return a.addr == b.addr })
	syms = slices.Clip(syms)
	return &symtab{syms: syms, pretty: make([]string, len(syms))}
}

// better orders two symbols at one address, the one to show first: sized
// before size 0, then fewer leading underscores (the public name), then
// global before weak before local, then the shorter name, then by name.
func better(a, b symbol) int {
	if c := cmp.Compare(boolRank(a.size == 0), boolRank(b.size == 0)); c != 0 {
		return c
	}
	if c := cmp.Compare(underscores(a.name), underscores(b.name)); c != 0 {
		return c
	}
	if c := cmp.Compare(bindRank(a.bind), bindRank(b.bind)); c != 0 {
		return c
	}
	if c := cmp.Compare(len(a.name), len(b.name)); c != 0 {
		return c
	}
	return strings.Compare(a.name, b.name)
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func underscores(name string) int { return len(name) - len(strings.TrimLeft(name, "_")) }

func bindRank(b elf.SymBind) int {
	switch b {
	case elf.STB_GLOBAL:
		return 0
	case elf.STB_WEAK:
		return 1
	}
	return 2
}

// find returns the index of the symbol addr (an ELF virtual address) falls
// in, or -1. A symbol holds [addr, addr+size); symbols may nest, so the
// search walks back from the nearest preceding symbol while the earlier
// ones still reach it, as bcc does. When no sized symbol holds addr and
// the nearest preceding symbol has size 0 (hand-written assembly), that
// one is taken.
func (t *symtab) find(addr uint64) int {
	s := t.syms
	i := sort.Search(len(s), func(i int) bool { return s[i].addr > addr }) - 1
	if i < 0 {
		return -1
	}
	limit := s[i].addr
	for j := i; j >= 0; j-- {
		if addr-s[j].addr < s[j].size {
			return j
		}
		if s[j].addr+s[j].size < limit {
			break // s[j] does not enclose s[i]: give up (bcc's heuristic)
		}
	}
	if s[i].size == 0 {
		return i
	}
	return -1
}

// name returns symbol i's demangled name, demangling it on first use.
// The caller serializes calls (Resolver holds its mutex).
func (t *symtab) name(i int) string {
	if p := t.pretty[i]; p != "" {
		return p
	}
	p := Demangle(t.syms[i].name)
	t.pretty[i] = p
	return p
}

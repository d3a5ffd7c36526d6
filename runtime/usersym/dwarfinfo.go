package usersym

import (
	"cmp"
	"debug/dwarf"
	"debug/elf"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Source is a place in a program's source: a line of a file.
type Source struct {
	File string // path of the source file; "" when unknown
	Line int
}

// Inline is a function inlined where an address is, and the place in its
// source the address stands for.
type Inline struct {
	Name string
	Source
}

const (
	// maxDebugBytes bounds the DWARF sections read of one file: a
	// binary with more prints its stacks without file and line.
	maxDebugBytes = 512 << 20
	// maxUnits bounds how many compilation units of one file are kept
	// decoded at once (their line tables and function trees).
	maxUnits = 16
	// maxLookups bounds how many addresses of one file have their
	// answer kept: stacks repeat the same addresses, which then cost a
	// map lookup even when their units are no longer decoded.
	maxLookups = 1 << 16
)

// debugInfo is the DWARF of one binary, read on first use. Its units are
// indexed by address range so that a lookup decodes only the unit that
// holds the address, and a few decoded units are kept.
type debugInfo struct {
	once  sync.Once   // guards the reading of data and units
	data  *dwarf.Data // nil when the file has no usable DWARF
	units []unitRange // sorted by lo

	mu      sync.Mutex // guards decoded, lru and answers
	decoded map[dwarf.Offset]*unitInfo
	lru     []dwarf.Offset // least recently used first
	answers map[uint64]answer
}

// answer is what lookup found for an address.
type answer struct {
	src Source
	inl []Inline
	fn  scopeFunc
	ok  bool
}

// unitRange is an address range of one compilation unit.
type unitRange struct {
	lo, hi uint64 // [lo, hi)
	off    dwarf.Offset
}

// read reads the DWARF of the ELF file at path, or of its separate debug
// file when it has none of its own; it runs once, under d.once.
// Failures leave d without data.
func (d *debugInfo) read(path string) {
	f, err := elf.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	if !hasDWARF(f) {
		p := debugFile(f, path)
		if p == "" {
			return
		}
		g, err := elf.Open(p)
		if err != nil {
			return
		}
		defer g.Close()
		f = g
	}
	data, err := readDWARF(f)
	if err != nil {
		return
	}
	d.data, d.units = data, unitRanges(data)
}

// dwarfSections are the DWARF sections lookups read, by name without
// .debug_: units, their abbreviations and strings, line tables, address
// ranges, and DWARF 5's indirect addresses and strings. Location lists,
// frame tables and the like are left unread.
var dwarfSections = []string{"info", "abbrev", "str", "line", "ranges", "addr", "line_str", "rnglists", "str_offsets"}

// readDWARF reads the DWARF sections of f that lookups need (f.DWARF
// reads every one), decompressed; there must be at most maxDebugBytes of
// them. Relocations are not applied: executables and shared libraries
// have none for their DWARF.
func readDWARF(f *elf.File) (*dwarf.Data, error) {
	secs := map[string]*elf.Section{}
	var size uint64
	for _, s := range f.Sections {
		name, ok := strings.CutPrefix(s.Name, ".debug_")
		if !ok {
			name, ok = strings.CutPrefix(s.Name, ".zdebug_")
		}
		if ok && slices.Contains(dwarfSections, name) && s.Type != elf.SHT_NOBITS {
			secs[name] = s
			size += s.Size
		}
	}
	if size > maxDebugBytes {
		return nil, fmt.Errorf("%d bytes of DWARF, more than %d", size, maxDebugBytes)
	}
	dat := map[string][]byte{}
	for name, s := range secs {
		b, err := s.Data()
		if err != nil {
			return nil, err
		}
		dat[name] = b
	}
	d, err := dwarf.New(dat["abbrev"], nil, nil, dat["info"], dat["line"], nil, dat["ranges"], dat["str"])
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"addr", "line_str", "rnglists", "str_offsets"} {
		if b := dat[name]; b != nil {
			if err := d.AddSection(".debug_"+name, b); err != nil {
				return nil, err
			}
		}
	}
	return d, nil
}

// unitRanges lists the address ranges of data's compilation units,
// reading only their top entries.
func unitRanges(data *dwarf.Data) []unitRange {
	var out []unitRange
	r := data.Reader()
	for {
		e, err := r.Next()
		if err != nil || e == nil {
			break
		}
		if e.Tag == dwarf.TagCompileUnit || e.Tag == dwarf.TagPartialUnit {
			rs, err := data.Ranges(e)
			if err == nil {
				for _, rg := range rs {
					if rg[0] < rg[1] && rg[0] != 0 {
						out = append(out, unitRange{rg[0], rg[1], e.Offset})
					}
				}
			}
		}
		r.SkipChildren()
	}
	slices.SortFunc(out, func(a, b unitRange) int { return cmp.Compare(a.lo, b.lo) })
	return out
}

// unitOf returns the offset of the unit whose ranges hold pc.
func (d *debugInfo) unitOf(pc uint64) (dwarf.Offset, bool) {
	i, _ := slices.BinarySearchFunc(d.units, pc, func(u unitRange, pc uint64) int {
		return cmp.Compare(u.lo, pc+1)
	})
	// d.units[:i] start at or below pc; ranges of units do not overlap,
	// but be lenient with producers whose do: look back a little.
	for j := i - 1; j >= 0 && j >= i-4; j-- {
		if pc < d.units[j].hi {
			return d.units[j].off, true
		}
	}
	return 0, false
}

// unit returns the decoded unit at off, decoding it if it is not kept.
func (d *debugInfo) unit(off dwarf.Offset) *unitInfo {
	d.mu.Lock()
	if u, ok := d.decoded[off]; ok {
		d.touch(off)
		d.mu.Unlock()
		return u
	}
	d.mu.Unlock()
	u := decodeUnit(d.data, off) // outside the lock: it may take a while
	d.mu.Lock()
	defer d.mu.Unlock()
	if kept, ok := d.decoded[off]; ok {
		return kept // decoded meanwhile by another caller
	}
	if d.decoded == nil {
		d.decoded = map[dwarf.Offset]*unitInfo{}
	}
	if len(d.lru) >= maxUnits {
		delete(d.decoded, d.lru[0])
		d.lru = d.lru[1:]
	}
	d.decoded[off] = u
	d.lru = append(d.lru, off)
	return u
}

// touch makes off the most recently used unit. d.mu is held.
func (d *debugInfo) touch(off dwarf.Offset) {
	if i := slices.Index(d.lru, off); i >= 0 {
		d.lru = append(slices.Delete(d.lru, i, i+1), off)
	}
}

// lookup returns where in the source pc is, and the functions inlined
// there, innermost first; fn is the function whose code holds pc, by
// DWARF (name and entry address), for files whose symbol table lacks it.
// ok is false when the DWARF says nothing of pc.
func (d *debugInfo) lookup(pc uint64) (src Source, inl []Inline, fn scopeFunc, ok bool) {
	if d.data == nil {
		return Source{}, nil, scopeFunc{}, false
	}
	d.mu.Lock()
	a, seen := d.answers[pc]
	d.mu.Unlock()
	if !seen {
		if off, found := d.unitOf(pc); found {
			a.src, a.inl, a.fn, a.ok = d.unit(off).lookup(pc)
		}
		d.mu.Lock()
		if len(d.answers) >= maxLookups || d.answers == nil {
			d.answers = map[uint64]answer{} // start afresh rather than track use
		}
		d.answers[pc] = a
		d.mu.Unlock()
	}
	return a.src, slices.Clone(a.inl), a.fn, a.ok
}

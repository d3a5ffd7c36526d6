package usersym

import "os"

// SourceFrame is a resolved address with its place in the source.
type SourceFrame struct {
	Frame
	// Source is where in the source the address is: in Sym's own code,
	// or, when the address is in code inlined into Sym, the call of the
	// outermost function inlined. Zero when the file has no DWARF for the
	// address.
	Source Source
	// Inlined are the functions inlined where the address is, innermost
	// first. Each one's Source is the address's place in it: for the
	// innermost, the address's line; for the others, the call of the one
	// inside.
	Inlined []Inline
}

// ResolveSource is Resolve, and also tells where in the source addr is
// and which functions are inlined there (SourceFrame.Source, .Inlined),
// from the DWARF of the mapped file or of its separate debug file. That
// DWARF is read on the first call that needs it, once per file.
func (r *Resolver) ResolveSource(pid uint32, addr uint64) (SourceFrame, bool) {
	f, at, ok := r.resolve(pid, addr)
	sf := SourceFrame{Frame: f}
	if ok {
		at.addSource(&sf)
	}
	return sf, ok
}

// ResolveInSource is ResolveIn, with the source as ResolveSource gives it;
// the function holding addr may be known from the DWARF alone.
func (r *Resolver) ResolveInSource(path string, addr uint64) (SourceFrame, bool) {
	f, at, ok := r.resolveIn(path, addr)
	sf := SourceFrame{Frame: f}
	if ok {
		at.addSource(&sf)
	}
	return sf, ok && sf.Sym != ""
}

// addSource fills f's source and inlined functions from the DWARF of the
// binary, and its symbol too when the symbol table has none there.
func (at fileAddr) addSource(f *SourceFrame) {
	if at.bin == nil {
		return
	}
	src, inl, fn, ok := at.bin.debug(at.mapAt).lookup(at.va)
	if !ok {
		return
	}
	if f.Sym == "" && fn.Name != "" {
		f.Sym, f.Off = fn.Name, at.va-fn.Entry
	}
	f.Source, f.Inlined = src, inl
}

// debug returns b's DWARF, reading it on first use: from the file b was
// read from or, when that path is gone (that of a process that exited,
// under /proc), from alt if it is the same file.
func (b *binary) debug(alt string) *debugInfo {
	b.dwarf.once.Do(func() {
		path := b.path
		if _, err := os.Stat(path); err != nil && alt != "" {
			if fi, err := os.Stat(alt); err == nil && idOf(fi) == b.id {
				path = alt
			}
		}
		b.dwarf.read(path)
	})
	return &b.dwarf
}

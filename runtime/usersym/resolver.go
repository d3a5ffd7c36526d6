package usersym

import (
	"sync"
	"time"
)

// Frame is one resolved address.
type Frame struct {
	Sym string // demangled symbol name, "" when unknown
	// Off is the offset of the address within Sym. When Sym is "", it is
	// the address within Module instead: the ELF virtual address (what
	// addr2line -e Module takes), or the file offset if Module could not
	// be read as ELF.
	Off    uint64
	Module string // path of the mapped file the address is in ("" when unknown)
}

const (
	// maxProcs bounds how many processes a Resolver keeps mappings of.
	maxProcs = 4096
	// refreshEvery is the least time between two reads of a live
	// process's maps caused by addresses outside all its known mappings,
	// so that garbage addresses from a broken stack walk stay cheap.
	refreshEvery = 10 * time.Millisecond
)

// Resolver resolves addresses of processes; safe for concurrent use.
// Make one with NewResolver.
type Resolver struct {
	mu    sync.Mutex // guards procs and the mappings and symtabs in it
	procs procCache
	// bins is apart from the Resolver: its cleanups refer to it, and must
	// not keep the Resolver (which holds the binaries) alive.
	bins    *binCache
	refresh time.Duration
	files   map[string]*binary // executables ResolveIn used, kept cached
}

// NewResolver returns a Resolver that keeps the mappings of up to a few
// thousand processes, evicting the least recently used.
func NewResolver() *Resolver {
	return &Resolver{procs: procCache{max: maxProcs}, bins: new(binCache), refresh: refreshEvery}
}

// Remember reads and keeps pid's memory mappings now, so that its
// addresses still resolve after it exits. It also reads the symbols of
// the files mapped, which may only be reachable while pid lives (through
// /proc/PID/root in a container, or a binary deleted since it started).
func (r *Resolver) Remember(pid uint32) {
	r.mu.Lock()
	p, _ := r.procs.get(pid)
	p.reread(time.Now())
	var todo []*mapping
	for i := range p.maps {
		if m := &p.maps[i]; m.file() && !m.tried {
			todo = append(todo, m)
		}
	}
	r.mu.Unlock()
	for _, m := range todo {
		r.readBinary(pid, m)
	}
}

// Resolve finds the symbol addr falls in, in process pid. ok is false when
// nothing is known: pid's mappings cannot be read, addr is in none of them,
// or it is in memory that no file backs (heap, stack, JIT code, [vdso]).
func (r *Resolver) Resolve(pid uint32, addr uint64) (f Frame, ok bool) {
	f, _, ok = r.resolve(pid, addr)
	return f, ok
}

// resolve is Resolve, also giving where addr is in the file mapped there:
// its binary (nil if it could not be read) and the path it was mapped at.
func (r *Resolver) resolve(pid uint32, addr uint64) (f Frame, at fileAddr, ok bool) {
	r.mu.Lock()
	m := r.mappingOf(pid, addr)
	if m == nil || !m.file() {
		r.mu.Unlock()
		return Frame{}, fileAddr{}, false
	}
	if !m.tried {
		r.mu.Unlock() // reading an ELF file may take a while
		r.readBinary(pid, m)
		r.mu.Lock()
	}
	f, at = frameOf(m, addr)
	r.mu.Unlock()
	return f, at, true
}

// mappingOf returns the mapping of pid holding addr, or nil. It reads the
// maps on first sight of pid, and again on a miss if pid is alive, since
// it may have mapped more (dlopen) since. r.mu is held.
func (r *Resolver) mappingOf(pid uint32, addr uint64) *mapping {
	p, created := r.procs.get(pid)
	if created {
		p.reread(time.Now())
	}
	i := findMapping(p.maps, addr)
	if i < 0 && !created {
		if now := time.Now(); now.Sub(p.readAt) >= r.refresh {
			p.reread(now)
			i = findMapping(p.maps, addr)
		}
	}
	if i < 0 {
		return nil
	}
	return &p.maps[i]
}

// readBinary finds and reads the file m maps and records it in m. r.mu is
// not held: only the immutable fields of m are read until then.
func (r *Resolver) readBinary(pid uint32, m *mapping) {
	var b *binary
	if path, id, ok := locate(pid, m); ok {
		b = r.bins.get(id, path)
		if b.err != nil {
			b = nil
		}
	}
	r.mu.Lock()
	m.bin, m.tried = b, true
	r.mu.Unlock()
}

// fileAddr is an address in a binary: its ELF virtual address.
type fileAddr struct {
	bin   *binary // nil when unknown
	va    uint64
	mapAt string // the path the process mapped the file at
}

// frameOf resolves addr in file mapping m. r.mu is held.
func frameOf(m *mapping, addr uint64) (Frame, fileAddr) {
	f := Frame{Module: m.path, Off: addr - m.start + m.offset}
	b := m.bin
	if b == nil {
		return f, fileAddr{}
	}
	va, ok := b.vaddr(m, addr)
	if !ok {
		return f, fileAddr{}
	}
	f.Off = va
	if i := b.syms.find(va); i >= 0 {
		f.Sym, f.Off = b.syms.name(i), va-b.syms.syms[i].addr
	}
	return f, fileAddr{b, va, m.path}
}

package usersym

import (
	"debug/elf"
	"os"
)

// ResolveIn resolves addr in the executable at path without a process:
// for an address of a process that exited before its mappings were read.
// Only an ET_EXEC file, which is always mapped at its link addresses, can
// answer that way; ok is false for any other file, or when no symbol
// holds addr.
//
// The file is read on the first call for its path and kept for later ones.
func (r *Resolver) ResolveIn(path string, addr uint64) (f Frame, ok bool) {
	r.mu.Lock()
	b, seen := r.files[path]
	r.mu.Unlock()
	if !seen {
		if fi, err := os.Stat(path); err == nil {
			b = r.bins.get(idOf(fi), path)
		}
		r.mu.Lock()
		if r.files == nil {
			r.files = map[string]*binary{}
		}
		r.files[path] = b // nil when there is no file
		r.mu.Unlock()
	}
	if b == nil || b.err != nil || b.typ != elf.ET_EXEC {
		return Frame{}, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	i := b.syms.find(addr)
	if i < 0 {
		return Frame{}, false
	}
	return Frame{Sym: b.syms.name(i), Off: addr - b.syms.syms[i].addr, Module: path}, true
}

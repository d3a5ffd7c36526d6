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
func (r *Resolver) ResolveIn(path string, addr uint64) (f Frame, ok bool) {
	fi, err := os.Stat(path)
	if err != nil {
		return Frame{}, false
	}
	b := r.bins.get(idOf(fi), path)
	if b.err != nil || b.typ != elf.ET_EXEC {
		return Frame{}, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.files == nil {
		r.files = map[string]*binary{}
	}
	r.files[path] = b // keeps it cached
	i := b.syms.find(addr)
	if i < 0 {
		return Frame{}, false
	}
	return Frame{Sym: b.syms.name(i), Off: addr - b.syms.syms[i].addr, Module: path}, true
}

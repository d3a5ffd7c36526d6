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
	f, _, ok = r.resolveIn(path, addr)
	return f, ok && f.Sym != ""
}

// resolveIn is ResolveIn, also giving the binary read; ok is true when
// the file is an executable that holds addr, with a symbol or not.
func (r *Resolver) resolveIn(path string, addr uint64) (Frame, fileAddr, bool) {
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
		return Frame{}, fileAddr{}, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	f := Frame{Off: addr, Module: path}
	if i := b.syms.find(addr); i >= 0 {
		f.Sym, f.Off = b.syms.name(i), addr-b.syms.syms[i].addr
	}
	return f, fileAddr{b, addr, path}, true
}

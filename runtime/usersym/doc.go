// Package usersym resolves user-space addresses to symbols, as bpftrace's
// ustack and usym do, for a tracer that receives (pid, address) pairs from
// the kernel.
//
//	r := usersym.NewResolver()
//	r.Remember(pid)                // keep pid's mappings past its exit
//	f, ok := r.Resolve(pid, addr)  // f.Sym+f.Off in f.Module
//
// A process's mappings come from /proc/PID/maps and are kept per pid; the
// symbols of a mapped ELF file come from its .symtab and .dynsym and are
// read once per file, however many processes map it. Names are demangled
// as c++filt prints them (see Demangle).
//
// ResolveSource also gives the source file:line of an address and the
// functions inlined there, from the DWARF of the file or of its separate
// debug file, read with debug/dwarf the first time a file's source is
// asked for (see SourceFrame).
package usersym

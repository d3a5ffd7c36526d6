package usersym

import "testing"

// BenchmarkResolve resolves 100k addresses spread over the functions of
// the test binary, its symbols read already. Reported per address.
func BenchmarkResolve(b *testing.B) {
	pid, _, pc, _ := self(b)
	r := NewResolver()
	r.Resolve(pid, pc)
	p := r.procs.byPID[pid]
	bin := p.maps[findMapping(p.maps, pc)].bin
	var addrs []uint64
	for len(addrs) < 100_000 {
		for _, s := range bin.syms.syms {
			// Test binaries are ET_EXEC: the st_value is the address. The
			// address of the text mapping keeps only code.
			if findMapping(p.maps, s.addr) == findMapping(p.maps, pc) {
				addrs = append(addrs, s.addr+s.size/2)
			}
		}
	}
	addrs = addrs[:100_000]
	b.ResetTimer()
	for i := range b.N {
		if _, ok := r.Resolve(pid, addrs[i%len(addrs)]); !ok {
			b.Fatalf("cannot resolve %#x", addrs[i%len(addrs)])
		}
	}
}

// BenchmarkResolveSource resolves addresses in the functions of a Go
// program (testdata/child: the running test binary has no DWARF) with
// their source lines, its DWARF read already: those of the functions the
// DWARF has lines for, each looked up once before. Reported per address.
func BenchmarkResolveSource(b *testing.B) {
	path := buildChild(b)
	r := NewResolver()
	syms, err := FuncNames(path)
	if err != nil {
		b.Fatal(err)
	}
	var addrs []uint64
	for _, name := range syms {
		addr, size, err := SymbolAddress(path, name)
		if err != nil {
			continue
		}
		if f, ok := r.ResolveInSource(path, addr+size/2); ok && f.Source.File != "" {
			addrs = append(addrs, addr+size/2)
		}
	}
	if len(addrs) < 1000 {
		b.Fatalf("only %d functions with source lines", len(addrs))
	}
	b.ResetTimer()
	for i := range b.N {
		if f, ok := r.ResolveInSource(path, addrs[i%len(addrs)]); !ok || f.Source.File == "" {
			b.Fatalf("no source for %#x: %+v", addrs[i%len(addrs)], f)
		}
	}
}

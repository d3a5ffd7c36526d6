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

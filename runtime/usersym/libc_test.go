package usersym

import (
	"runtime"
	"testing"
	"time"
)

// TestResolveLibc resolves addresses in the libc of two /bin/sleep
// processes, which share one read of it.
func TestResolveLibc(t *testing.T) {
	r := NewResolver()
	pids := []uint32{startSleep(t), startSleep(t)}
	var bins []*binary
	for _, pid := range pids {
		m, _ := libcMapping(t, pid)
		// With glibc, the first PT_LOAD has p_vaddr 0 and is mapped at the
		// mapping of file offset 0, so a symbol is at that start + st_value.
		if seg := loadSegment(t, m.path, 0); seg.Off != 0 {
			t.Fatalf("%s: the first PT_LOAD is at offset %#x", m.path, seg.Off)
		}
		tests := []struct {
			sym  string // in the file
			off  uint64
			want string // resolved
		}{
			{"clock_nanosleep", 3, "clock_nanosleep"},
			{"clock_nanosleep", 0, "clock_nanosleep"},
			{"__nanosleep", 1, "nanosleep"}, // the weak, public alias is shown
			{"malloc", 0, "malloc"},
		}
		for _, tt := range tests {
			addr, size, err := SymbolAddress(m.path, tt.sym)
			if err != nil || size <= tt.off {
				t.Fatalf("SymbolAddress(%s, %s) = %#x, %d, %v", m.path, tt.sym, addr, size, err)
			}
			f, ok := r.Resolve(pid, m.start+addr+tt.off)
			if want := (Frame{Sym: tt.want, Off: tt.off, Module: m.path}); !ok || f != want {
				t.Errorf("pid %d: Resolve(%s+%d) = %+v, %v; want %+v", pid, tt.sym, tt.off, f, ok, want)
			}
		}
		addr, _, _ := SymbolAddress(m.path, "malloc")
		p := r.procs.byPID[pid]
		bins = append(bins, p.maps[findMapping(p.maps, m.start+addr)].bin)
	}
	if bins[0] == nil || bins[0] != bins[1] {
		t.Errorf("the two processes' libc binaries are %p and %p, want one", bins[0], bins[1])
	}
}

// TestBinaryFreedWithLastProcess checks that a binary no cached process
// maps any more leaves the cache.
func TestBinaryFreedWithLastProcess(t *testing.T) {
	r := NewResolver()
	r.procs.max = 1
	pid := startSleep(t)
	m, _ := libcMapping(t, pid)
	if _, ok := r.Resolve(pid, m.start+0x10); !ok || r.bins.len() != 1 {
		t.Fatalf("after resolving in libc: %d binaries cached, want 1", r.bins.len())
	}
	self, _, pc, _ := self(t)
	if _, ok := r.Resolve(self, pc); !ok { // evicts the sleep process
		t.Fatal("cannot resolve in the test binary")
	}
	for deadline := time.Now().Add(5 * time.Second); r.bins.len() > 1 && time.Now().Before(deadline); {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := r.bins.len(); n != 1 {
		t.Errorf("%d binaries cached, want 1: libc should have gone", n)
	}
}

package usersym

import (
	"fmt"
	"os"
	"reflect"
	"runtime"
	"sync"
	"testing"
	"unsafe"
)

// selfTarget is a function of the test binary to resolve.
//
//go:noinline
func selfTarget(n int) string {
	s := 0
	for i := range n {
		s += i * i
	}
	return fmt.Sprint(s)
}

// self returns the test process's pid and executable, and selfTarget's
// address and full name as the Go runtime knows them.
func self(t testing.TB) (pid uint32, exe string, pc uint64, name string) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := reflect.ValueOf(selfTarget).Pointer()
	return uint32(os.Getpid()), exe, uint64(p), runtime.FuncForPC(p).Name()
}

func TestResolveSelf(t *testing.T) {
	pid, exe, pc, name := self(t)
	if name != "github.com/hawktrace/hawk/runtime/usersym.selfTarget" {
		t.Fatalf("the runtime names selfTarget %q", name)
	}
	if _, size, err := SymbolAddress(exe, name); err != nil || size <= 5 {
		t.Fatalf("SymbolAddress(%s) = size %d, %v; want more than 5 bytes", name, size, err)
	}
	r := NewResolver()
	for _, off := range []uint64{0, 1, 5} {
		f, ok := r.Resolve(pid, pc+off)
		if want := (Frame{Sym: name, Off: off, Module: exe}); !ok || f != want {
			t.Errorf("Resolve(self, %#x+%d) = %+v, %v; want %+v", pc, off, f, ok, want)
		}
	}
}

func TestResolveUnknown(t *testing.T) {
	pid, _, _, _ := self(t)
	heap := new([64]byte)
	tests := []struct {
		name string
		pid  uint32
		addr uint64
	}{
		{"no such pid", 0x7fffffff, 0x401000},
		{"pid 0", 0, 0x401000},
		{"address 0", pid, 0},
		{"last address", pid, ^uint64(0)},
		{"heap", pid, uint64(uintptr(unsafe.Pointer(heap)))},
		{"vdso", pid, vdsoStart(t)},
	}
	r := NewResolver()
	for _, tt := range tests {
		for range 2 { // the second time from the cache
			if f, ok := r.Resolve(tt.pid, tt.addr); ok {
				t.Errorf("%s: Resolve(%d, %#x) = %+v, want not ok", tt.name, tt.pid, tt.addr, f)
			}
		}
	}
	runtime.KeepAlive(heap)
}

// vdsoStart returns where [vdso] is mapped in this process.
func vdsoStart(t *testing.T) uint64 {
	ms, err := readMaps(uint32(os.Getpid()))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.path == "[vdso]" {
			return m.start
		}
	}
	t.Fatal("no [vdso] in /proc/self/maps")
	return 0
}

func TestResolveDoesNotAllocate(t *testing.T) {
	pid, _, pc, name := self(t)
	r := NewResolver()
	if f, _ := r.Resolve(pid, pc); f.Sym != name {
		t.Fatalf("Resolve = %+v, want %s", f, name)
	}
	if n := testing.AllocsPerRun(100, func() { r.Resolve(pid, pc+1) }); n != 0 {
		t.Errorf("a cached Resolve allocates %v times", n)
	}
}

func TestResolveConcurrent(t *testing.T) {
	pid, exe, pc, name := self(t)
	r := NewResolver()
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				if g%4 == 0 && i%50 == 0 {
					r.Remember(pid)
				}
				off := uint64(i % 4)
				if f, ok := r.Resolve(pid, pc+off); !ok || f != (Frame{name, off, exe}) {
					errs <- fmt.Sprintf("Resolve(%#x) = %+v, %v", pc+off, f, ok)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

package usersym

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestResolvePIE resolves addresses of a PIE child: in its executable, in
// a file it maps after its maps were first read, and after it exited and
// its executable was deleted.
func TestResolvePIE(t *testing.T) {
	c := startChild(t)
	r := NewResolver()
	r.refresh = time.Hour // until the libc mapping below

	for _, off := range []uint64{0, 5} {
		f, ok := r.Resolve(c.pid, c.target+off)
		if want := (Frame{Sym: "main.target", Off: off, Module: c.path}); !ok || f != want {
			t.Errorf("Resolve(child, target+%d) = %+v, %v; want %+v", off, f, ok, want)
		}
	}

	// Map libc's text alone, away from the rest of it: only the file offset
	// and program headers tell where clock_nanosleep lands.
	libc, err := filepath.EvalSymlinks(libcPath(t))
	if err != nil {
		t.Fatal(err)
	}
	sym, _, err := SymbolAddress(libc, "clock_nanosleep")
	if err != nil {
		t.Fatal(err)
	}
	seg := loadSegment(t, libc, sym)
	pageOff := seg.Off &^ pageMask
	start := c.mapFile(t, libc, pageOff, seg.Filesz+seg.Off-pageOff)
	at := start + (seg.Off - pageOff) + (sym - seg.Vaddr)
	if f, ok := r.Resolve(c.pid, at+3); ok {
		t.Errorf("maps re-read within the refresh interval: Resolve = %+v", f)
	}
	r.refresh = 0
	f, ok := r.Resolve(c.pid, at+3)
	if want := (Frame{Sym: "clock_nanosleep", Off: 3, Module: libc}); !ok || f != want {
		t.Errorf("Resolve(child, mapped clock_nanosleep+3) = %+v, %v; want %+v", f, ok, want)
	}

	r.Remember(c.pid)
	c.kill()
	if err := os.Remove(c.path); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(fmt.Sprintf("/proc/%d", c.pid)); err == nil {
		t.Fatalf("/proc/%d still exists after the child was reaped", c.pid)
	}
	f, ok = r.Resolve(c.pid, c.target+5)
	if want := (Frame{Sym: "main.target", Off: 5, Module: c.path}); !ok || f != want {
		t.Errorf("after exit: Resolve(child, target+5) = %+v, %v; want %+v", f, ok, want)
	}
	if f, ok := r.Resolve(c.pid, 0x10); ok {
		t.Errorf("after exit: Resolve(child, 0x10) = %+v, want not ok", f)
	}
}

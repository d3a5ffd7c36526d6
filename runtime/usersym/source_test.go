package usersym

import (
	"debug/elf"
	endian "encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hawktrace/hawk/internal/inlineprog"
	"github.com/hawktrace/hawk/internal/kerneltest"
)

// returnInOuter returns the address, in the ELF file at path, of the
// instruction after outer's call of hawk_target: an address in inner's
// code, inlined in middle's, inlined in outer's (see inlineprog).
func returnInOuter(t *testing.T, path string) (outer, ret uint64) {
	t.Helper()
	if runtime.GOARCH != "amd64" {
		t.Skip("finds the call instruction by its x86-64 encoding")
	}
	outer, size, err := SymbolAddress(path, "outer")
	if err != nil {
		t.Fatal(err)
	}
	target, _, err := SymbolAddress(path, "hawk_target")
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	text := f.Section(".text")
	code, err := text.Data()
	if err != nil {
		t.Fatal(err)
	}
	code = code[outer-text.Addr:][:size]
	for i := 0; i+5 <= len(code); i++ {
		next := outer + uint64(i) + 5
		if code[i] == 0xe8 && next+uint64(int64(int32(endian.LittleEndian.Uint32(code[i+1:])))) == target {
			return outer, next
		}
	}
	t.Fatalf("%s: no call of hawk_target in outer", path)
	return 0, 0
}

// wantInOuter is what ResolveSource gives for the return address in
// outer of the inlineprog at path (its source at path+".c").
func wantInOuter(path string, off uint64) SourceFrame {
	src := path + ".c"
	return SourceFrame{
		Frame:  Frame{Sym: "outer", Off: off, Module: path},
		Source: Source{src, inlineprog.Line("outer")},
		Inlined: []Inline{
			{"inner", Source{src, inlineprog.Line("inner")}},
			{"middle", Source{src, inlineprog.Line("middle")}},
		},
	}
}

// TestResolveSourceExec resolves addresses of an executable linked at
// fixed addresses to their source lines, one in inlined code, one not,
// with DWARF 4 and 5.
func TestResolveSourceExec(t *testing.T) {
	for _, version := range []string{"-gdwarf-4", "-gdwarf-5"} {
		t.Run(version[1:], func(t *testing.T) {
			path := inlineprog.ForTest(t, "-no-pie", version)
			outer, ret := returnInOuter(t, path)
			r := NewResolver()
			got, ok := r.ResolveInSource(path, ret)
			if want := wantInOuter(path, ret-outer); !ok || !reflect.DeepEqual(got, want) {
				t.Errorf("ResolveInSource(return in outer) = %+v, %v\nwant %+v", got, ok, want)
			}
			target, _, _ := SymbolAddress(path, "hawk_target")
			got, ok = r.ResolveInSource(path, target)
			want := SourceFrame{
				Frame:  Frame{Sym: "hawk_target", Module: path},
				Source: Source{path + ".c", inlineprog.Line("target")},
			}
			if !ok || !reflect.DeepEqual(got, want) {
				t.Errorf("ResolveInSource(hawk_target) = %+v, %v\nwant %+v", got, ok, want)
			}
		})
	}
}

// TestResolveSourcePIE resolves an address of a running PIE.
func TestResolveSourcePIE(t *testing.T) {
	path := inlineprog.ForTest(t)
	outer, ret := returnInOuter(t, path)
	cmd := exec.Command(path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	pid := uint32(cmd.Process.Pid)
	off, err := AddressOffset(path, ret)
	if err != nil {
		t.Fatal(err)
	}
	var addr uint64
	for range 500 {
		ms, err := readMaps(pid)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.path == path && m.exec && off >= m.offset && off-m.offset < m.end-m.start {
				addr = m.start + off - m.offset
			}
		}
		if addr != 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if addr == 0 {
		t.Fatalf("%s never mapped in /proc/%d/maps", path, pid)
	}
	got, ok := NewResolver().ResolveSource(pid, addr)
	if want := wantInOuter(path, ret-outer); !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("ResolveSource(return in outer) = %+v, %v\nwant %+v", got, ok, want)
	}
}

// TestResolveSourceDebugLink finds the DWARF of a binary stripped of it
// in the debug file its .gnu_debuglink names, in .debug/ beside it; with
// its symbol table stripped too, the function's name and offset come
// from the DWARF.
func TestResolveSourceDebugLink(t *testing.T) {
	objcopy, err := exec.LookPath("objcopy")
	if err != nil {
		kerneltest.Missing(t, "no objcopy to strip the test program")
	}
	full := inlineprog.ForTest(t, "-no-pie")
	outer, ret := returnInOuter(t, full)
	dir := filepath.Dir(full)
	if err := os.Mkdir(filepath.Join(dir, ".debug"), 0o755); err != nil {
		t.Fatal(err)
	}
	debug := filepath.Join(dir, ".debug", "inlineprog.debug")
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(objcopy, args...).CombinedOutput(); err != nil {
			t.Fatalf("objcopy %v: %v\n%s", args, err, out)
		}
	}
	run("--only-keep-debug", full, debug)
	for _, strip := range []string{"--strip-debug", "--strip-all"} {
		t.Run(strings.TrimPrefix(strip, "--"), func(t *testing.T) {
			path := filepath.Join(dir, "inlineprog-"+strip[2:])
			run(strip, "--add-gnu-debuglink="+debug, full, path)
			got, ok := NewResolver().ResolveInSource(path, ret)
			want := wantInOuter(full, ret-outer)
			want.Module = path
			if !ok || !reflect.DeepEqual(got, want) {
				t.Errorf("ResolveInSource = %+v, %v\nwant %+v", got, ok, want)
			}
		})
	}
}

// TestResolveSourceBuildID finds the DWARF of a binary stripped of it,
// without a .gnu_debuglink, by its build id under the debug root.
func TestResolveSourceBuildID(t *testing.T) {
	objcopy, err := exec.LookPath("objcopy")
	if err != nil {
		kerneltest.Missing(t, "no objcopy to strip the test program")
	}
	full := inlineprog.ForTest(t, "-no-pie", "-Wl,--build-id")
	outer, ret := returnInOuter(t, full)
	f, err := elf.Open(full)
	if err != nil {
		t.Fatal(err)
	}
	id := fmt.Sprintf("%x", buildID(f))
	f.Close()
	if len(id) < 4 {
		t.Fatalf("%s has no build id", full)
	}
	root := t.TempDir()
	saved := debugRoot
	debugRoot = root
	t.Cleanup(func() { debugRoot = saved })
	debug := filepath.Join(root, ".build-id", id[:2], id[2:]+".debug")
	if err := os.MkdirAll(filepath.Dir(debug), 0o755); err != nil {
		t.Fatal(err)
	}
	path := full + "-stripped"
	for _, args := range [][]string{{"--only-keep-debug", full, debug}, {"--strip-debug", full, path}} {
		if out, err := exec.Command(objcopy, args...).CombinedOutput(); err != nil {
			t.Fatalf("objcopy %v: %v\n%s", args, err, out)
		}
	}
	got, ok := NewResolver().ResolveInSource(path, ret)
	want := wantInOuter(full, ret-outer)
	want.Module = path
	if !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("ResolveInSource = %+v, %v\nwant %+v", got, ok, want)
	}
}

// TestResolveSourceNoDWARF leaves the source of a file without DWARF
// unknown.
func TestResolveSourceNoDWARF(t *testing.T) {
	dir := t.TempDir()
	path, err := inlineprog.Build(dir, "inlineprog", "-no-pie", "-g0")
	if err != nil {
		kerneltest.Missing(t, "%v", err)
	}
	outer, ret := returnInOuter(t, path)
	got, ok := NewResolver().ResolveInSource(path, ret)
	want := SourceFrame{Frame: Frame{Sym: "outer", Off: ret - outer, Module: path}}
	if !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("ResolveInSource = %+v, %v; want %+v", got, ok, want)
	}
}

// TestResolveSourceBounded: looking up addresses of many compilation
// units keeps at most maxUnits of them decoded, and the answers give the
// same when their units were decoded again.
func TestResolveSourceBounded(t *testing.T) {
	path := buildChild(t)
	names, err := FuncNames(path)
	if err != nil {
		t.Fatal(err)
	}
	r := NewResolver()
	var b *binary
	units := map[uint64]bool{}
	first := map[uint64]SourceFrame{}
	for _, name := range names {
		addr, size, err := SymbolAddress(path, name)
		if err != nil || size == 0 {
			continue
		}
		_, at, ok := r.resolveIn(path, addr)
		if !ok {
			continue
		}
		b = at.bin
		sf, _ := r.ResolveInSource(path, addr+size/2)
		first[addr+size/2] = sf
		if off, ok := b.dwarf.unitOf(addr); ok {
			units[uint64(off)] = true
		}
		if n := len(b.dwarf.decoded); n > maxUnits {
			t.Fatalf("%d units decoded, more than %d", n, maxUnits)
		}
	}
	if len(units) <= maxUnits {
		t.Fatalf("the child's functions are in %d units: too few to test", len(units))
	}
	b.dwarf.answers = nil // forget the answers: decode the units again
	for addr, want := range first {
		if got, _ := r.ResolveInSource(path, addr); !reflect.DeepEqual(got, want) {
			t.Fatalf("%#x: %+v, then %+v", addr, want, got)
		}
	}
}

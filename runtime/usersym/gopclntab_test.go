package usersym

import (
	"debug/elf"
	"strings"
	"testing"
)

// TestGoFuncsMatchSymtab checks that .gopclntab, used for stripped Go
// binaries, names each function as .symtab does but for the ".abi0" of
// assembly functions. Its sizes run to the next function, alignment
// padding included, so they may be larger.
func TestGoFuncsMatchSymtab(t *testing.T) {
	for _, mode := range []string{"-buildmode=exe", "-buildmode=pie"} {
		f, err := elf.Open(buildChild(t, mode))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		gos, err := goFuncs(f)
		if err != nil || len(gos) < 1000 {
			t.Fatalf("%s: goFuncs = %d functions, %v", mode, len(gos), err)
		}
		syms, err := f.Symbols()
		if err != nil {
			t.Fatal(err)
		}
		byAddr := map[uint64]elf.Symbol{}
		for _, s := range syms {
			if elf.ST_TYPE(s.Info) == elf.STT_FUNC {
				byAddr[s.Value] = s
			}
		}
		found := false
		for _, g := range gos {
			s, ok := byAddr[g.addr]
			if !ok || strings.TrimSuffix(s.Name, ".abi0") != g.name || s.Size > g.size {
				t.Errorf("%s: .gopclntab has %s at %#x size %d; .symtab has %q size %d", mode, g.name, g.addr, g.size, s.Name, s.Size)
			}
			found = found || g.name == "main.target"
		}
		if !found {
			t.Errorf("%s: .gopclntab lacks main.target", mode)
		}
	}
}

func TestGoFuncsNotGo(t *testing.T) {
	f, err := elf.Open(libcPath(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if gos, err := goFuncs(f); gos != nil || err != nil {
		t.Errorf("goFuncs(libc) = %d functions, %v; want none", len(gos), err)
	}
}

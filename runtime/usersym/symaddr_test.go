package usersym

import (
	"debug/elf"
	"strings"
	"testing"
)

func TestSymbolAddressSelf(t *testing.T) {
	_, exe, pc, name := self(t)
	addr, size, err := SymbolAddress(exe, name)
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// An ET_EXEC file runs at its link addresses; anything else is moved
	// by a whole number of pages.
	if f.Type == elf.ET_EXEC && addr != pc || (pc-addr)&pageMask != 0 {
		t.Errorf("SymbolAddress(%s) = %#x, runs at %#x (%v)", name, addr, pc, f.Type)
	}
	if size == 0 {
		t.Errorf("SymbolAddress(%s) size 0", name)
	}
}

func TestSymbolAddressErrors(t *testing.T) {
	_, exe, _, _ := self(t)
	tests := []struct {
		path, sym, err string
	}{
		{exe, "no.such.symbol", `no symbol "no.such.symbol"`},
		{"/no/such/file", "main", "no such file"},
		{"testdata/child/main.go", "main", "bad magic"},
	}
	for _, tt := range tests {
		_, _, err := SymbolAddress(tt.path, tt.sym)
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("SymbolAddress(%s, %s) error %v, want one saying %q", tt.path, tt.sym, err, tt.err)
		}
	}
}

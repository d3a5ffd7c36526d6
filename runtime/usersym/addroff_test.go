package usersym

import (
	"debug/elf"
	"strings"
	"testing"
)

// TestAddressOffset checks the offset of this test binary's function against
// its executable segment, and the errors for addresses outside one.
func TestAddressOffset(t *testing.T) {
	_, exe, _, name := self(t)
	addr, _, err := SymbolAddress(exe, name)
	if err != nil {
		t.Fatal(err)
	}
	seg := loadSegment(t, exe, addr)
	off, err := AddressOffset(exe, addr)
	if err != nil {
		t.Fatal(err)
	}
	if want := addr - seg.Vaddr + seg.Off; off != want {
		t.Errorf("AddressOffset(%s, %#x) = %#x, want %#x", name, addr, off, want)
	}
	f, err := elf.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// An address in a data segment, and one past all of them.
	var data, end uint64
	for _, p := range f.Progs {
		if p.Type != elf.PT_LOAD {
			continue
		}
		if p.Flags&elf.PF_X == 0 && p.Filesz > 0 {
			data = p.Vaddr
		}
		end = max(end, p.Vaddr+p.Memsz)
	}
	if data == 0 {
		t.Fatalf("%s has no data segment", exe)
	}
	for _, tt := range []struct {
		addr uint64
		err  string
	}{
		{data, "not code"},
		{end + 0x100000, "in no loaded segment"},
	} {
		if _, err := AddressOffset(exe, tt.addr); err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("AddressOffset(%#x) error %v, want one saying %q", tt.addr, err, tt.err)
		}
	}
	for _, path := range []string{"/no/such/file", "testdata/child/main.go"} {
		if _, err := AddressOffset(path, 0x1000); err == nil || !strings.Contains(err.Error(), "reading its ELF headers for the address 0x1000") {
			t.Errorf("AddressOffset(%s) error %v, want one saying it cannot read the ELF headers", path, err)
		}
	}
}

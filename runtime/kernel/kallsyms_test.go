package kernel

import (
	"os"
	"path/filepath"
	"testing"
)

// TestKallsymsModule: Lookup names the symbol an address falls in, Module
// the module that symbol belongs to ("" for the kernel image).
func TestKallsymsModule(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kallsyms")
	text := "ffffffff81000000 T _stext\n" +
		"ffffffff81001000 T do_sys_open\n" +
		"ffffffffc0001000 t ext4_readdir\t[ext4]\n" +
		"ffffffffc0002000 t nft_do_chain\t[nf_tables]\n" +
		"ffffffffc0003000 t ext4_sync_file\t[ext4]\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := readKallsyms(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		addr       uint64
		sym, mod   string
		off        uint64
		noSymbolOK bool
	}{
		{addr: 0xffffffff81001010, sym: "do_sys_open", off: 0x10},
		{addr: 0xffffffffc0001004, sym: "ext4_readdir", mod: "ext4", off: 4},
		{addr: 0xffffffffc0002000, sym: "nft_do_chain", mod: "nf_tables"},
		{addr: 0xffffffffc0003100, sym: "ext4_sync_file", mod: "ext4", off: 0x100},
		{addr: 0x1000, noSymbolOK: true},
	} {
		sym, off, ok := s.Lookup(c.addr)
		if ok == c.noSymbolOK || sym != c.sym || off != c.off {
			t.Errorf("Lookup(%#x) = %q+%#x, %v; want %q+%#x", c.addr, sym, off, ok, c.sym, c.off)
		}
		if got := s.Module(c.addr); got != c.mod {
			t.Errorf("Module(%#x) = %q; want %q", c.addr, got, c.mod)
		}
	}
}

// TestKallsymsHidden: a kallsyms whose every address reads 0 (no
// CAP_SYSLOG) gives ErrKallsymsHidden, not an empty table.
func TestKallsymsHidden(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kallsyms")
	text := "0000000000000000 T _stext\n0000000000000000 t ext4_readdir\t[ext4]\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if s, err := readKallsyms(path); s != nil || err != ErrKallsymsHidden {
		t.Errorf("readKallsyms = %v, %v; want ErrKallsymsHidden", s, err)
	}
}

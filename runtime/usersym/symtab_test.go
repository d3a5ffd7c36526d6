package usersym

import (
	"debug/elf"
	"testing"
)

func TestSymtabFind(t *testing.T) {
	tab := newSymtab([]symbol{
		{addr: 0x16, size: 0x10, name: "baz"},
		{addr: 0x0, size: 0x6, name: "goo"}, // value 0 is kept here; keepSymbol drops it in files
		{addr: 0x6, size: 0x10, name: "foo"},
		{addr: 0x8, size: 0x4, name: "bar"}, // nested in foo
		{addr: 0x40, size: 0, name: "asm"},  // unsized
		{addr: 0x50, size: 0x8, name: "tail"},
		{addr: 0x60, size: 0x8, name: "after"},
	})
	tests := []struct {
		addr uint64
		want string // "" for no symbol
	}{
		{0x0, "goo"},
		{0x5, "goo"},
		{0x6, "foo"},
		{0x9, "bar"},
		{0xc, "foo"},  // past bar, still in foo
		{0x12, "foo"}, // walk back over bar
		{0x16, "baz"},
		{0x25, "baz"},
		{0x26, ""},    // gap after baz; baz is sized, no fallback
		{0x40, "asm"}, // unsized: nearest preceding
		{0x4f, "asm"},
		{0x57, "tail"},
		{0x58, ""}, // gap after a sized symbol
		{0x1000, ""},
	}
	for _, tt := range tests {
		got := ""
		if i := tab.find(tt.addr); i >= 0 {
			got = tab.syms[i].name
		}
		if got != tt.want {
			t.Errorf("find(%#x) = %q, want %q", tt.addr, got, tt.want)
		}
	}
	if got := newSymtab(nil).find(0x10); got != -1 {
		t.Errorf("empty symtab find = %d, want -1", got)
	}
}

func TestSymtabAliases(t *testing.T) {
	tests := []struct {
		syms []symbol
		want string
	}{
		// glibc's .dynsym: nanosleep is weak, __nanosleep global.
		{[]symbol{{addr: 1, size: 49, name: "__nanosleep", bind: elf.STB_GLOBAL}, {addr: 1, size: 49, name: "nanosleep", bind: elf.STB_WEAK}}, "nanosleep"},
		{[]symbol{{addr: 1, size: 0, name: "a"}, {addr: 1, size: 8, name: "__b"}}, "__b"},
		{[]symbol{{addr: 1, size: 8, name: "f", bind: elf.STB_LOCAL}, {addr: 1, size: 8, name: "g", bind: elf.STB_GLOBAL}}, "g"},
		{[]symbol{{addr: 1, size: 8, name: "longer", bind: elf.STB_GLOBAL}, {addr: 1, size: 8, name: "short", bind: elf.STB_GLOBAL}}, "short"},
		{[]symbol{{addr: 1, size: 8, name: "b"}, {addr: 1, size: 8, name: "a"}}, "a"},
	}
	for _, tt := range tests {
		tab := newSymtab(tt.syms)
		if len(tab.syms) != 1 || tab.syms[0].name != tt.want {
			t.Errorf("newSymtab(%v) = %v, want only %q", tt.syms, tab.syms, tt.want)
		}
	}
}

func TestKeepSymbol(t *testing.T) {
	info := func(b elf.SymBind, typ elf.SymType) byte { return elf.ST_INFO(b, typ) }
	tests := []struct {
		sym  elf.Symbol
		want bool
	}{
		{elf.Symbol{Name: "f", Info: info(elf.STB_GLOBAL, elf.STT_FUNC), Section: 14, Value: 0x10}, true},
		{elf.Symbol{Name: "memcpy", Info: info(elf.STB_GLOBAL, elf.STT_GNU_IFUNC), Section: 14, Value: 0x10}, true},
		{elf.Symbol{Name: "errno_var", Info: info(elf.STB_GLOBAL, elf.STT_OBJECT), Section: 20, Value: 0x10}, true},
		{elf.Symbol{Name: "f", Info: info(elf.STB_GLOBAL, elf.STT_FUNC), Section: elf.SHN_UNDEF}, false},
		{elf.Symbol{Name: "abs", Info: info(elf.STB_GLOBAL, elf.STT_FUNC), Section: elf.SHN_ABS, Value: 0x10}, false},
		{elf.Symbol{Name: "main.go", Info: info(elf.STB_LOCAL, elf.STT_FILE), Section: elf.SHN_ABS}, false},
		{elf.Symbol{Name: ".text", Info: info(elf.STB_LOCAL, elf.STT_SECTION), Section: 14, Value: 0x10}, false},
		{elf.Symbol{Name: "tls", Info: info(elf.STB_GLOBAL, elf.STT_TLS), Section: 22, Value: 0x10}, false},
		{elf.Symbol{Name: "label", Info: info(elf.STB_LOCAL, elf.STT_NOTYPE), Section: 14, Value: 0x10}, false},
		{elf.Symbol{Name: "", Info: info(elf.STB_GLOBAL, elf.STT_FUNC), Section: 14, Value: 0x10}, false},
	}
	for _, tt := range tests {
		if got := keepSymbol(tt.sym); got != tt.want {
			t.Errorf("keepSymbol(%+v) = %v, want %v", tt.sym, got, tt.want)
		}
	}
}

func TestSymtabNameDemangles(t *testing.T) {
	tab := newSymtab([]symbol{{addr: 1, size: 1, name: "_ZN3foo3barEi"}, {addr: 2, size: 1, name: "main.main"}})
	for i, want := range []string{"foo::bar(int)", "main.main"} {
		for range 2 { // the second call reads the cache
			if got := tab.name(i); got != want {
				t.Errorf("name(%d) = %q, want %q", i, got, want)
			}
		}
	}
}

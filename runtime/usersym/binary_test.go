package usersym

import (
	"debug/elf"
	"testing"
)

func TestVaddr(t *testing.T) {
	// Debian 12's libc.so.6 (glibc 2.36): the RW segment does not start on a page, and
	// its first page is mapped (read-only, RELRO) from below p_offset.
	libc := &binary{typ: elf.ET_DYN, load: []segment{
		{off: 0x0, filesz: 0x25388, memsz: 0x25388, vaddr: 0x0},
		{off: 0x26000, filesz: 0x1550fc, memsz: 0x1550fc, vaddr: 0x26000},
		{off: 0x17c000, filesz: 0x52c31, memsz: 0x52c31, vaddr: 0x17c000},
		{off: 0x1cf8d0, filesz: 0x4f98, memsz: 0x12680, vaddr: 0x1cf8d0},
	}}
	// An lld-style layout, where virtual addresses run ahead of offsets.
	lld := &binary{typ: elf.ET_DYN, load: []segment{
		{off: 0x0, filesz: 0x500, memsz: 0x500, vaddr: 0x0},
		{off: 0x500, filesz: 0x2000, memsz: 0x2000, vaddr: 0x1500},
	}}
	exec := &binary{typ: elf.ET_EXEC, load: []segment{{off: 0, filesz: 0x1000, memsz: 0x1000, vaddr: 0x400000}}}
	tests := []struct {
		name string
		b    *binary
		m    mapping
		addr uint64
		want uint64
		ok   bool
	}{
		{"libc text", libc, mapping{start: 0x7f0000026000, end: 0x7f000017c000, offset: 0x26000}, 0x7f00000cf4e3, 0xcf4e3, true},
		{"libc first page", libc, mapping{start: 0x7f0000000000, end: 0x7f0000026000, offset: 0}, 0x7f0000000040, 0x40, true},
		{"libc relro page below p_offset", libc, mapping{start: 0x7f00001cf000, end: 0x7f00001d3000, offset: 0x1cf000}, 0x7f00001cf010, 0x1cf010, true},
		{"libc bss tail", libc, mapping{start: 0x7f00001d3000, end: 0x7f00001d5000, offset: 0x1d3000}, 0x7f00001d4f00, 0x1d4f00, true},
		{"text mapped alone elsewhere", libc, mapping{start: 0x10000, end: 0x20000, offset: 0x26000}, 0x10010, 0x26010, true},
		{"lld text", lld, mapping{start: 0x5000, end: 0x8000, offset: 0}, 0x5600, 0x1600, true},
		{"past every segment", libc, mapping{start: 0x1000, end: 0x2000, offset: 0x300000}, 0x1000, 0, false},
		{"ET_EXEC as is", exec, mapping{start: 0x400000, end: 0x401000}, 0x400123, 0x400123, true},
	}
	for _, tt := range tests {
		got, ok := tt.b.vaddr(&tt.m, tt.addr)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: vaddr(%#x) = %#x, %v; want %#x, %v", tt.name, tt.addr, got, ok, tt.want, tt.ok)
		}
	}
}

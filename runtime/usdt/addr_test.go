package usdt

import (
	"strings"
	"testing"
)

func TestFileOffset(t *testing.T) {
	// A PIE as gcc and ld lay it out, and an lld-style one whose
	// addresses run ahead of its offsets.
	pie := []segment{
		{vaddr: 0, memsz: 0x658, off: 0},
		{vaddr: 0x1000, memsz: 0x201, off: 0x1000, exec: true},
		{vaddr: 0x2000, memsz: 0xf4, off: 0x2000},
		{vaddr: 0x3dd0, memsz: 0x260, off: 0x2dd0},
	}
	lld := []segment{
		{vaddr: 0, memsz: 0x500, off: 0},
		{vaddr: 0x1500, memsz: 0x2000, off: 0x500, exec: true},
		{vaddr: 0x4500, memsz: 0x100, off: 0x2500},
	}
	exec := []segment{{vaddr: 0x400000, memsz: 0x2000, off: 0, exec: true}, {vaddr: 0x403e10, memsz: 0x300, off: 0x2e10}}
	tests := []struct {
		name string
		segs []segment
		addr uint64
		exec bool
		want uint64
		err  string
	}{
		{"pie probe", pie, 0x11c1, true, 0x11c1, ""},
		{"pie semaphore", pie, 0x4020, false, 0x3020, ""},
		{"lld probe", lld, 0x1600, true, 0x600, ""},
		{"lld semaphore", lld, 0x4510, false, 0x2510, ""},
		{"exec probe", exec, 0x401136, true, 0x1136, ""},
		{"exec semaphore", exec, 0x404028, false, 0x3028, ""},
		{"probe in data", pie, 0x4020, true, 0, "probe at 0x4020 is in a segment that is not executable"},
		{"semaphore in code", pie, 0x1100, false, 0, "semaphore at 0x1100 is in an executable segment"},
		{"nowhere", pie, 0x9000, true, 0, "probe at 0x9000 is in no loadable segment"},
		{"just past a segment", pie, 0x1201, true, 0, "in no loadable segment"},
	}
	for _, tt := range tests {
		what := "semaphore"
		if tt.exec {
			what = "probe"
		}
		got, err := fileOffset(tt.segs, tt.addr, tt.exec, what)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%s: error %v, want one with %q", tt.name, err, tt.err)
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("%s: %#x, %v; want %#x", tt.name, got, err, tt.want)
		}
	}
}

func TestPrelinked(t *testing.T) {
	tests := []struct {
		name     string
		n        note
		base     uint64
		pc, sema uint64
	}{
		{"not prelinked", note{pc: 0x1141, base: 0x2004, semaphore: 0x4010}, 0x2004, 0x1141, 0x4010},
		{"prelinked up", note{pc: 0x1141, base: 0x2004, semaphore: 0x4010}, 0x3000002004, 0x3000001141, 0x3000004010},
		{"prelinked down", note{pc: 0x5141, base: 0x6004, semaphore: 0x8010}, 0x2004, 0x1141, 0x4010},
		{"no semaphore stays 0", note{pc: 0x1141, base: 0x2004}, 0x3004, 0x2141, 0},
		{"no .stapsdt.base", note{pc: 0x1141, base: 0x2004, semaphore: 0x4010}, 0, 0x1141, 0x4010},
		{"note without base", note{pc: 0x1141, semaphore: 0x4010}, 0x2004, 0x1141, 0x4010},
	}
	for _, tt := range tests {
		pc, sema := prelinked(tt.n, tt.base)
		if pc != tt.pc || sema != tt.sema {
			t.Errorf("%s: %#x, %#x; want %#x, %#x", tt.name, pc, sema, tt.pc, tt.sema)
		}
	}
}

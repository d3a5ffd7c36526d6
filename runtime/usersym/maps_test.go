package usersym

import (
	"strings"
	"testing"
)

func TestParseMapsLine(t *testing.T) {
	tests := []struct {
		line string
		want mapping
		ok   bool
	}{
		{
			line: "7f6045766000-7f60458bc000 r-xp 00026000 fe:00 326269                     /usr/lib/x86_64-linux-gnu/libc.so.6",
			want: mapping{start: 0x7f6045766000, end: 0x7f60458bc000, offset: 0x26000, inode: 326269, exec: true, path: "/usr/lib/x86_64-linux-gnu/libc.so.6"},
			ok:   true,
		},
		{
			line: "559b6e73d000-559b6e73f000 r--p 00000000 fe:00 247026   /opt/my app/bin (deleted)",
			want: mapping{start: 0x559b6e73d000, end: 0x559b6e73f000, inode: 247026, path: "/opt/my app/bin", deleted: true},
			ok:   true,
		},
		{
			line: "7ffd1e5f0000-7ffd1e5f2000 r-xp 00000000 00:00 0                          [vdso]",
			want: mapping{start: 0x7ffd1e5f0000, end: 0x7ffd1e5f2000, exec: true, path: "[vdso]"},
			ok:   true,
		},
		{
			line: "7f60456bb000-7f60456dd000 rw-p 00000000 00:00 0 ",
			want: mapping{start: 0x7f60456bb000, end: 0x7f60456dd000},
			ok:   true,
		},
		{line: "7f60456bb000 rw-p 00000000 00:00 0", ok: false},
		{line: "zz-7f60456dd000 rw-p 00000000 00:00 0", ok: false},
		{line: "", ok: false},
	}
	for _, tt := range tests {
		got, ok := parseMapsLine(tt.line)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("parseMapsLine(%q) = %+v, %v; want %+v, %v", tt.line, got, ok, tt.want, tt.ok)
		}
	}
}

func TestFindMapping(t *testing.T) {
	ms, err := parseMaps(strings.NewReader(`1000-2000 r--p 00000000 fe:00 1 /a
2000-3000 r-xp 00001000 fe:00 1 /a
5000-6000 rw-p 00000000 00:00 0
`))
	if err != nil || len(ms) != 3 {
		t.Fatalf("parseMaps = %d mappings, %v", len(ms), err)
	}
	tests := []struct {
		addr uint64
		want int
	}{
		{0xfff, -1}, {0x1000, 0}, {0x1fff, 0}, {0x2000, 1}, {0x2fff, 1},
		{0x3000, -1}, {0x4fff, -1}, {0x5000, 2}, {0x6000, -1}, {^uint64(0), -1},
	}
	for _, tt := range tests {
		if got := findMapping(ms, tt.addr); got != tt.want {
			t.Errorf("findMapping(%#x) = %d, want %d", tt.addr, got, tt.want)
		}
	}
	if got := findMapping(nil, 0x1000); got != -1 {
		t.Errorf("findMapping(nil) = %d, want -1", got)
	}
}

func TestKeepBinaries(t *testing.T) {
	b := new(binary)
	old := []mapping{
		{start: 0x1000, end: 0x2000, inode: 1, path: "/a", bin: b, tried: true},
		{start: 0x3000, end: 0x4000, inode: 2, path: "/b", bin: b, tried: true},
		{start: 0x5000, end: 0x6000, inode: 3, path: "/c", bin: b, tried: true},
	}
	ms := []mapping{
		{start: 0x1000, end: 0x2000, inode: 1, path: "/a"},            // unchanged
		{start: 0x3000, end: 0x4000, inode: 9, path: "/b"},            // another file now
		{start: 0x5000, end: 0x5800, inode: 3, path: "/c"},            // shrunk
		{start: 0x7000, end: 0x8000, inode: 4, path: "/d"},            // new
		{start: 0x1800, end: 0x1900, inode: 1, path: "/a", offset: 0}, // inside an old one
	}
	keepBinaries(old, ms)
	for i, want := range []bool{true, false, false, false, false} {
		if got := ms[i].tried && ms[i].bin == b; got != want {
			t.Errorf("mapping %d (%+v) kept its binary: %v, want %v", i, ms[i], got, want)
		}
	}
}

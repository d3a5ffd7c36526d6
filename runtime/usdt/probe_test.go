package usdt

import (
	"bufio"
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/sdtprog"
)

// want is what a probe of sdtprog must look like.
type want struct {
	name  string
	sizes []int // negative for signed
	gated bool
}

var sdtprogProbes = []want{
	{"tick", []int{-4, -8, 8}, false},
	{"gated", []int{-4}, true},
	{"global", []int{-4, -2, 1}, false},
}

func TestProbesSdtprog(t *testing.T) {
	for _, tt := range []struct {
		name  string
		flags []string
	}{{"pie", nil}, {"no-pie", []string{"-no-pie"}}} {
		t.Run(tt.name, func(t *testing.T) {
			path := sdtprog.ForTest(t, tt.flags...)
			probes, err := Probes(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(probes) != len(sdtprogProbes) {
				t.Fatalf("%d probes, want %d: %+v", len(probes), len(sdtprogProbes), probes)
			}
			f, err := elf.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			for i, w := range sdtprogProbes {
				p := probes[i]
				if p.Provider != "hawktest" || p.Name != w.name || p.Path != path {
					t.Errorf("probe %d is %s in %s, want hawktest:%s", i, p, p.Path, w.name)
				}
				if p.ArgsErr != nil {
					t.Errorf("%s: %v", p, p.ArgsErr)
				}
				var sizes []int
				for _, a := range p.Args {
					sizes = append(sizes, map[bool]int{false: 1, true: -1}[a.Signed]*a.Size)
				}
				if fmt.Sprint(sizes) != fmt.Sprint(w.sizes) {
					t.Errorf("%s: arg sizes %v (%q), want %v", p, sizes, p.ArgString, w.sizes)
				}
				checkOffsets(t, f, path, p, w.gated)
			}
			// The global's argument is addressed from the probe's own address.
			total := symbolValue(t, f, "hawktest_total")
			if g := probes[2].Args[0]; g.Kind != ArgMem || g.Reg != "rip" || g.RegOffset != 128 || g.Offset != int64(total-probes[2].Addr) {
				t.Errorf("hawktest:global arg0 = %+v, want %%rip%+d", g, int64(total-probes[2].Addr))
			}
			checkReadelf(t, path, probes)
		})
	}
}

// checkOffsets checks p's file offsets against the section headers: the
// probe is a nop in .text, the semaphore the symbol in .probes.
func checkOffsets(t *testing.T, f *elf.File, path string, p Probe, gated bool) {
	t.Helper()
	text := f.Section(".text")
	if p.Addr < text.Addr || p.Addr >= text.Addr+text.Size || p.Offset != p.Addr-text.Addr+text.Offset {
		t.Errorf("%s: Addr %#x Offset %#x, but .text is at %#x, offset %#x", p, p.Addr, p.Offset, text.Addr, text.Offset)
	}
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if file[p.Offset] != 0x90 {
		t.Errorf("%s: the byte at offset %#x is %#x, not a nop", p, p.Offset, file[p.Offset])
	}
	if !gated {
		if p.Semaphore != 0 || p.SemaphoreOffset != 0 {
			t.Errorf("%s: semaphore %#x (offset %#x), want none", p, p.Semaphore, p.SemaphoreOffset)
		}
		return
	}
	probes := f.Section(".probes")
	sema := symbolValue(t, f, "hawktest_gated_semaphore")
	if p.Semaphore != sema || p.SemaphoreOffset != sema-probes.Addr+probes.Offset || p.SemaphoreOffset == 0 {
		t.Errorf("%s: semaphore %#x offset %#x, want %#x offset %#x", p, p.Semaphore, p.SemaphoreOffset, sema, sema-probes.Addr+probes.Offset)
	}
}

// symbolValue returns the value of a symbol of f.
func symbolValue(t *testing.T, f *elf.File, name string) uint64 {
	t.Helper()
	syms, err := f.Symbols()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range syms {
		if s.Name == name {
			return s.Value
		}
	}
	t.Fatalf("no symbol %s", name)
	return 0
}

// checkReadelf compares the probes with what readelf -n says of path.
func checkReadelf(t *testing.T, path string, probes []Probe) {
	t.Helper()
	out, err := exec.Command("readelf", "-n", path).Output()
	if err != nil {
		kerneltest.Missing(t, "no readelf to compare with: %v", err)
	}
	got := readelfProbes(t, out)
	if len(got) != len(probes) {
		t.Fatalf("readelf -n lists %d probes, Probes %d", len(got), len(probes))
	}
	for i, p := range probes {
		r := got[i]
		if r.provider != p.Provider || r.name != p.Name || r.pc != p.Addr || r.semaphore != p.Semaphore || r.args != p.ArgString {
			t.Errorf("probe %d: readelf says %+v, Probes %+v", i, r, p)
		}
	}
}

var readelfLine = regexp.MustCompile(`^\s*(Provider|Name|Location|Arguments): ?(.*)$`)
var readelfLocation = regexp.MustCompile(`^0x([0-9a-f]+), Base: 0x([0-9a-f]+), Semaphore: 0x([0-9a-f]+)$`)

// readelfProbes parses the SDT notes that readelf -n prints.
func readelfProbes(t *testing.T, out []byte) []note {
	var notes []note
	s := bufio.NewScanner(bytes.NewReader(out))
	for s.Scan() {
		m := readelfLine.FindStringSubmatch(s.Text())
		if m == nil {
			continue
		}
		switch m[1] {
		case "Provider":
			notes = append(notes, note{provider: m[2]})
		case "Name":
			notes[len(notes)-1].name = m[2]
		case "Arguments":
			notes[len(notes)-1].args = strings.TrimSpace(m[2])
		case "Location":
			l := readelfLocation.FindStringSubmatch(m[2])
			if l == nil {
				t.Fatalf("readelf location %q", m[2])
			}
			n := &notes[len(notes)-1]
			n.pc, _ = strconv.ParseUint(l[1], 16, 64)
			n.base, _ = strconv.ParseUint(l[2], 16, 64)
			n.semaphore, _ = strconv.ParseUint(l[3], 16, 64)
		}
	}
	return notes
}

func TestFind(t *testing.T) {
	path := sdtprog.ForTest(t)
	tests := []struct {
		provider, name string
		want           []string
		err            string
	}{
		{"hawktest", "tick", []string{"hawktest:tick"}, ""},
		{"", "gated", []string{"hawktest:gated"}, ""},
		{"*", "*", []string{"hawktest:tick", "hawktest:gated", "hawktest:global"}, ""},
		{"hawk*", "g*", []string{"hawktest:gated", "hawktest:global"}, ""},
		{"", "t?ck", []string{"hawktest:tick"}, ""},
		{"hawktest", "nosuch", nil, "has no USDT probe hawktest:nosuch"},
		{"other", "tick", nil, "has no USDT probe other:tick"},
		{"hawktest", "[", nil, `bad USDT probe pattern "["`},
	}
	for _, tt := range tests {
		probes, err := Find(path, tt.provider, tt.name)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Find(%q, %q): %v, want an error with %q", tt.provider, tt.name, err, tt.err)
			}
			continue
		}
		var got []string
		for _, p := range probes {
			got = append(got, p.String())
		}
		if err != nil || fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("Find(%q, %q) = %v, %v; want %v", tt.provider, tt.name, got, err, tt.want)
		}
	}
	if _, err := Find(path, "x", "y"); !errors.Is(err, ErrNoProbes) {
		t.Errorf("no match: %v, want ErrNoProbes", err)
	}
}

func TestProbesErrors(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ path, err string }{
		{self, "has no USDT probes (no .note.stapsdt section)"},
		{"/nonexistent/binary", "no such file"},
		{"probe_test.go", "bad magic number"},
	}
	for _, tt := range tests {
		_, err := Probes(tt.path)
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("Probes(%s) = %v, want an error with %q", tt.path, err, tt.err)
		}
	}
	if _, err := Probes(self); !errors.Is(err, ErrNoProbes) {
		t.Errorf("Probes(test binary) = %v, want ErrNoProbes", err)
	}
}

// TestProbesLibstdcxx reads libstdc++'s probes: libstdcxx:throw, catch
// and rethrow, in a shared library.
func TestProbesLibstdcxx(t *testing.T) {
	const lib = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6"
	if _, err := os.Stat(lib); err != nil {
		kerneltest.Missing(t, "%v", err)
	}
	probes, err := Probes(lib)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	file, err := os.ReadFile(lib)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probes {
		names[p.String()] = true
		if p.ArgsErr != nil || len(p.Args) != 2 {
			t.Errorf("%s: args %v (%q), %v; want 2", p, p.Args, p.ArgString, p.ArgsErr)
		}
		if file[p.Offset] != 0x90 {
			t.Errorf("%s: the byte at offset %#x is %#x, not a nop", p, p.Offset, file[p.Offset])
		}
		if p.Semaphore != 0 {
			t.Errorf("%s: semaphore %#x, want none", p, p.Semaphore)
		}
	}
	for _, n := range []string{"libstdcxx:throw", "libstdcxx:catch", "libstdcxx:rethrow"} {
		if !names[n] {
			t.Errorf("no probe %s in %s (has %v)", n, lib, names)
		}
	}
	checkReadelf(t, lib, probes)
}

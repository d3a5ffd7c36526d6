package sdtprog

import (
	"bytes"
	"debug/elf"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"os/exec"
	"slices"
	"testing"
)

func TestBuild(t *testing.T) {
	for _, tt := range []struct {
		name  string
		flags []string
		typ   elf.Type
	}{
		{"pie", nil, elf.ET_DYN},
		{"no-pie", []string{"-no-pie"}, elf.ET_EXEC},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := ForTest(t, tt.flags...)
			f, err := elf.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Type != tt.typ {
				t.Errorf("type %v, want %v", f.Type, tt.typ)
			}
			for _, name := range []string{".note.stapsdt", ".stapsdt.base", ".probes"} {
				if f.Section(name) == nil {
					t.Errorf("no section %s", name)
				}
			}
			notes, err := f.Section(".note.stapsdt").Data()
			if err != nil {
				t.Fatal(err)
			}
			for _, probe := range []string{"tick", "gated", "global"} {
				if !bytes.Contains(notes, []byte("hawktest\x00"+probe+"\x00")) {
					t.Errorf("no note for hawktest:%s", probe)
				}
			}
			syms, err := f.Symbols()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(syms, func(s elf.Symbol) bool {
				return s.Name == "hawktest_gated_semaphore" && int(s.Section) < len(f.Sections) && f.Sections[s.Section].Name == ".probes"
			}) {
				t.Error("no symbol hawktest_gated_semaphore in .probes")
			}
		})
	}
}

// TestReadelf checks that binutils reads the notes as SDT probes too.
func TestReadelf(t *testing.T) {
	path := ForTest(t)
	out, err := exec.Command("readelf", "-n", path).CombinedOutput()
	if err != nil {
		kerneltest.Missing(t, "readelf: %v %s", err, out)
	}
	for _, want := range []string{
		"Name: tick", "Name: gated", "Name: global", "Provider: hawktest",
		"Arguments: -4@", "NT_STAPSDT",
	} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("readelf -n has no %q:\n%s", want, out)
		}
	}
}

// TestRun runs the program: it must exit 0 and print nothing.
func TestRun(t *testing.T) {
	path := ForTest(t)
	out, err := exec.Command(path, "3").CombinedOutput()
	if err != nil || len(out) != 0 {
		t.Errorf("sdtprog 3: %v, output %q", err, out)
	}
}

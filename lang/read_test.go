package lang

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// endless is a reader that never ends, counting what it gave.
type endless struct{ given int }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	e.given += len(p)
	return len(p), nil
}

// TestReadScriptLimit reads scripts through the limit: from a reader
// that never ends (hawk read /dev/zero, or a pipe, at 150 MB/s until
// killed), it stops after MaxScriptSize+1 bytes with an error naming the
// script; a script of exactly MaxScriptSize is read.
func TestReadScriptLimit(t *testing.T) {
	r := &endless{}
	_, err := ReadScript("stdin", r)
	if err == nil || err.Error() != "the program on stdin is larger than 16 MiB, the most hawk reads of a script" {
		t.Errorf("got %v", err)
	}
	if r.given > MaxScriptSize+64<<10 {
		t.Errorf("read %d bytes from an endless reader", r.given)
	}
	src, err := ReadScript("x.bt", io.LimitReader(&endless{}, MaxScriptSize))
	if err != nil || len(src.Text) != MaxScriptSize {
		t.Errorf("a script of exactly %d bytes: %v", MaxScriptSize, err)
	}
	if _, err := ReadScriptFile("/dev/zero"); err == nil || !strings.HasPrefix(err.Error(), "/dev/zero is larger than 16 MiB") {
		t.Errorf("/dev/zero: %v", err)
	}
	if _, err := ReadScriptFile(t.TempDir()); err == nil || !strings.HasSuffix(err.Error(), "is a directory") {
		t.Errorf("a directory: %v", err)
	}
	_, err = ReadScript("stdin", iotestErrReader{})
	if err == nil || err.Error() != "reading the program on stdin: broken" {
		t.Errorf("a read error: %v", err)
	}
	file := filepath.Join(t.TempDir(), "bom.bt")
	os.WriteFile(file, []byte("\ufeffBEGIN { }"), 0o644)
	if src, err := ReadScriptFile(file); err != nil || src.Text != "BEGIN { }" || src.Name != file {
		t.Errorf("%s: %v %q", file, err, src.Text)
	}
}

type iotestErrReader struct{}

func (iotestErrReader) Read([]byte) (int, error) { return 0, errors.New("broken") }

// TestImportLimit: an imported file is read through the same limit, and
// going past it is an error at the import.
func TestImportLimit(t *testing.T) {
	dir := writeFiles(t, map[string]string{"main.bt": "import \"big.bt\";\nBEGIN { exit(); }\n"})
	big := filepath.Join(dir, "big.bt")
	if err := os.WriteFile(big, []byte(strings.Repeat(" ", MaxScriptSize+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	got := compileErr(filepath.Join(dir, "main.bt"), readTestFile(t, dir, "main.bt"))
	want := filepath.Join(dir, "main.bt") + ":1:1: error: cannot import " + big + ": " + big + " is larger than 16 MiB, the most hawk reads of a script"
	if !strings.HasPrefix(got, want) {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.bt")); err != nil {
		t.Fatal(err)
	}
	got = compileErr(filepath.Join(dir, "main.bt"), "import \"zero.bt\";\nBEGIN { exit(); }\n")
	if !strings.Contains(got, "zero.bt is larger than 16 MiB") {
		t.Errorf("importing /dev/zero: %s", got)
	}
}

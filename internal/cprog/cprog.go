// Package cprog compiles the small C programs hawk's tests trace, with
// gcc, into a directory of the test's.
package cprog

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// Program is a C program: its source, the headers it includes (by file
// name, written beside it) and the gcc flags it is always built with.
type Program struct {
	Name    string // the default name of the binary; the source is Name.c
	Source  []byte
	Headers map[string][]byte
	Flags   []string
}

// Build writes the program into dir as name.c (with its headers) and
// compiles it with gcc, its flags and the extra flags given (such as
// -no-pie), into dir/name, whose path it returns. If gcc is missing, the
// error wraps exec.ErrNotFound.
func (p Program) Build(dir, name string, flags ...string) (path string, err error) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		return "", fmt.Errorf("building %s: %w", p.Name, err)
	}
	src := filepath.Join(dir, name+".c")
	if err := os.WriteFile(src, p.Source, 0o644); err != nil {
		return "", err
	}
	for file, text := range p.Headers {
		if err := os.WriteFile(filepath.Join(dir, file), text, 0o644); err != nil {
			return "", err
		}
	}
	path = filepath.Join(dir, name)
	args := append(append([]string{}, p.Flags...), flags...)
	args = append(args, "-o", path, src)
	if out, err := exec.Command(gcc, args...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("gcc %v: %w\n%s", args, err, out)
	}
	return path, nil
}

// ForTest builds the program, with extra gcc flags, into a temporary
// directory of t, and returns the binary's path (its source is beside it,
// with .c added). Without gcc it skips t, unless HAWK_TEST_KERNEL=1 says
// the tests must run: then it fails t.
func (p Program) ForTest(t testing.TB, flags ...string) string {
	t.Helper()
	path, err := p.Build(t.TempDir(), p.Name, flags...)
	if errors.Is(err, exec.ErrNotFound) {
		kerneltest.Missing(t, "%v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return path
}

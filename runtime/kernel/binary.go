package kernel

import (
	"fmt"
	"github.com/hawktrace/hawk/lang"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/hawktrace/hawk/runtime/usersym"
)

// libDirs are where FindBinary looks for libraries, as the dynamic linker
// does on Debian.
var libDirs = []string{"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"}

// FindBinary resolves a uprobe's binary: a path, a program in $PATH, or a
// library name (libc, libc.so.6, c), as the dynamic linker finds it.
func FindBinary(name string) (string, error) {
	if strings.Contains(name, "/") {
		if _, err := os.Stat(name); err != nil {
			return "", fmt.Errorf("binary %s: %w", name, err)
		}
		return name, nil
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	base := strings.TrimPrefix(name, "lib")
	for _, dir := range libDirs {
		// libc.so itself is often a linker script: the versioned name first.
		for _, pattern := range []string{name, "lib" + base + ".so.*", "lib" + base + ".so"} {
			matches, _ := filepath.Glob(filepath.Join(dir, pattern))
			for _, m := range matches {
				if IsELF(m) {
					return m, nil
				}
			}
		}
	}
	return "", fmt.Errorf("no binary or library %q in $PATH or %s", name, strings.Join(libDirs, ", "))
}

// IsELF reports whether the file at path starts like an ELF object.
func IsELF(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	magic := make([]byte, 4)
	_, err = io.ReadFull(f, magic)
	return err == nil && string(magic) == "\x7fELF"
}

// Binaries implements lang.Env: the files a uprobe's or usdt probe's
// binary names (Binaries), for the process e.Pid names.
func (e *Env) Binaries(name string) ([]string, error) { return Binaries(name, e.Pid) }

// BinaryFile implements lang.Env from the binary's ELF header (ET_DYN is
// relocated) and its inode.
func (e *Env) BinaryFile(path string) (lang.BinaryFile, error) {
	return usersym.FileOf(path)
}

// UserSymbol reads a symbol's address and size from a binary's ELF symbol
// tables.
func (e *Env) UserSymbol(binary, name string) (uint64, uint64, error) {
	return usersym.SymbolAddress(binary, name)
}

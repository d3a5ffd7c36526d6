// Package testenv gives tests a lang.Env without tracefs: tracepoint
// formats copied from a real kernel into formats/CATEGORY/NAME.
package testenv

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/usersym"
)

// Env reads tracepoint formats from this package's formats directory.
type Env struct{}

// Binaries implements lang.Env: binaries are taken as named.
func (Env) Binaries(name string) ([]string, error) { return []string{name}, nil }

// BinaryFile implements lang.Env from the binary's ELF header and inode.
func (Env) BinaryFile(path string) (lang.BinaryFile, error) { return usersym.FileOf(path) }

// UserSymbol reads the symbol from the binary's ELF symbol tables.
func (Env) UserSymbol(binary, name string) (uint64, uint64, error) {
	return usersym.SymbolAddress(binary, name)
}

// Tracepoints implements lang.Env.
func (Env) Tracepoints(category, name string) ([]string, error) {
	_, self, _, _ := runtime.Caller(0)
	dir := os.DirFS(filepath.Join(filepath.Dir(self), "formats"))
	return lang.GlobTracepoints(dir, category, name, func(e fs.DirEntry) bool { return !e.IsDir() })
}

// TracepointFormat implements lang.Env.
func (Env) TracepointFormat(category, name string) (*lang.TracepointFormat, error) {
	_, self, _, _ := runtime.Caller(0)
	text, err := os.ReadFile(filepath.Join(filepath.Dir(self), "formats", category, name))
	if errors.Is(err, os.ErrNotExist) {
		return nil, errors.New("tracepoint " + category + ":" + name + " not found")
	}
	if err != nil {
		return nil, err
	}
	return lang.ParseTracepointFormat(category, name, string(text))
}

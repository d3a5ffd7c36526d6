package usersym

import (
	"debug/elf"
	"debug/gosym"
	"strings"
)

// goFuncs returns the functions of a Go binary as its .gopclntab lists
// them, or nil for other files. A Go binary keeps that table when stripped
// (-ldflags=-s, which go test and go run use), so it names the functions
// of a binary without .symtab. The names are those .symtab would give,
// except that assembly functions lack the ".abi0" suffix there.
func goFuncs(f *elf.File) ([]symbol, error) {
	text := f.Section(".text")
	pcln := f.Section(".gopclntab")
	if pcln == nil {
		pcln = f.Section(".data.rel.ro.gopclntab") // PIE
	}
	if text == nil || pcln == nil {
		return nil, nil
	}
	data, err := pcln.Data()
	if err != nil {
		return nil, err
	}
	tab, err := gosym.NewTable(nil, gosym.NewLineTable(data, text.Addr))
	if err != nil {
		return nil, err
	}
	syms := make([]symbol, 0, len(tab.Funcs))
	for _, fn := range tab.Funcs {
		if fn.End > fn.Entry && fn.Name != "" {
			// The linker writes "·" as "." in .symtab; do the same.
			name := strings.ReplaceAll(fn.Name, "·", ".")
			syms = append(syms, symbol{fn.Entry, fn.End - fn.Entry, name, elf.STB_GLOBAL})
		}
	}
	return syms, nil
}

package lang

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ParseFiles parses src and, depth first, the files it imports, and merges
// them into one program: `import "lib.bt";` brings lib.bt's probes,
// macros, map declarations, structs and #define lines into the script, as
// bpftrace does. A path is relative to the directory of the file that
// imports it (the working directory for -e and stdin); a directory imports
// every .bt and .h file in it. Each path is imported once. An imported
// script may import others but may not have a config block. Imported
// probes come before the importer's, so a library's BEGIN runs first.
//
// Nodes keep their own file's positions; Source.For finds the file of a
// node. The error, when not nil, is Diagnostics.
func ParseFiles(src *Source) (*Program, error) {
	prog, err := parseImports(src)
	if prog != nil {
		useStdlib(prog)
	}
	return prog, err
}

// parseImports parses src and the files it imports (ParseFiles).
func parseImports(src *Source) (*Program, error) {
	prog, err := Parse(src)
	if prog == nil || len(prog.Imports) == 0 {
		return prog, err
	}
	var diags Diagnostics
	if err != nil {
		diags = err.(Diagnostics)
	}
	src.files = map[string]*Source{src.Name: src}
	im := &importer{root: src, diags: &diags, seen: map[string]bool{}}
	if abs, err := filepath.Abs(src.Name); err == nil && src.Name != "-e" && src.Name != "stdin" {
		im.seen[abs] = true
	}
	im.imports(prog, importDir(src.Name))
	prog.Items = append(im.items, prog.Items...)
	prog.Directives, prog.Probes, prog.Config, prog.Imports, prog.MapDecl, prog.Macros, prog.Structs = nil, nil, nil, nil, nil, nil, nil
	prog.sortItems()
	return prog, diags.Err()
}

// importDir is the directory a source's imports are relative to.
func importDir(name string) string {
	if name == "-e" || name == "stdin" {
		return "."
	}
	return filepath.Dir(name)
}

// importer gathers the items of imported files.
type importer struct {
	root  *Source
	diags *Diagnostics
	seen  map[string]bool // absolute paths already imported
	items []Item
}

// imports reads the imports of prog, whose file is in dir.
func (im *importer) imports(prog *Program, dir string) {
	for _, imp := range prog.Imports {
		name := imp.Path
		if u, err := strconv.Unquote(name); err == nil {
			name = u
		}
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		if _, err := os.Stat(path); err != nil && isStdlibPath(name) {
			// Not a file of the script's: hawk's standard library.
			im.stdlib(prog.Src, imp, name)
			continue
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			im.errorf(prog.Src, imp, "import %q: %v", name, err)
			continue
		}
		if im.seen[abs] {
			continue
		}
		im.seen[abs] = true
		info, err := os.Stat(path)
		if err != nil {
			im.errorf(prog.Src, imp, "cannot import %q: %v", name, describeOSError(err))
			continue
		}
		if !info.IsDir() {
			im.file(prog.Src, imp, path)
			continue
		}
		entries, err := os.ReadDir(path)
		if err != nil {
			im.errorf(prog.Src, imp, "cannot import %q: %v", name, describeOSError(err))
			continue
		}
		for _, e := range entries {
			sub := filepath.Join(path, e.Name())
			abs, _ := filepath.Abs(sub)
			if e.IsDir() || !importable(e.Name()) || im.seen[abs] {
				continue
			}
			im.seen[abs] = true
			im.file(prog.Src, imp, sub)
		}
	}
}

// stdlib imports the standard library's file name ("stdlib/base.bt"),
// or all of it ("stdlib"); the parts of bpftrace's library that hawk has
// built in bring nothing more.
func (im *importer) stdlib(from *Source, imp *Import, name string) {
	var files []string
	for _, f := range stdlibFiles {
		if name == stdlibDir || name == f {
			files = append(files, f)
		}
	}
	if len(files) == 0 && !stdlibBuiltinPaths[name] {
		d := im.diags.Add(from, imp, "cannot import %q: hawk's standard library has no such file", name)
		d.Hint = "its files: " + strings.Join(stdlibFiles, ", ") + "; the rest of bpftrace's (such as stdlib/strings) is built into hawk"
		return
	}
	for _, f := range files {
		if im.root.files[f] != nil {
			continue
		}
		prog := parseStdlib(f, im.root)
		if prog == nil {
			continue
		}
		for _, m := range prog.Macros {
			im.items = append(im.items, m)
		}
	}
}

// importable reports whether a directory import takes a file.
func importable(name string) bool {
	return strings.HasSuffix(name, ".bt") || strings.HasSuffix(name, ".h")
}

// file imports one file: a script, or a header of structs and #defines.
func (im *importer) file(from *Source, imp *Import, path string) {
	switch {
	case strings.HasSuffix(path, ".bpf.c"):
		im.errorf(from, imp, "cannot import %s: hawk compiles no C; declare what you need in a .bt or .h file", path)
		return
	case !importable(path):
		im.errorf(from, imp, "cannot import %s: imports are .bt scripts, .h headers or directories of them", path)
		return
	}
	if err := checkNotWorldWritable(filepath.Dir(path)); err != nil {
		im.errorf(from, imp, "cannot import %s: %v", path, err)
		return
	}
	src, err := ReadScriptFile(path)
	if err != nil {
		im.errorf(from, imp, "cannot import %s: %v", path, describeOSError(err))
		return
	}
	src.files = im.root.files
	im.root.files[path] = src
	prog, err := Parse(src)
	if err != nil {
		*im.diags = append(*im.diags, err.(Diagnostics)...)
	}
	if prog == nil {
		return
	}
	for _, c := range prog.Config {
		im.diags.Add(src, c, "an imported script cannot have a config block; only the main script can")
	}
	im.imports(prog, filepath.Dir(path))
	for _, it := range prog.Items {
		switch it.(type) {
		case *Import, *ConfigBlock:
		default:
			im.items = append(im.items, it)
		}
	}
}

func (im *importer) errorf(src *Source, n Node, format string, args ...any) {
	im.diags.Add(src, n, format, args...)
}

// checkNotWorldWritable refuses directories anyone may write to, where
// another user could plant a script, as bpftrace does.
func checkNotWorldWritable(dir string) error {
	info, err := os.Stat(dir)
	if err != nil {
		return describeOSError(err)
	}
	if info.Mode().Perm()&0o002 != 0 {
		return fmt.Errorf("its directory %s is writable by every user", dir)
	}
	return nil
}

// describeOSError drops the operation and path from an *fs.PathError; the
// diagnostic already names the file.
func describeOSError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// checkImportOrder requires imports before probes, macros and map
// declarations, as bpftrace does. Misplaced imports are reported and not
// read.
func checkImportOrder(prog *Program, diags *Diagnostics) {
	late := false
	prog.Imports = prog.Imports[:0]
	for _, it := range prog.Items {
		switch it := it.(type) {
		case *Probe, *Macro, *MapDecl:
			late = true
		case *Import:
			if late {
				diags.Add(prog.Src, it, "imports must come before probes, macros and map declarations")
			} else {
				prog.Imports = append(prog.Imports, it)
			}
		}
	}
}

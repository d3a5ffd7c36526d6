package lang

import (
	"embed"
	"path"
	"sort"
	"strings"
)

// hawk's standard library of macros, as bpftrace's: functions written in
// the language itself, in files named as bpftrace names them so that what
// they report points where bpftrace's does (stdlib/base.bt:6:5 is
// assert's errorf). A script gets a file's macros when it calls one of
// them and defines no macro of that name itself, or when it imports the
// file (import "stdlib/base.bt") or the whole library (import "stdlib").
// Everything else bpftrace's standard library holds (its C files and the
// functions written in them) hawk has built in.

//go:embed stdlib/*.bt
var stdlibFS embed.FS

// stdlibDir is the import path of the standard library.
const stdlibDir = "stdlib"

// stdlibFiles are the names of the library's macro files, sorted:
// "stdlib/base.bt", ...
var stdlibFiles = func() []string {
	entries, _ := stdlibFS.ReadDir(stdlibDir)
	var names []string
	for _, e := range entries {
		names = append(names, path.Join(stdlibDir, e.Name()))
	}
	sort.Strings(names)
	return names
}()

// stdlibBuiltinPaths are the parts of bpftrace's standard library that
// hawk has built in: importing one is allowed and brings nothing more.
var stdlibBuiltinPaths = map[string]bool{
	"stdlib/internal.bt": true, "stdlib/kfunc.bt": true, "stdlib/meta.bt": true,
	"stdlib/process.bt": true, "stdlib/strings.bt": true, "stdlib/base.bpf.c": true,
	"stdlib/map": true, "stdlib/map/map.bpf.c": true,
	"stdlib/process": true, "stdlib/process/process.bpf.c": true,
	"stdlib/stack": true, "stdlib/stack/dwunwind.bpf.c": true,
	"stdlib/strings": true, "stdlib/strings/strings.bpf.c": true,
	"stdlib/system": true, "stdlib/system/system.bpf.c": true,
	"stdlib/task": true, "stdlib/task/task.bpf.c": true, "stdlib/task/vma.bpf.c": true,
	"stdlib/test": true, "stdlib/test/test.bpf.c": true,
	"stdlib/usdt": true, "stdlib/usdt/usdt.bpf.c": true,
}

// isStdlibPath reports whether an import names the standard library or a
// file of it.
func isStdlibPath(name string) bool {
	return name == stdlibDir || strings.HasPrefix(name, stdlibDir+"/")
}

// stdlibMacroFiles maps each macro of the library to its file. It is a
// table, not found by parsing the library at each run (2 % of a
// `BEGIN { exit(); }` run's CPU did that); TestStdlibMacroFiles holds it
// to what the files define.
var stdlibMacroFiles = map[string]string{
	"assert": "stdlib/base.bt",
	"is_err": "stdlib/base.bt",
}

// stdlibMacros maps each macro of the library to its file.
func stdlibMacros() map[string]string { return stdlibMacroFiles }

// StdlibMacros lists the names of the standard library's macros, sorted.
func StdlibMacros() []string {
	var names []string
	for name := range stdlibMacros() {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// parseStdlib parses the library file name, among root's files when root
// is not nil. It returns nil when the file does not parse, which
// TestStdlibParses rules out.
func parseStdlib(name string, root *Source) *Program {
	text, err := stdlibFS.ReadFile(name)
	if err != nil {
		return nil
	}
	src := NewSource(name, string(text))
	if root != nil {
		if root.files == nil {
			root.files = map[string]*Source{root.Name: root}
		}
		src.files = root.files
		root.files[name] = src
	}
	prog, err := Parse(src)
	if err != nil {
		return nil
	}
	return prog
}

// useStdlib adds to prog the macros of the library files that define a
// macro its probes (or the macros added) call, unless prog defines a
// macro of that name itself; a file imported already is not added again.
func useStdlib(prog *Program) {
	own := map[string]bool{}
	have := map[string]bool{} // library files prog has (imported): by its macros, as a source may be parsed again
	for _, m := range prog.Macros {
		if f := m.Start().Filename; isStdlibPath(f) {
			have[f] = true
		} else {
			own[m.Name] = true
		}
	}
	lib := stdlibMacros()
	added := map[string]bool{}
	var work []Node
	for _, p := range prog.Probes {
		work = append(work, p)
	}
	for _, m := range prog.Macros {
		work = append(work, m)
	}
	for len(work) > 0 {
		n := work[len(work)-1]
		work = work[:len(work)-1]
		for _, name := range calledNames(n) {
			f, ok := lib[name]
			if !ok || own[name] || added[f] || have[f] {
				continue
			}
			added[f] = true
			for _, m := range addStdlibFile(prog, f, own) {
				work = append(work, m)
			}
		}
	}
}

// addStdlibFile adds the macros of the library file f to prog but those
// named in skip, and returns them.
func addStdlibFile(prog *Program, f string, skip map[string]bool) []*Macro {
	lib := parseStdlib(f, prog.Src)
	if lib == nil {
		return nil
	}
	var added []*Macro
	for _, m := range lib.Macros {
		if !skip[m.Name] {
			prog.Macros = append(prog.Macros, m)
			prog.Items = append(prog.Items, m)
			added = append(added, m)
		}
	}
	return added
}

// dropRepeatedStdlib drops the library's macros that items hold twice, as
// entries combined (the REPL's) may, each having brought the library.
func dropRepeatedStdlib(items []Item) []Item {
	seen := map[string]bool{}
	kept := items[:0:0]
	for _, it := range items {
		if m, ok := it.(*Macro); ok && isStdlibPath(m.Start().Filename) {
			key := m.Start().Filename + ":" + m.Name
			if seen[key] {
				continue
			}
			seen[key] = true
		}
		kept = append(kept, it)
	}
	return kept
}

// calledNames lists the names n calls or names bare (a macro without
// parameters may be used as a bare name).
func calledNames(n Node) []string {
	var names []string
	Inspect(n, func(n Node) bool {
		switch n := n.(type) {
		case *Call:
			names = append(names, n.Name)
		case *Ident:
			names = append(names, n.Name)
		}
		return true
	})
	return names
}

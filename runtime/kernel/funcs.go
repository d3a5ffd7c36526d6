package kernel

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/cilium/ebpf/btf"
	"github.com/hawktrace/hawk/runtime/usersym"
)

// Vmlinux is the module name of the kernel image itself, as bpftrace spells
// it: fentry:vmlinux:vfs_read.
const Vmlinux = "vmlinux"

// KernelFunc is a kernel function a kprobe or fentry probe can attach to.
// KernelFuncs, BTFFuncs and RawTracepointsByModule also use it for any name
// that lives in a module.
type KernelFunc struct {
	Name   string // e.g. "vfs_read" or "lookup_fast.constprop.0"
	Module string // Vmlinux for the kernel image, else the module's name
}

// String spells f as bpftrace's listings do: "module:name".
func (f KernelFunc) String() string { return f.Module + ":" + f.Name }

// Match reports whether name matches pattern, where '*' stands for any run
// of characters (colons included, as in bpftrace) and '?' for any one
// character; a pattern with a class ([a-z]) follows filepath.Match. Every
// other character stands for itself.
func Match(pattern, name string) bool {
	if strings.ContainsRune(pattern, '[') {
		// A character class, as tracepoint patterns allow: glob rules.
		ok, err := filepath.Match(pattern, name)
		return err == nil && ok
	}
	p, n := 0, 0
	star, mark := -1, 0 // the last '*' seen, and where in name it resumed
	for n < len(name) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, n
			p++
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == name[n]):
			p++
			n++
		case star >= 0:
			// Let the last '*' swallow one more character and retry.
			mark++
			p, n = star+1, mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// matchFunc matches f against pattern: against "module:name" when the
// pattern names a module (has a colon), else against the name alone.
func matchFunc(pattern string, f KernelFunc) bool {
	if strings.Contains(pattern, ":") {
		return Match(pattern, f.String())
	}
	return Match(pattern, f.Name)
}

// modulePattern returns the part of pattern that matches a module name:
// what precedes its first colon, or "*" when it has none.
func modulePattern(pattern string) string {
	mod, _, ok := strings.Cut(pattern, ":")
	if !ok {
		return "*"
	}
	return mod
}

// Where KernelFuncs reads the functions.
var (
	filterFunctionsPath = "/sys/kernel/tracing/available_filter_functions"
	kallsymsPath        = "/proc/kallsyms"
	kprobesBlacklist    = "/sys/kernel/debug/kprobes/blacklist"
)

var (
	traceableOnce sync.Once
	traceable     []KernelFunc // sorted by String, unique
	traceableErr  error
)

// KernelFuncs lists the kernel's functions matching pattern, sorted by
// "module:name" and without duplicates. A pattern without a colon matches
// the function's name, one with a colon "module:name" (vmlinux for the
// kernel image); see Match for the wildcards.
//
// The functions come from tracefs's available_filter_functions, the list
// of what ftrace, kprobes and fentry may attach to, when it can be read.
// Otherwise (some kernels refuse it even to root) they are the text
// symbols of /proc/kallsyms, less what is plainly not a function: the
// __pfx_ and __cfi_ padding symbols, .cold fragments, section markers such
// as _stext and __entry_text_start, and the pseudo-modules [bpf] and
// [__builtin__*]. Either way bpftrace's exclusions apply: .part.N clones,
// which cannot be traced, the functions bpftrace knows to hang the kernel
// when traced (rcu_*, arch_cpu_idle, default_idle, ...), and those in
// debugfs's kprobes blacklist when it is readable. Those exclusions apply
// to patterns with wildcards only, as in bpftrace: a plain name is looked
// up among all functions, so that kprobe:rcu_note_context_switch still
// finds its function. Compiler clones such as lookup_fast.constprop.0 are
// kept: they are attachable by that name.
func KernelFuncs(pattern string) ([]KernelFunc, error) {
	all, err := traceableFuncs()
	if err != nil {
		return nil, err
	}
	wild := strings.ContainsAny(pattern, "*?")
	var blocked map[KernelFunc]bool
	if wild {
		blocked = blacklist()
	}
	var out []KernelFunc
	for _, f := range all {
		if matchFunc(pattern, f) && !(wild && (badFunc(f.Name) || blocked[f])) {
			out = append(out, f)
		}
	}
	return out, nil
}

var (
	blacklistOnce sync.Once
	blocked       map[KernelFunc]bool
)

// blacklist reads debugfs's kprobes blacklist once; it is empty when
// debugfs is not mounted.
func blacklist() map[KernelFunc]bool {
	blacklistOnce.Do(func() {
		if f, err := os.Open(kprobesBlacklist); err == nil {
			blocked = parseBlacklist(f)
			f.Close()
		}
	})
	return blocked
}

// traceableFuncs reads the kernel's functions once.
func traceableFuncs() ([]KernelFunc, error) {
	traceableOnce.Do(func() {
		traceable, traceableErr = readTraceable()
	})
	return traceable, traceableErr
}

func readTraceable() ([]KernelFunc, error) {
	var funcs []KernelFunc
	if f, err := os.Open(filterFunctionsPath); err == nil {
		funcs, err = parseFilterFunctions(f)
		f.Close()
		if err != nil {
			funcs = nil // a read the kernel refused: fall back on kallsyms
		}
	}
	if funcs == nil {
		f, err := os.Open(kallsymsPath)
		if err != nil {
			return nil, fmt.Errorf("listing the kernel's functions: %w", err)
		}
		defer f.Close()
		if funcs, err = parseKallsymsFuncs(f); err != nil {
			return nil, fmt.Errorf("reading %s: %w", kallsymsPath, err)
		}
	}
	return sortFuncs(funcs), nil
}

// sortFuncs sorts funcs by module, then name, and drops duplicates.
func sortFuncs(funcs []KernelFunc) []KernelFunc {
	slices.SortFunc(funcs, compareFuncs)
	return slices.Compact(funcs)
}

// compareFuncs orders kernel functions by module, then name.
func compareFuncs(a, b KernelFunc) int {
	return cmp.Or(strings.Compare(a.Module, b.Module), strings.Compare(a.Name, b.Name))
}

// parseFilterFunctions reads available_filter_functions: one function a
// line, followed by its module in brackets when it is in one.
func parseFilterFunctions(r io.Reader) ([]KernelFunc, error) {
	var funcs []KernelFunc
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		f := KernelFunc{Name: fields[0], Module: Vmlinux}
		if len(fields) > 1 && strings.HasPrefix(fields[1], "[") {
			f.Module = strings.Trim(fields[1], "[]")
		}
		funcs = append(funcs, f)
	}
	return funcs, sc.Err()
}

// parseKallsymsFuncs reads the text symbols of /proc/kallsyms, lines of
// "ADDRESS TYPE NAME [MODULE]", keeping those that may be functions.
func parseKallsymsFuncs(r io.Reader) ([]KernelFunc, error) {
	var funcs []KernelFunc
	err := eachKallsym(r, func(_ uint64, typ, name, module string) {
		switch typ {
		case "t", "T", "w", "W": // code, and weak code
		default:
			return
		}
		f := KernelFunc{Name: name, Module: cmp.Or(module, Vmlinux)}
		if f.Module == "bpf" || strings.HasPrefix(f.Module, "__builtin__") || notFunction(f.Name) {
			return
		}
		funcs = append(funcs, f)
	})
	return funcs, err
}

// textMarkers are symbols of the kernel's linker script that mark where
// sections of code start and end.
var textMarkers = map[string]bool{
	"_text": true, "_stext": true, "_etext": true, "_sinittext": true, "_einittext": true,
}

// notFunction reports whether a text symbol of kallsyms is certainly not a
// function ftrace lists: padding before a function, a cold fragment split
// off one, or a section marker.
func notFunction(name string) bool {
	switch {
	case strings.HasPrefix(name, "__pfx_"), strings.HasPrefix(name, "__cfi_"), strings.HasPrefix(name, "__pi_"):
		return true
	case strings.Contains(name, ".cold"):
		return true
	case textMarkers[name]:
		return true
	case strings.HasPrefix(name, "__") && (strings.HasSuffix(name, "_text_start") || strings.HasSuffix(name, "_text_end")):
		return true
	case strings.HasPrefix(name, "__start_"), strings.HasPrefix(name, "__stop_"):
		return true
	}
	return false
}

// badFunc reports whether bpftrace leaves function name out of its lists:
// .part.N clones, which cannot be traced, and functions that hang the
// kernel when traced (from the kernel's bpf selftest kprobe_multi_test.c).
func badFunc(name string) bool {
	switch name {
	case "arch_cpu_idle", "default_idle", "bpf_dispatcher_xdp_func":
		return true
	}
	return strings.Contains(name, ".part.") ||
		strings.HasPrefix(name, "__ftrace_invalid_address__") ||
		strings.HasPrefix(name, "rcu_")
}

// parseBlacklist reads debugfs's kprobes/blacklist: lines of
// "0xSTART-0xEND\tNAME [MODULE]".
func parseBlacklist(r io.Reader) map[KernelFunc]bool {
	blocked := map[KernelFunc]bool{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		f := KernelFunc{Name: fields[1], Module: Vmlinux}
		if len(fields) > 2 {
			f.Module = strings.Trim(fields[2], "[]")
		}
		blocked[f] = true
	}
	return blocked
}

// maxFuncArgs is the most arguments a function may take for fentry and
// fexit to attach to it (the kernel's MAX_BPF_FUNC_ARGS).
const maxFuncArgs = 12

// btfIndex is what the listings need from one BTF blob: the names of its
// functions, raw tracepoints and iterators, sorted.
type btfIndex struct {
	funcs   []string // FUNCs of at most maxFuncArgs parameters
	rawTPs  []string // the names of the btf_trace_* typedefs, without the prefix
	iters   []string // NAME with both struct bpf_iter__NAME and FUNC bpf_iter_NAME
	byFuncs map[string]bool
}

// indexOf indexes a BTF blob of the kernel once.
func (e *Env) indexOf(spec *btf.Spec) (*btfIndex, error) {
	e.btfMu.Lock()
	defer e.btfMu.Unlock()
	if ix, ok := e.indexes[spec]; ok {
		return ix, nil
	}
	ix := &btfIndex{byFuncs: map[string]bool{}}
	iterStructs := map[string]bool{}
	for t, err := range spec.All() {
		if err != nil {
			return nil, err
		}
		switch t := t.(type) {
		case *btf.Func:
			if ix.byFuncs[t.Name] {
				continue
			}
			if proto, ok := t.Type.(*btf.FuncProto); ok && len(proto.Params) <= maxFuncArgs {
				ix.byFuncs[t.Name] = true
				ix.funcs = append(ix.funcs, t.Name)
			}
		case *btf.Typedef:
			if name, ok := strings.CutPrefix(t.Name, "btf_trace_"); ok {
				ix.rawTPs = append(ix.rawTPs, name)
			}
		case *btf.Struct:
			if name, ok := strings.CutPrefix(t.Name, "bpf_iter__"); ok && !strings.HasSuffix(name, "__safe_trusted") {
				iterStructs[name] = true
			}
		}
	}
	for name := range iterStructs {
		if ix.byFuncs["bpf_iter_"+name] {
			ix.iters = append(ix.iters, name)
		}
	}
	for _, s := range [][]string{ix.funcs, ix.rawTPs, ix.iters} {
		slices.Sort(s)
	}
	ix.rawTPs = slices.Compact(ix.rawTPs)
	if e.indexes == nil {
		e.indexes = map[*btf.Spec]*btfIndex{}
	}
	e.indexes[spec] = ix
	return ix, nil
}

// btfDir is where the kernel publishes its BTF and its modules'.
const btfDir = "/sys/kernel/btf"

// specOf returns the BTF of module, read once: the kernel's for Vmlinux
// or "".
func (e *Env) specOf(module string) (*btf.Spec, error) {
	base, err := e.btf()
	if err != nil || module == "" || module == Vmlinux {
		return base, err
	}
	if strings.ContainsAny(module, "/.") {
		return nil, fmt.Errorf("bad module name %q", module)
	}
	spec, err := BTFCache(e.BTF).Module(module)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("the kernel has no BTF for module %s", module)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the BTF of module %s: %w", module, err)
	}
	return spec, nil
}

// btfModules lists vmlinux and the modules with BTF whose names match
// pattern, vmlinux first and the modules sorted.
func btfModules(pattern string) []string {
	var mods []string
	if Match(pattern, Vmlinux) {
		mods = append(mods, Vmlinux)
	}
	entries, _ := os.ReadDir(btfDir)
	for _, ent := range entries {
		if name := ent.Name(); name != Vmlinux && Match(pattern, name) {
			mods = append(mods, name)
		}
	}
	return mods
}

// eachBTF calls fn with the index of every BTF blob (the kernel's, then its
// modules') whose module matches the module part of pattern.
func (e *Env) eachBTF(pattern string, fn func(module string, ix *btfIndex)) error {
	for _, mod := range btfModules(modulePattern(pattern)) {
		spec, err := e.specOf(mod)
		if err != nil {
			if mod == Vmlinux {
				return err
			}
			continue // a module unloaded since we looked
		}
		ix, err := e.indexOf(spec)
		if err != nil {
			return fmt.Errorf("reading the BTF of %s: %w", mod, err)
		}
		fn(mod, ix)
	}
	return nil
}

// BTFFuncs lists the functions described by the BTF of the kernel and of
// its modules (in /sys/kernel/btf) that match pattern, as KernelFuncs
// matches: what fentry and fexit can attach to (Linux 5.5+, modules 5.11+).
// When KernelFuncs can list the kernel's functions, a BTF function it does
// not list (one inlined everywhere, say) is left out, for fentry cannot
// attach to it; so are functions of more than 12 arguments, and, for a
// pattern with wildcards, those KernelFuncs leaves out. The result is
// sorted by "module:name".
func (e *Env) BTFFuncs(pattern string) ([]KernelFunc, error) {
	known, _ := traceableFuncs() // sorted; without a list, trust BTF alone
	wild := strings.ContainsAny(pattern, "*?")
	var blocked map[KernelFunc]bool
	if wild {
		blocked = blacklist()
	}
	var out []KernelFunc
	err := e.eachBTF(pattern, func(mod string, ix *btfIndex) {
		for _, name := range ix.funcs {
			f := KernelFunc{Name: name, Module: mod}
			if !matchFunc(pattern, f) || wild && (badFunc(name) || blocked[f]) {
				continue
			}
			if _, found := slices.BinarySearchFunc(known, f, compareFuncs); len(known) == 0 || found {
				out = append(out, f)
			}
		}
	})
	return sortFuncs(out), err
}

// RawTracepointsByModule lists the raw tracepoints matching pattern, as
// KernelFuncs matches, with the module that defines each: those for which
// the BTF of the kernel or of a module has a typedef btf_trace_NAME (Linux
// 5.5+). The result is sorted by "module:name".
func (e *Env) RawTracepointsByModule(pattern string) ([]KernelFunc, error) {
	var out []KernelFunc
	err := e.eachBTF(pattern, func(mod string, ix *btfIndex) {
		for _, name := range ix.rawTPs {
			if f := (KernelFunc{Name: name, Module: mod}); matchFunc(pattern, f) {
				out = append(out, f)
			}
		}
	})
	return sortFuncs(out), err
}

// RawTracepoints lists the names of the raw tracepoints matching pattern
// (see RawTracepointsByModule), sorted and without duplicates.
func (e *Env) RawTracepoints(pattern string) ([]string, error) {
	tps, err := e.RawTracepointsByModule(pattern)
	names := make([]string, len(tps))
	for i, tp := range tps {
		names[i] = tp.Name
	}
	slices.Sort(names)
	return slices.Compact(names), err
}

// Iterators lists the BPF iterators of the kernel matching pattern, sorted:
// the NAMEs for which its BTF has both a struct bpf_iter__NAME (the
// context of an iter:NAME probe) and the function bpf_iter_NAME that
// declares the target (Linux 5.8+).
func (e *Env) Iterators(pattern string) ([]string, error) {
	var out []string
	err := e.eachBTF("*", func(mod string, ix *btfIndex) {
		for _, name := range ix.iters {
			if Match(pattern, name) {
				out = append(out, name)
			}
		}
	})
	slices.Sort(out)
	return slices.Compact(out), err
}

// UserFuncs lists the functions of the ELF binary at path whose names match
// pattern (see Match), sorted and without duplicates: the defined symbols
// of type STT_FUNC or STT_GNU_IFUNC (as glibc's memcpy) with a non-zero
// address, from both .dynsym and .symtab, and for a Go binary without
// .symtab the functions of its .gopclntab. Names are as the file spells
// them: C++ names mangled, without symbol versions. These are the names
// usersym.SymbolAddress finds, so every one can be attached to; separate
// debug files (/usr/lib/debug) are not read.
func UserFuncs(path, pattern string) ([]string, error) {
	all, err := usersym.FuncNames(path)
	if err != nil {
		return nil, fmt.Errorf("reading the functions of %s: %w", path, err)
	}
	var names []string
	for _, name := range all {
		if Match(pattern, name) {
			names = append(names, name)
		}
	}
	return names, nil
}

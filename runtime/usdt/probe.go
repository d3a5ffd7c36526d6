package usdt

import (
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// ErrNoProbes is wrapped by the errors of Probes and Find when a file has
// no USDT probes, or none that match.
var ErrNoProbes = errors.New("no USDT probes")

// Probe is one USDT probe site in a binary (a probe name can have several
// sites).
type Probe struct {
	Provider, Name string
	Path           string // the binary it is in

	// Addr is the probe's virtual address in the file, corrected for
	// prelink (.stapsdt.base), and Offset the offset in the file of the
	// instruction there. A uprobe attaches at the file offset: with
	// cilium/ebpf, link.UprobeOptions{Address: Offset} and no symbol.
	Addr   uint64
	Offset uint64

	// Semaphore is the virtual address of the probe's semaphore, 0 if
	// none, and SemaphoreOffset its offset in the file, the
	// link.UprobeOptions.RefCtrOffset that makes the kernel count the
	// attached tracers in it (Linux 4.20+). Sites that share a semaphore
	// gate on it together.
	Semaphore       uint64
	SemaphoreOffset uint64

	// Args are the probe's arguments; ArgString is the note's argument
	// string they come from, as written. If an argument cannot be read
	// (an unknown register, a symbol the file does not define), Args is
	// nil and ArgsErr says why: the site can still be listed or counted,
	// but not have its arguments read.
	Args      []Arg
	ArgString string
	ArgsErr   error
}

// String returns "provider:name".
func (p Probe) String() string { return p.Provider + ":" + p.Name }

// Probes returns every USDT probe site of the ELF file at path, in note
// order. The file must be an x86-64 ELF file; one without a .note.stapsdt
// section gives an error wrapping ErrNoProbes. A file is read once while
// it stays the same (size and modification time): expanding, checking
// and listing a probe all ask for its sites.
func Probes(path string) ([]Probe, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	key := fileKey{path, fi.Size(), fi.ModTime()}
	if r, ok := read.Load(key); ok {
		return r.(readResult).probes, r.(readResult).err
	}
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	probes, err := fileProbes(path, f)
	read.Store(key, readResult{probes, err})
	return probes, err
}

// Names lists the probes of path that provider:name matches, as
// "provider:name", each once however many sites it has, in note order.
// Patterns are as Find's.
func Names(path, provider, name string) ([]string, error) {
	sites, err := Find(path, provider, name)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var names []string
	for _, p := range sites {
		if key := p.String(); !seen[key] {
			seen[key] = true
			names = append(names, key)
		}
	}
	return names, nil
}

// fileKey names a version of a file.
type fileKey struct {
	path  string
	size  int64
	mtime time.Time
}

type readResult struct {
	probes []Probe
	err    error
}

// read holds what Probes found in each file.
var read sync.Map

// Find returns the sites of provider:name in path; provider "" matches
// any provider. Provider and name may have wildcards, as in path.Match
// (*, ?, [...]). No match is an error wrapping ErrNoProbes.
func Find(path, provider, name string) ([]Probe, error) {
	if provider == "" {
		provider = "*"
	}
	for _, pat := range []string{provider, name} {
		if _, err := filepath.Match(pat, ""); err != nil {
			return nil, fmt.Errorf("bad USDT probe pattern %q: %w", pat, err)
		}
	}
	all, err := Probes(path)
	if err != nil {
		return nil, err
	}
	var sites []Probe
	for _, p := range all {
		okProvider, _ := filepath.Match(provider, p.Provider)
		okName, _ := filepath.Match(name, p.Name)
		if okProvider && okName {
			sites = append(sites, p)
		}
	}
	if len(sites) == 0 {
		return nil, fmt.Errorf("%s has no USDT probe %s:%s: %w", path, provider, name, ErrNoProbes)
	}
	return sites, nil
}

// fileProbes reads the probes of f, opened from path.
func fileProbes(path string, f *elf.File) ([]Probe, error) {
	if f.Machine != elf.EM_X86_64 {
		return nil, fmt.Errorf("%s is for %v: hawk reads the USDT probes of x86-64 binaries only", path, f.Machine)
	}
	sec := f.Section(".note.stapsdt")
	if sec == nil {
		return nil, fmt.Errorf("%s has no USDT probes (no .note.stapsdt section): %w", path, ErrNoProbes)
	}
	data, err := sec.Data()
	if err != nil {
		return nil, fmt.Errorf("%s: reading .note.stapsdt: %w", path, err)
	}
	addrSize := 8
	if f.Class == elf.ELFCLASS32 {
		addrSize = 4
	}
	notes, err := parseNotes(data, f.ByteOrder, addrSize)
	if err != nil {
		return nil, fmt.Errorf("%s: .note.stapsdt: %w", path, err)
	}
	if len(notes) == 0 {
		return nil, fmt.Errorf("%s has no USDT probes (.note.stapsdt has no stapsdt notes): %w", path, ErrNoProbes)
	}
	var base uint64
	if s := f.Section(".stapsdt.base"); s != nil {
		base = s.Addr
	}
	segs := loadSegments(f)
	syms := &symbols{f: f}
	probes := make([]Probe, 0, len(notes))
	for _, n := range notes {
		p, err := site(n, base, segs, syms)
		if err != nil {
			return nil, fmt.Errorf("%s: USDT probe %s:%s: %w", path, n.provider, n.name, err)
		}
		p.Path = path
		probes = append(probes, p)
	}
	return probes, nil
}

// site makes the Probe of note n: its addresses corrected for prelink and
// converted to file offsets, and its arguments parsed.
func site(n note, base uint64, segs []segment, syms *symbols) (Probe, error) {
	p := Probe{Provider: n.provider, Name: n.name, ArgString: n.args}
	p.Addr, p.Semaphore = prelinked(n, base)
	var err error
	if p.Offset, err = fileOffset(segs, p.Addr, true, "probe"); err != nil {
		return Probe{}, err
	}
	if p.Semaphore != 0 {
		if p.SemaphoreOffset, err = fileOffset(segs, p.Semaphore, false, "semaphore"); err != nil {
			return Probe{}, err
		}
	}
	p.Args, p.ArgsErr = args(n.args, p.Addr, syms)
	return p, nil
}

// args parses the argument string of the probe at addr and resolves the
// symbols in it.
func args(s string, addr uint64, syms *symbols) ([]Arg, error) {
	ops, err := parseArgs(s)
	if err != nil {
		return nil, err
	}
	args := make([]Arg, len(ops))
	for i, op := range ops {
		if op.sym != "" {
			if err := syms.place(&op, addr); err != nil {
				return nil, fmt.Errorf("arg%d %q: %w", i, splitArgs(s)[i], err)
			}
		}
		args[i] = op.Arg
	}
	return args, nil
}

package object

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
)

// ErrNotObject is returned, wrapped, by Read for a file that is not an
// object hawk wrote.
var ErrNotObject = errors.New("not a hawk object")

// IsObject reports whether the first bytes of a file are an ELF header:
// whether the file is an object rather than a script.
func IsObject(head []byte) bool {
	return bytes.HasPrefix(head, []byte(elf.ELFMAG))
}

// Read reads an object that Write wrote, with cilium/ebpf's ELF reader,
// and returns the compiled script ready for runtime.Load: the same
// programs, maps, read-only data and manifest. Instructions come back with
// their jump labels, function names and script lines (as *codegen.Source,
// without byte offsets); the programs' SectionName is the object's
// section, and the collection holds the object's BTF.
func Read(r io.ReaderAt) (*codegen.Output, error) {
	data, spec, syms, err := readELF(r)
	if err != nil {
		return nil, err
	}
	env, err := decodeEnvelope(data)
	if err != nil {
		return nil, fmt.Errorf("reading object: %w", err)
	}
	if err := restore(spec, env, syms); err != nil {
		return nil, fmt.Errorf("reading object: %w", err)
	}
	for _, p := range env.Manifest.Programs {
		if spec.Programs[p.Name] == nil && p.User == nil {
			return nil, fmt.Errorf("reading object: the manifest names program %s, which the object lacks", p.Name)
		}
	}
	return &codegen.Output{Spec: spec, Manifest: env.Manifest}, nil
}

// readELF reads the object's manifest section, its collection (with
// cilium/ebpf's reader) and its symbols. debug/elf and the readers built
// on it are not hardened against every malformed file: their panics come
// back as errors, and only theirs.
func readELF(r io.ReaderAt) (manifest []byte, spec *ebpf.CollectionSpec, syms []elf.Symbol, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("reading object: malformed ELF file: %v", p)
		}
	}()
	var head [len(elf.ELFMAG)]byte
	if _, err := r.ReadAt(head[:], 0); err != nil || !IsObject(head[:]) {
		return nil, nil, nil, fmt.Errorf("%w: not an ELF file", ErrNotObject)
	}
	f, err := elf.NewFile(r)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("reading object: truncated or corrupt ELF file: %w", err)
	}
	if f.Class != elf.ELFCLASS64 || f.Data != elf.ELFDATA2LSB || f.Machine != elf.EM_BPF {
		return nil, nil, nil, fmt.Errorf("%w: an ELF file for %s (%s, %s), not a little-endian 64-bit BPF object", ErrNotObject, f.Machine, f.Class, f.Data)
	}
	sec := f.Section(ManifestSection)
	if sec == nil {
		return nil, nil, nil, fmt.Errorf("%w: a BPF object without a %s section", ErrNotObject, ManifestSection)
	}
	if manifest, err = sec.Data(); err != nil {
		return nil, nil, nil, fmt.Errorf("reading object: section %s: %w", ManifestSection, err)
	}
	if spec, err = ebpf.LoadCollectionSpecFromReader(r); err != nil {
		return nil, nil, nil, fmt.Errorf("reading object: %w", err)
	}
	if syms, err = f.Symbols(); err != nil {
		return nil, nil, nil, fmt.Errorf("reading object: symbols: %w", err)
	}
	return manifest, spec, syms, nil
}

// place is a byte offset in a section.
type place struct {
	sec elf.SectionIndex
	off uint64
}

// restore gives the collection back as codegen made it: the labels that
// loaders drop, functions in their order, codegen's sources, and the names
// of maps a loader names after their data sections.
func restore(spec *ebpf.CollectionSpec, env *envelope, syms []elf.Symbol) error {
	labels := map[place]string{}
	funcs := map[string]place{}
	for _, s := range syms {
		switch elf.ST_TYPE(s.Info) {
		case elf.STT_NOTYPE:
			if elf.ST_BIND(s.Info) == elf.STB_LOCAL && s.Name != "" {
				labels[place{s.Section, s.Value}] = s.Name
			}
		case elf.STT_FUNC:
			funcs[s.Name] = place{s.Section, s.Value}
		}
	}
	for name, p := range spec.Programs {
		insns, err := restoreProgram(p.Instructions, labels, funcs, env.Renamed)
		if err != nil {
			return fmt.Errorf("program %s: %w", name, err)
		}
		p.Instructions = insns
	}
	for sec, name := range env.Renamed {
		ms := spec.Maps[sec]
		if ms == nil {
			return fmt.Errorf("no data section %s for map %s", sec, name)
		}
		delete(spec.Maps, sec)
		ms.Name = name
		spec.Maps[name] = ms
	}
	for _, sec := range env.Empty {
		name := sec
		if n, ok := env.Renamed[sec]; ok {
			name = n
		}
		if ms := spec.Maps[name]; ms != nil {
			ms.Contents = nil
		}
	}
	return nil
}

// restoreProgram takes a program as cilium/ebpf's reader gives it: its
// entry, then the functions it references in the order the linker found
// them, each starting with its symbol. It returns the functions in the
// object's order, labelled as the object's local symbols say.
func restoreProgram(insns asm.Instructions, labels map[place]string, funcs map[string]place, renamed map[string]string) (asm.Instructions, error) {
	type part struct {
		name  string
		at    place
		insns asm.Instructions
	}
	var parts []*part
	for _, ins := range insns {
		if s := ins.Symbol(); s != "" || len(parts) == 0 {
			at, ok := funcs[s]
			if !ok {
				return nil, fmt.Errorf("function %q has no symbol", s)
			}
			parts = append(parts, &part{name: s, at: at})
		}
		last := parts[len(parts)-1]
		last.insns = append(last.insns, ins)
	}
	sort.SliceStable(parts[1:], func(i, j int) bool {
		a, b := parts[1+i].at, parts[1+j].at
		return a.sec < b.sec || a.sec == b.sec && a.off < b.off
	})
	// The label of each function's first instruction, which codegen's
	// references name.
	entry := map[string]string{}
	for _, p := range parts {
		if l := labels[p.at]; l != "" {
			entry[p.name] = l
		}
	}
	out := make(asm.Instructions, 0, len(insns))
	for _, p := range parts {
		raw := uint64(0)
		for i, ins := range p.insns {
			off := p.at.off + raw*asm.InstructionSize
			raw += uint64(ins.Width())
			sym := labels[place{p.at.sec, off}]
			if i == 0 && sym == "" && p != parts[0] {
				sym = p.name // a function without a label keeps its symbol
			}
			ins = ins.WithSymbol(sym)
			ref := ins.Reference()
			switch {
			case ins.IsKfuncCall() && ref != "":
				// The loader resolves the extern function the call is
				// relocated against; hawk's loader, the name codegen gave.
				ins = codegen.WithKfunc(ins.WithReference(""), ref)
			case ins.IsFunctionReference():
				if l := entry[ref]; l != "" {
					ins = ins.WithReference(l)
				}
			case ins.IsLoadFromMap():
				if name, ok := renamed[ref]; ok {
					ins = ins.WithReference(name)
				}
			case ins.OpCode.Class().IsJump() && ins.OpCode.JumpOp() != asm.Call && ins.OpCode.JumpOp() != asm.Exit:
				delta := int64(ins.Offset)
				if isLongJump(ins) {
					delta = ins.Constant
				}
				target := int64(off) + (delta+1)*asm.InstructionSize
				if target < 0 {
					break
				}
				l := labels[place{p.at.sec, uint64(target)}]
				if l == "" {
					break
				}
				if isLongJump(ins) {
					ins.Constant = -1
				} else {
					ins.Offset = -1
				}
				ins = ins.WithReference(l)
			}
			if line, ok := ins.Source().(*btf.Line); ok {
				ins = ins.WithSource(&codegen.Source{
					Pos:  lang.Pos{Filename: line.FileName(), Line: int(line.LineNumber()), Column: int(line.LineColumn())},
					Text: line.Line(),
				})
			}
			out = append(out, ins)
		}
	}
	return out, nil
}

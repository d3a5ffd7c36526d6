package object

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk/codegen"
)

// Write writes out as an ELF64 little-endian relocatable object for EM_BPF
// that cilium/ebpf's ebpf.LoadCollectionSpec and libbpf load, with its
// manifest in the hawk.manifest section. The package documentation
// describes the layout. out is not modified.
func Write(w io.Writer, out *codegen.Output) error {
	if out == nil || out.Spec == nil || out.Manifest == nil {
		return errors.New("writing object: no compiled script")
	}
	b := &builder{spec: out.Spec, man: out.Manifest, maps: map[string]*mapPlan{}}
	if err := b.build(w); err != nil {
		return fmt.Errorf("writing object: %w", err)
	}
	return nil
}

// mapPlan says where a map goes: into .maps, or into its own data section.
type mapPlan struct {
	name string
	spec *ebpf.MapSpec
	// data is the data section holding the map, "" for maps in .maps.
	data string
	// sym gives the index of the map's symbol, or of its data section's
	// section symbol.
	sym func() int
}

// function is a program's entry or one of the functions it references,
// placed in a section.
type function struct {
	name  string // symbol name
	prog  *ebpf.ProgramSpec
	insns asm.Instructions
	off   uint64 // byte offset in its section
}

// builder assembles the object.
type builder struct {
	spec *ebpf.CollectionSpec
	man  *codegen.Manifest
	maps map[string]*mapPlan
	elf  *elfFile
	btf  *btf.Builder
	// textSym gives the index of the .text section symbol.
	textSym func() int
	// entries maps the label of each function a program references to
	// the function, for calls and callback addresses.
	entries map[*ebpf.ProgramSpec]map[string]*function
	// kfuncs gives the index of each called kernel function's symbol.
	kfuncs map[string]func() int
}

// codeSection is a section of functions.
type codeSection struct {
	name   string
	index  int
	fns    []*function
	relocs []pendingReloc
	ext    extInfo
}

// build writes the object: code, maps and data, then what describes them.
func (b *builder) build(w io.Writer) error {
	// A script may have no programs: its BEGIN and END blocks may all run
	// in user space (codegen.UserBlock).
	progs := slices.Sorted(maps.Keys(b.spec.Programs))
	license, version, err := b.programAttributes(progs)
	if err != nil {
		return err
	}
	env := &envelope{Manifest: b.man, Renamed: map[string]string{}}
	if err := b.planMaps(progs, env); err != nil {
		return err
	}
	code, err := b.layout(progs)
	if err != nil {
		return err
	}
	if b.btf, err = btf.NewBuilder(nil, &btf.BuilderOptions{Deduplicate: true}); err != nil {
		return err
	}
	b.elf = newELF()
	strtab := b.elf.add(&section{name: ".strtab", typ: elf.SHT_STRTAB, align: 1})
	symtab := b.elf.add(&section{name: ".symtab", typ: elf.SHT_SYMTAB, link: uint32(strtab), align: 8, entsize: 24})
	for _, cs := range code {
		cs.index = b.elf.add(&section{name: cs.name, typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC | elf.SHF_EXECINSTR, align: 8})
		if cs.name == ".text" {
			b.textSym = b.elf.symbol(symbol{typ: elf.STT_SECTION, bind: elf.STB_LOCAL, shndx: cs.index})
		}
	}
	b.dataSections(env)
	if err := b.mapsSection(); err != nil {
		return err
	}
	if err := b.ksymsSection(progs); err != nil {
		return err
	}
	strs, funcIDs, err := b.code(code)
	if err != nil {
		return err
	}
	if license != "" {
		b.elf.add(&section{name: "license", typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC | elf.SHF_WRITE, data: append([]byte(license), 0), align: 1})
	}
	if version != 0 {
		b.elf.add(&section{name: "version", typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC | elf.SHF_WRITE, data: le.AppendUint32(nil, version), align: 4})
	}
	for _, cs := range code {
		if len(cs.relocs) == 0 {
			continue
		}
		var relocs []reloc
		for _, r := range cs.relocs {
			relocs = append(relocs, reloc{off: r.off, sym: r.sym(), typ: r.typ})
		}
		b.elf.add(relSection(cs.name, cs.index, relocs, symtab))
	}

	raw, offs, err := marshalBTF(b.btf, strs)
	if err != nil {
		return fmt.Errorf("BTF: %w", err)
	}
	b.elf.add(&section{name: ".BTF", typ: elf.SHT_PROGBITS, data: raw, align: 4})
	var infos []extInfo
	for _, cs := range code {
		if len(cs.ext.funcs) > 0 || len(cs.ext.lines) > 0 {
			infos = append(infos, cs.ext)
		}
	}
	if len(infos) > 0 {
		b.elf.add(&section{name: ".BTF.ext", typ: elf.SHT_PROGBITS, data: btfExt(infos, funcIDs, offs), align: 4})
	}
	manifest, err := encodeEnvelope(env)
	if err != nil {
		return err
	}
	b.elf.add(&section{name: ManifestSection, typ: elf.SHT_PROGBITS, data: manifest, align: 1})
	return b.elf.write(w, strtab, symtab)
}

// layout places the functions: each program's entry in the section its
// type names, in name order, and the functions it references in .text,
// program after program, in the order the program has them.
func (b *builder) layout(progs []string) ([]*codeSection, error) {
	kinds := map[string]string{}
	for _, p := range b.man.Programs {
		kinds[p.Name] = p.Kind.String()
	}
	sections := map[string]*codeSection{}
	text := &codeSection{name: ".text"}
	b.entries = map[*ebpf.ProgramSpec]map[string]*function{}
	names := map[string]bool{}
	for _, name := range progs {
		p := b.spec.Programs[name]
		if p.Name != name {
			return nil, fmt.Errorf("program %s is named %q: an object names programs by their symbols only", name, p.Name)
		}
		sec, err := sectionName(p, kinds[name])
		if err != nil {
			return nil, err
		}
		fns, err := splitFunctions(p)
		if err != nil {
			return nil, err
		}
		b.entries[p] = map[string]*function{}
		for i, fn := range fns {
			if names[fn.name] {
				return nil, fmt.Errorf("program %s: two functions are named %s", name, fn.name)
			}
			names[fn.name] = true
			if i > 0 {
				text.fns = append(text.fns, fn)
				b.entries[p][fn.insns[0].Symbol()] = fn
				continue
			}
			if sections[sec] == nil {
				sections[sec] = &codeSection{name: sec}
			}
			sections[sec].fns = append(sections[sec].fns, fn)
		}
	}
	var code []*codeSection
	for _, sec := range slices.Sorted(maps.Keys(sections)) {
		code = append(code, sections[sec])
	}
	if len(text.fns) > 0 {
		code = append(code, text)
	}
	for _, cs := range code {
		cs.ext.section = cs.name
		off := uint64(0)
		for _, fn := range cs.fns {
			fn.off = off
			off += fn.insns.Size()
		}
	}
	return code, nil
}

// dataSections writes the maps that are data sections, in name order.
func (b *builder) dataSections(env *envelope) {
	for _, name := range slices.Sorted(maps.Keys(b.maps)) {
		mp := b.maps[name]
		if mp.data == "" {
			continue
		}
		contents := make([]byte, mp.spec.ValueSize)
		if len(mp.spec.Contents) == 0 {
			env.Empty = append(env.Empty, mp.data)
		} else {
			contents = mp.spec.Contents[0].Value.([]byte)
		}
		flags := elf.SHF_ALLOC
		if !strings.HasPrefix(mp.data, ".rodata") {
			flags |= elf.SHF_WRITE
		}
		idx := b.elf.add(&section{name: mp.data, typ: elf.SHT_PROGBITS, flags: flags, data: contents, align: 8})
		mp.sym = b.elf.symbol(symbol{typ: elf.STT_SECTION, bind: elf.STB_LOCAL, shndx: idx})
		// A local object keeps the section when no instruction refers to
		// it, without making it a global variable.
		b.elf.symbol(symbol{name: mp.data, typ: elf.STT_OBJECT, bind: elf.STB_LOCAL, shndx: idx, size: uint64(len(contents))})
	}
}

// mapsSection declares the other maps in .maps, in name order, described
// by the BTF Datasec ".maps".
func (b *builder) mapsSection() error {
	ds := &btf.Datasec{Name: mapsSection}
	idx := 0
	for _, name := range slices.Sorted(maps.Keys(b.maps)) {
		mp := b.maps[name]
		if mp.data != "" {
			continue
		}
		if idx == 0 {
			idx = b.elf.add(&section{name: mapsSection, typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC | elf.SHF_WRITE, align: 8})
		}
		v, err := mapDefinition(name, mp.spec)
		if err != nil {
			return err
		}
		size := v.Type.(*btf.Struct).Size
		mp.sym = b.elf.symbol(symbol{name: name, typ: elf.STT_OBJECT, bind: elf.STB_GLOBAL, shndx: idx, value: uint64(ds.Size), size: uint64(size)})
		ds.Vars = append(ds.Vars, btf.VarSecinfo{Type: v, Offset: ds.Size, Size: size})
		ds.Size += size
	}
	if idx == 0 {
		return nil
	}
	b.elf.sections[idx].data = make([]byte, ds.Size)
	if _, err := b.btf.Add(ds); err != nil {
		return fmt.Errorf("BTF of the maps: %w", err)
	}
	return nil
}

// code encodes the functions of each code section, with their symbols,
// labels, relocations and BTF. It returns the strings .BTF.ext names and
// the BTF ids of the functions.
func (b *builder) code(code []*codeSection) ([]string, map[*btf.Func]btf.TypeID, error) {
	var strs []string
	ids := map[*btf.Func]btf.TypeID{}
	for _, cs := range code {
		var buf bytes.Buffer
		strs = append(strs, cs.name)
		for _, fn := range cs.fns {
			enc, err := b.encode(fn)
			if err != nil {
				return nil, nil, err
			}
			buf.Write(enc.code)
			cs.relocs = append(cs.relocs, enc.relocs...)
			for _, l := range enc.labels {
				b.elf.symbol(symbol{name: l.name, typ: elf.STT_NOTYPE, bind: elf.STB_LOCAL, shndx: cs.index, value: l.off})
			}
			for _, fi := range enc.funcs {
				id, err := b.btf.Add(fi.fn)
				if err != nil {
					return nil, nil, fmt.Errorf("program %s: BTF of function %s: %w", fn.prog.Name, fi.fn.Name, err)
				}
				ids[fi.fn] = id
			}
			cs.ext.funcs = append(cs.ext.funcs, enc.funcs...)
			cs.ext.lines = append(cs.ext.lines, enc.lines...)
			for _, l := range enc.lines {
				strs = append(strs, l.file, l.line)
			}
			// Entries are global, as libbpf wants programs; the functions
			// they reference static, as clang makes static functions.
			bind := elf.STB_GLOBAL
			if cs.name == ".text" {
				bind = elf.STB_LOCAL
			}
			b.elf.symbol(symbol{name: fn.name, typ: elf.STT_FUNC, bind: bind, shndx: cs.index, value: fn.off, size: fn.insns.Size()})
		}
		b.elf.sections[cs.index].data = buf.Bytes()
	}
	return strs, ids, nil
}

// programAttributes returns what all programs must share in an object:
// their license and kernel version.
func (b *builder) programAttributes(names []string) (license string, version uint32, err error) {
	for i, name := range names {
		p := b.spec.Programs[name]
		switch {
		case p == nil:
			return "", 0, fmt.Errorf("program %s: nil", name)
		case p.AttachTarget != nil:
			return "", 0, fmt.Errorf("program %s: attaching to a loaded program is not supported", name)
		case p.Ifindex != 0:
			return "", 0, fmt.Errorf("program %s: offloaded programs are not supported", name)
		case i == 0:
			license, version = p.License, p.KernelVersion
		case p.License != license:
			return "", 0, fmt.Errorf("programs %s and %s have different licenses (%q, %q)", names[0], name, license, p.License)
		case p.KernelVersion != version:
			return "", 0, fmt.Errorf("programs %s and %s have different kernel versions", names[0], name)
		}
	}
	return license, version, nil
}

// planMaps decides where each map goes. A map that instructions read
// directly (BPF_PSEUDO_MAP_VALUE) must be a data section, the only maps a
// loader lets programs address that way; so must a map named like one.
func (b *builder) planMaps(progs []string, env *envelope) error {
	byValue, byFD := map[string]bool{}, map[string]bool{}
	for _, name := range progs {
		for _, ins := range b.spec.Programs[name].Instructions {
			if !ins.IsLoadFromMap() || ins.Reference() == "" {
				continue
			}
			if b.spec.Maps[ins.Reference()] == nil {
				return fmt.Errorf("program %s: no map %s", name, ins.Reference())
			}
			if ins.Src == asm.PseudoMapValue {
				byValue[ins.Reference()] = true
			} else {
				byFD[ins.Reference()] = true
			}
		}
	}
	data := map[string]bool{}
	for _, name := range slices.Sorted(maps.Keys(b.spec.Maps)) {
		ms := b.spec.Maps[name]
		if ms == nil {
			return fmt.Errorf("map %s: nil", name)
		}
		if ms.Name != name {
			return fmt.Errorf("map %s is named %q: an object names maps by their symbols only", name, ms.Name)
		}
		if strings.ContainsFunc(name, func(r rune) bool { return !objectNameRune(r) }) {
			return fmt.Errorf("map %q: loaders keep only letters, digits, '.' and '_' of map names", name)
		}
		mp := &mapPlan{name: name, spec: ms}
		b.maps[name] = mp
		switch {
		case isDataSection(name):
			mp.data = name
		case byValue[name]:
			mp.data = ".data." + name
			if ms.Flags == unix.BPF_F_RDONLY_PROG {
				mp.data = ".rodata." + name
			}
			if b.spec.Maps[mp.data] != nil {
				return fmt.Errorf("map %s: its data section %s is the name of another map", name, mp.data)
			}
			env.Renamed[mp.data] = name
		default:
			continue
		}
		if data[mp.data] {
			return fmt.Errorf("map %s: two maps would be data section %s", name, mp.data)
		}
		data[mp.data] = true
		if byFD[name] {
			return fmt.Errorf("map %s: programs load it both as a map and as a value, which an object cannot express", name)
		}
		if err := checkDataMap(mp); err != nil {
			return err
		}
	}
	return nil
}

// checkDataMap checks that a loader reads a data section back as the map:
// a single-entry array with the flags the section's name implies, its
// contents in one value.
func checkDataMap(mp *mapPlan) error {
	ms := mp.spec
	wantFlags := uint32(0)
	if strings.HasPrefix(mp.data, ".rodata") {
		wantFlags = unix.BPF_F_RDONLY_PROG
	}
	switch {
	case ms.Type != ebpf.Array || ms.KeySize != 4 || ms.MaxEntries != 1:
		return fmt.Errorf("map %s: only a single-entry array with 4-byte keys can be a data section, it is %s", mp.name, ms)
	case ms.Flags != wantFlags:
		return fmt.Errorf("map %s: a data section named %s has flags %#x, the map %#x", mp.name, mp.data, wantFlags, ms.Flags)
	case ms.Key != nil || ms.Value != nil:
		return fmt.Errorf("map %s: BTF key and value types of data sections are not supported", mp.name)
	case ms.InnerMap != nil || ms.Extra != nil || ms.Pinning != 0 || ms.NumaNode != 0 || ms.MapExtra != 0 || len(ms.Tags) > 0:
		return fmt.Errorf("map %s: a data section cannot carry the map's pinning, NUMA node, tags or extra data", mp.name)
	case len(ms.Contents) > 1:
		return fmt.Errorf("map %s: a data section holds one value, the map has %d", mp.name, len(ms.Contents))
	case len(ms.Contents) == 1:
		kv := ms.Contents[0]
		if k := reflect.ValueOf(kv.Key); !k.IsValid() || !k.CanInt() && !k.CanUint() || !k.IsZero() {
			return fmt.Errorf("map %s: a data section holds the value of key 0, not %v", mp.name, kv.Key)
		}
		v, ok := kv.Value.([]byte)
		if !ok || len(v) != int(ms.ValueSize) {
			return fmt.Errorf("map %s: the contents of a data section must be %d bytes", mp.name, ms.ValueSize)
		}
	}
	return nil
}

// objectNameRune reports whether loaders keep r in a map's name.
func objectNameRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_'
}

// isDataSection reports whether cilium/ebpf's reader makes a section of
// this name a data section.
func isDataSection(name string) bool {
	return name == ".bss" || strings.HasPrefix(name, ".data") || strings.HasPrefix(name, ".rodata")
}

// splitFunctions cuts a program's instructions into its entry and the
// functions it calls or takes the address of, which follow it.
func splitFunctions(p *ebpf.ProgramSpec) ([]*function, error) {
	insns := p.Instructions
	if len(insns) == 0 {
		return nil, fmt.Errorf("program %s has no instructions", p.Name)
	}
	at := map[string]int{}
	for i, ins := range insns {
		if s := ins.Symbol(); s != "" {
			if _, dup := at[s]; dup {
				return nil, fmt.Errorf("program %s: label %s is placed twice", p.Name, s)
			}
			at[s] = i
		}
	}
	starts := []int{0}
	for i, ins := range insns {
		if !ins.IsFunctionReference() {
			continue
		}
		ref := ins.Reference()
		if ref == "" {
			return nil, fmt.Errorf("program %s: instruction %d calls a function by offset, not by name", p.Name, i)
		}
		start, ok := at[ref]
		if !ok {
			return nil, fmt.Errorf("program %s: instruction %d refers to function %s, which is not in the program", p.Name, i, ref)
		}
		if start == 0 {
			return nil, fmt.Errorf("program %s: instruction %d refers to the program's entry", p.Name, i)
		}
		starts = append(starts, start)
	}
	slices.Sort(starts)
	starts = slices.Compact(starts)
	fns := make([]*function, len(starts))
	for i, start := range starts {
		end := len(insns)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		name := p.Name
		if i > 0 {
			name = p.Name + "." + insns[start].Symbol()
		}
		fns[i] = &function{name: name, prog: p, insns: slices.Clone(insns[start:end])}
	}
	return fns, nil
}

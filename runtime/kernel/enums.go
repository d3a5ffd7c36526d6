package kernel

import (
	"github.com/cilium/ebpf/btf"

	"github.com/hawktrace/hawk/lang"
)

// enumConst is one enum constant of the kernel: its value and its enum.
type enumConst struct {
	value uint64
	enum  *btf.Enum
}

// EnumConstant finds an enum constant of the kernel by name: its value
// and its enum's enumerators (the first enum of the kernel's BTF that has
// a constant of that name).
func (e *Env) EnumConstant(name string) (uint64, *lang.EnumDef, bool) {
	spec, err := e.btf()
	if err != nil {
		return 0, nil, false
	}
	e.mu.Lock()
	if e.consts == nil {
		e.consts = map[string]enumConst{}
		for t, err := range spec.All() {
			if err != nil {
				break
			}
			if en, ok := t.(*btf.Enum); ok {
				for _, v := range en.Values {
					if _, seen := e.consts[v.Name]; !seen {
						e.consts[v.Name] = enumConst{value: enumBits(en, v.Value), enum: en}
					}
				}
			}
		}
	}
	k, ok := e.consts[name]
	e.mu.Unlock()
	if !ok {
		return 0, nil, false
	}
	return k.value, e.enumDef(k.enum), true
}

// enumDef returns the enumerators of a BTF enum, made once per enum.
func (e *Env) enumDef(en *btf.Enum) *lang.EnumDef {
	e.defsMu.Lock()
	defer e.defsMu.Unlock()
	if def, ok := e.defs[en]; ok {
		return def
	}
	def := &lang.EnumDef{Name: en.Name, Values: make([]lang.Enumerator, len(en.Values))}
	for i, v := range en.Values {
		def.Values[i] = lang.Enumerator{Name: v.Name, Value: enumBits(en, v.Value)}
	}
	if e.defs == nil {
		e.defs = map[*btf.Enum]*lang.EnumDef{}
	}
	e.defs[en] = def
	return def
}

// enumBits is an enum value as 64 bits: a signed enum's negative values
// sign-extended from the enum's size.
func enumBits(en *btf.Enum, v uint64) uint64 {
	if en.Signed && en.Size > 0 && en.Size < 8 {
		shift := 64 - 8*en.Size
		return uint64(int64(v<<shift) >> shift)
	}
	return v
}

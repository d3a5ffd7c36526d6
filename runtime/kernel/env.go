// Package kernel tells the compiler what the running kernel describes
// about itself: tracepoint formats (from tracefs) and types (from BTF).
// Env implements lang.Env.
package kernel

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/cilium/ebpf/btf"

	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/tracefs"
)

// Env answers the checker's questions about the running kernel. Its zero
// value is ready to use; BTF is loaded on first need.
type Env struct {
	tracefs.Formats

	// BTF holds the kernel's and its modules' BTF, each read at most once,
	// shared with the loader (runtime.Options.BTF, which hands it to
	// cilium/ebpf for attach targets): nil for the process's (SharedBTF).
	BTF *btf.Cache

	// Pid is the process -p traces, 0 for none: a uprobe or usdt probe
	// whose binary is * or empty names its binaries, and paths resolve in
	// its mount namespace (Binaries).
	Pid int
	// Unsafe (--unsafe) lets a uprobe attach at a symbol of size 0, or
	// at an address of a file that is not ELF (a flat binary).
	Unsafe bool

	once    sync.Once
	spec    *btf.Spec
	specErr error
	mu      sync.Mutex
	fields  map[uint32][]lang.Field
	// consts holds the kernel's enum constants by name, defs each enum's
	// enumerators, made once so that its types share them (enums.go).
	consts map[string]enumConst
	defsMu sync.Mutex // not mu: StructFields converts types holding mu
	defs   map[*btf.Enum]*lang.EnumDef

	btfMu   sync.Mutex
	indexes map[*btf.Spec]*btfIndex

	kfuncMu sync.Mutex
	kfuncs  map[kfuncKey]error // KfuncAllowed's answers
}

// SharedBTF is the process's cache of kernel and module BTF: what an Env
// or a load with no cache of its own reads, so that the kernel's BTF is
// parsed at most once per process, however many scripts compile and load.
// It keeps what it read, a module's BTF included, until the process ends.
func SharedBTF() *btf.Cache { return sharedBTF() }

var sharedBTF = sync.OnceValue(btf.NewCache)

// BTFCache returns c, or the process's cache (SharedBTF) when c is nil.
func BTFCache(c *btf.Cache) *btf.Cache {
	if c == nil {
		return SharedBTF()
	}
	return c
}

func (e *Env) btf() (*btf.Spec, error) {
	e.once.Do(func() {
		e.spec, e.specErr = BTFCache(e.BTF).Kernel()
		if e.specErr != nil {
			e.specErr = fmt.Errorf("reading the kernel's BTF: %w", e.specErr)
		}
	})
	return e.spec, e.specErr
}

// KernelType resolves a type name of the kernel: "struct task_struct",
// "union bpf_attr", "enum skb_drop_reason", a typedef or a base type.
func (e *Env) KernelType(name string) (*lang.Type, error) {
	spec, err := e.btf()
	if err != nil {
		return nil, err
	}
	kind, base, _ := strings.Cut(name, " ")
	var t btf.Type
	switch kind {
	case "struct":
		var s *btf.Struct
		err = spec.TypeByName(base, &s)
		t = s
	case "union":
		var u *btf.Union
		err = spec.TypeByName(base, &u)
		t = u
	case "enum":
		var en *btf.Enum
		err = spec.TypeByName(base, &en)
		t = en
	default:
		t, err = spec.AnyTypeByName(name)
	}
	if errors.Is(err, btf.ErrNotFound) {
		return nil, fmt.Errorf("the kernel has no type %s", name)
	}
	if err != nil {
		return nil, err
	}
	return e.convert(spec, t, lang.SpaceKernel), nil
}

// convert turns a BTF type into a hawk type. Structs are converted without
// their members, which StructFields lists on demand.
func (e *Env) convert(spec *btf.Spec, t btf.Type, space lang.AddrSpace) *lang.Type {
	for {
		switch tt := t.(type) {
		case *btf.Typedef:
			t = tt.Type
			continue
		case *btf.Const:
			t = tt.Type
			continue
		case *btf.Volatile:
			t = tt.Type
			continue
		case *btf.Restrict:
			t = tt.Type
			continue
		case *btf.TypeTag:
			if tt.Value == "user" {
				space = lang.SpaceUser
			}
			t = tt.Type
			continue
		}
		break
	}
	switch t := t.(type) {
	case *btf.Int:
		if t.Encoding&btf.Bool != 0 {
			return lang.Bool
		}
		return lang.IntType(int(t.Size), t.Encoding&btf.Signed != 0 || t.Encoding&btf.Char != 0 && t.Size == 1)
	case *btf.Enum:
		if t.Name == "" {
			// An anonymous enum's values are plain integers, as in
			// bpftrace: no name says what to print them as.
			return lang.IntType(int(t.Size), t.Signed)
		}
		return lang.EnumType(e.enumDef(t), int(t.Size))
	case *btf.Pointer:
		elem := e.convert(spec, t.Target, space)
		return lang.PointerType(elem, space)
	case *btf.Struct:
		return e.aggregate(spec, t, t.Name, t.Size, false)
	case *btf.Union:
		return e.aggregate(spec, t, t.Name, t.Size, true)
	case *btf.Array:
		elem := e.convert(spec, t.Type, space)
		if elem.Kind == lang.KindInt && elem.Size == 1 {
			return lang.StringType(int(t.Nelems)) // char arrays read as strings
		}
		return lang.ArrayType(elem, int(t.Nelems))
	}
	return lang.Void
}

func (e *Env) aggregate(spec *btf.Spec, t btf.Type, name string, size uint32, union bool) *lang.Type {
	id, _ := spec.TypeID(t)
	return &lang.Type{Kind: lang.KindStruct, Name: name, Size: int(size), Union: union, ID: uint32(id)}
}

// StructFields lists the members of a kernel struct or union.
func (e *Env) StructFields(t *lang.Type) ([]lang.Field, error) {
	spec, err := e.btf()
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if fields, ok := e.fields[t.ID]; ok {
		return fields, nil
	}
	bt, err := spec.TypeByID(btf.TypeID(t.ID))
	if err != nil {
		return nil, err
	}
	var members []btf.Member
	switch bt := bt.(type) {
	case *btf.Struct:
		members = bt.Members
	case *btf.Union:
		members = bt.Members
	default:
		return nil, fmt.Errorf("%s is not a struct", t)
	}
	fields := make([]lang.Field, 0, len(members))
	for _, m := range members {
		f := lang.Field{Name: m.Name, Type: e.convert(spec, m.Type, t.Space), Offset: int(m.Offset) / 8}
		if m.BitfieldSize > 0 {
			f.BitOffset, f.BitSize = int(m.Offset)%8, int(m.BitfieldSize)
		}
		fields = append(fields, f)
	}
	if e.fields == nil {
		e.fields = map[uint32][]lang.Field{}
	}
	e.fields[t.ID] = fields
	return fields, nil
}

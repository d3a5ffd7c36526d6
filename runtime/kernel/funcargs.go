package kernel

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/cilium/ebpf/btf"

	"github.com/hawktrace/hawk/lang"
)

// rawTracepointFuncs are the prefixes of the functions the kernel defines
// for each tracepoint whose prototypes name the arguments (the typedef
// btf_trace_NAME leaves them unnamed): __probestub_NAME since Linux 6.5,
// __traceiter_NAME since 5.10. Their first parameter is void *__data.
var rawTracepointFuncs = []string{"__probestub_", "__traceiter_"}

// RawTracepointArgs describes the arguments of raw tracepoint name
// ("sched_switch", or "module:name" for a module's) from the kernel's BTF,
// as a record laid out like the context of a raw tracepoint or tp_btf
// program: an array of u64, argument i at Offset 8*i (an argument of more
// than 8 bytes, a struct passed by value, takes as many slots as it
// needs). Size is the type's size, CType its C spelling ("struct
// task_struct *", "bool", "unsigned int") and Type its hawk type, nil when
// hawk cannot represent it (a struct of more than 8 bytes passed by
// value). Arguments are named as the kernel's source names them, or
// argN on kernels before 5.10.
//
// The tracepoint must have a typedef btf_trace_NAME (Linux 5.5+), which is
// what the kernel checks when a tp_btf program attaches.
func (e *Env) RawTracepointArgs(name string) (*lang.TracepointFormat, error) {
	mod, tp := splitModule(name)
	spec, err := e.specOf(mod)
	if err != nil {
		return nil, err
	}
	var td *btf.Typedef
	if err := spec.TypeByName("btf_trace_"+tp, &td); err != nil {
		if errors.Is(err, btf.ErrNotFound) {
			return nil, fmt.Errorf("the kernel has no raw tracepoint %s", name)
		}
		return nil, fmt.Errorf("raw tracepoint %s: %w", name, err)
	}
	proto := funcProto(td.Type)
	if proto == nil || len(proto.Params) == 0 {
		return nil, fmt.Errorf("raw tracepoint %s: btf_trace_%s is not a pointer to a function prototype", name, tp)
	}
	for _, prefix := range rawTracepointFuncs {
		if fn := findFunc(spec, prefix+tp); fn != nil {
			if p, ok := fn.Type.(*btf.FuncProto); ok && len(p.Params) == len(proto.Params) {
				proto = p // the same prototype, with names
				break
			}
		}
	}
	tf := &lang.TracepointFormat{Category: "rawtracepoint", Name: tp}
	tf.Fields, _ = e.argFields(spec, proto.Params[1:])
	return tf, nil
}

// KernelFuncArgs describes the arguments of kernel function name
// ("vfs_read", or "module:func" to look in that module's BTF) from its BTF
// prototype, for fentry and fexit probes: laid out as in
// RawTracepointArgs, followed by Retval (named retval, in the slot after
// the arguments) unless the function returns void.
func (e *Env) KernelFuncArgs(name string) (*lang.TracepointFormat, error) {
	mod, fn := splitModule(name)
	spec, err := e.specOf(mod)
	if err != nil {
		return nil, err
	}
	f := findFunc(spec, fn)
	if f == nil {
		return nil, fmt.Errorf("the kernel's BTF has no function %s", name)
	}
	proto, ok := f.Type.(*btf.FuncProto)
	if !ok {
		return nil, fmt.Errorf("function %s has no prototype in the kernel's BTF", name)
	}
	if len(proto.Params) > maxFuncArgs {
		return nil, fmt.Errorf("function %s takes %d arguments; fentry and fexit can reach %d at most", name, len(proto.Params), maxFuncArgs)
	}
	tf := &lang.TracepointFormat{Category: "fentry", Name: fn}
	var slots int
	tf.Fields, slots = e.argFields(spec, proto.Params)
	if _, void := proto.Return.(*btf.Void); !void && proto.Return != nil {
		ret := e.argField(spec, "retval", proto.Return)
		ret.Offset = 8 * slots
		tf.Retval = &ret
	}
	return tf, nil
}

// splitModule splits "module:name" in two; a name without a module is in
// vmlinux.
func splitModule(name string) (module, rest string) {
	if mod, rest, ok := strings.Cut(name, ":"); ok {
		return mod, rest
	}
	return Vmlinux, name
}

// findFunc returns the BTF function called name, the first one when static
// functions of several files share it, or nil.
func findFunc(spec *btf.Spec, name string) *btf.Func {
	types, _ := spec.AnyTypesByName(name)
	for _, t := range types {
		if fn, ok := t.(*btf.Func); ok {
			return fn
		}
	}
	return nil
}

// funcProto returns the function prototype t is, or points to, through
// typedefs; nil if none.
func funcProto(t btf.Type) *btf.FuncProto {
	for {
		switch tt := t.(type) {
		case *btf.Typedef:
			t = tt.Type
		case *btf.Pointer:
			t = tt.Target
		case *btf.FuncProto:
			return tt
		default:
			return nil
		}
	}
}

// argFields lays out params in a context of u64 slots and returns the
// fields and the slots they take. A trailing void parameter (varargs)
// ends the list.
func (e *Env) argFields(spec *btf.Spec, params []btf.FuncParam) ([]lang.TracepointField, int) {
	fields := make([]lang.TracepointField, 0, len(params))
	slots := 0
	for i, p := range params {
		if _, void := p.Type.(*btf.Void); void {
			break
		}
		name := p.Name
		if name == "" {
			name = "arg" + strconv.Itoa(i)
		}
		f := e.argField(spec, name, p.Type)
		f.Offset = 8 * slots
		fields = append(fields, f)
		slots += max(1, (f.Size+7)/8)
	}
	return fields, slots
}

// argField describes one argument or return value of type t.
func (e *Env) argField(spec *btf.Spec, name string, t btf.Type) lang.TracepointField {
	f := lang.TracepointField{Name: name, CType: CDecl(t)}
	switch u := btf.UnderlyingType(t).(type) {
	case *btf.Array:
		// An array argument is passed as a pointer to its first element.
		f.Size = 8
		f.Type = lang.PointerType(e.convert(spec, u.Type, lang.SpaceKernel), lang.SpaceKernel)
		return f
	case *btf.FuncProto:
		f.Size = 8
		f.Type = lang.PointerType(lang.Void, lang.SpaceKernel)
		return f
	case *btf.Float:
		f.Size = int(u.Size) // in a register hawk does not read
		return f
	}
	size, err := btf.Sizeof(t)
	if err != nil {
		return f
	}
	f.Size = size
	if f.Size > 8 {
		return f // a struct by value: hawk has no type for it
	}
	if typ := e.convert(spec, t, lang.SpaceKernel); typ.Kind != lang.KindVoid {
		f.Type = typ
	}
	return f
}

// CDecl spells BTF type t as a C declaration with no name, as libbpf's
// btf_dump__emit_type_decl does and bpftrace -lv prints: "struct
// task_struct *", "const char *", "char **", "int (*)(void *)",
// "unsigned int". Anonymous structs, unions and enums read "struct {...}";
// type tags (__user) are left out.
func CDecl(t btf.Type) string {
	var b strings.Builder
	emitChain(&b, declStack(t), "")
	return b.String()
}

// declStack pushes t and the types it is made of up to the first one that
// names itself (a base type, struct, enum or typedef): the outermost type
// first.
func declStack(t btf.Type) []btf.Type {
	var stack []btf.Type
	for {
		if tt, ok := t.(*btf.TypeTag); ok {
			t = tt.Type
			continue
		}
		stack = append(stack, t)
		switch tt := t.(type) {
		case *btf.Pointer:
			t = tt.Target
		case *btf.Const:
			t = tt.Type
		case *btf.Volatile:
			t = tt.Type
		case *btf.Restrict:
			t = tt.Type
		case *btf.FuncProto:
			t = tt.Return
		case *btf.Array:
			t = tt.Type
		default:
			return stack
		}
		if t == nil {
			t = (*btf.Void)(nil)
		}
	}
}

// emitMods pops the qualifiers at the top of stack, which C writes before
// the base type they qualify.
func emitMods(b *strings.Builder, stack *[]btf.Type) {
	for len(*stack) > 0 {
		switch (*stack)[len(*stack)-1].(type) {
		case *btf.Const:
			b.WriteString("const ")
		case *btf.Volatile:
			b.WriteString("volatile ")
		case *btf.Restrict:
			b.WriteString("restrict ")
		default:
			return
		}
		*stack = (*stack)[:len(*stack)-1]
	}
}

func emitName(b *strings.Builder, name string, lastWasPtr bool) {
	if name != "" && !lastWasPtr {
		b.WriteByte(' ')
	}
	b.WriteString(name)
}

// emitChain writes the declaration of the types on stack, innermost (top)
// first, following libbpf's btf_dump_emit_type_chain.
func emitChain(b *strings.Builder, stack []btf.Type, name string) {
	lastWasPtr := true
	for len(stack) > 0 {
		t := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch t := t.(type) {
		case *btf.Void:
			emitMods(b, &stack)
			b.WriteString("void")
		case *btf.Int:
			emitMods(b, &stack)
			b.WriteString(t.Name)
		case *btf.Float:
			emitMods(b, &stack)
			b.WriteString(t.Name)
		case *btf.Struct:
			emitMods(b, &stack)
			b.WriteString(tagged("struct", t.Name))
		case *btf.Union:
			emitMods(b, &stack)
			b.WriteString(tagged("union", t.Name))
		case *btf.Enum:
			emitMods(b, &stack)
			b.WriteString(tagged("enum", t.Name))
		case *btf.Fwd:
			emitMods(b, &stack)
			kind := "struct"
			if t.Kind == btf.FwdUnion {
				kind = "union"
			}
			b.WriteString(tagged(kind, t.Name))
		case *btf.Typedef:
			emitMods(b, &stack)
			b.WriteString(t.Name)
		case *btf.Pointer:
			if lastWasPtr {
				b.WriteString("*")
			} else {
				b.WriteString(" *")
			}
		case *btf.Const:
			b.WriteString(" const")
		case *btf.Volatile:
			b.WriteString(" volatile")
		case *btf.Restrict:
			b.WriteString(" restrict")
		case *btf.Array:
			// Qualifiers of an array are meaningless (a GCC quirk).
			for len(stack) > 0 && isQualifier(stack[len(stack)-1]) {
				stack = stack[:len(stack)-1]
			}
			if len(stack) == 0 {
				emitName(b, name, lastWasPtr)
				fmt.Fprintf(b, "[%d]", t.Nelems)
				return
			}
			_, multidim := stack[len(stack)-1].(*btf.Array)
			if name != "" && !lastWasPtr {
				b.WriteByte(' ')
			}
			if !multidim {
				b.WriteByte('(')
			}
			emitChain(b, stack, name)
			if !multidim {
				b.WriteByte(')')
			}
			fmt.Fprintf(b, "[%d]", t.Nelems)
			return
		case *btf.FuncProto:
			emitMods(b, &stack)
			if len(stack) > 0 {
				b.WriteString(" (")
				emitChain(b, stack, name)
				b.WriteString(")")
			} else {
				emitName(b, name, lastWasPtr)
			}
			b.WriteString("(")
			params := t.Params
			if len(params) == 1 && isVoid(params[0].Type) {
				params = nil
			}
			for i, p := range params {
				if i > 0 {
					b.WriteString(", ")
				}
				if i == len(params)-1 && isVoid(p.Type) {
					b.WriteString("...")
					break
				}
				emitChain(b, declStack(p.Type), p.Name)
			}
			b.WriteString(")")
			return
		default:
			b.WriteString("void")
		}
		_, lastWasPtr = t.(*btf.Pointer)
	}
	emitName(b, name, lastWasPtr)
}

func tagged(kind, name string) string {
	if name == "" {
		return kind + " {...}"
	}
	return kind + " " + name
}

func isQualifier(t btf.Type) bool {
	switch t.(type) {
	case *btf.Const, *btf.Volatile, *btf.Restrict:
		return true
	}
	return false
}

func isVoid(t btf.Type) bool {
	_, ok := t.(*btf.Void)
	return ok || t == nil
}

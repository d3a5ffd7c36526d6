package lang

// A struct the script defines takes the place of the kernel's of the same
// name everywhere: `struct task_struct { int x; }` makes curtask.x read
// the script's x, as in bpftrace, whose C parser sees the script's
// definition first.

// useScriptStructs makes the checker's view of the kernel's types use the
// script's structs in place of the kernel's of the same names.
func (c *checker) useScriptStructs() {
	if c.env == nil || len(c.structs) == 0 {
		return
	}
	if _, done := c.env.(*scriptEnv); done {
		return
	}
	c.env = &scriptEnv{Env: c.env, structs: c.structs}
}

// scriptEnv is an Env whose kernel types are the script's structs where
// it defines them.
type scriptEnv struct {
	Env
	structs map[string]*Type
}

// KernelType resolves name, the script's definition first.
func (e *scriptEnv) KernelType(name string) (*Type, error) {
	if t := e.structs[name]; t != nil {
		return t, nil
	}
	t, err := e.Env.KernelType(name)
	if err != nil {
		return nil, err
	}
	return e.local(t, 0), nil
}

// StructFields lists a kernel struct's members, whose types are the
// script's where it defines them.
func (e *scriptEnv) StructFields(t *Type) ([]Field, error) {
	fields, err := e.Env.StructFields(t)
	if err != nil {
		return nil, err
	}
	var out []Field
	for i, f := range fields {
		if lt := e.local(f.Type, 0); lt != f.Type {
			if out == nil {
				out = append([]Field(nil), fields...)
			}
			out[i].Type = lt
		}
	}
	if out == nil {
		return fields, nil
	}
	return out, nil
}

// local replaces the kernel structs in t that the script defines.
func (e *scriptEnv) local(t *Type, depth int) *Type {
	if t == nil || depth > 8 {
		return t
	}
	switch t.Kind {
	case KindStruct:
		if t.ID != 0 {
			if s := e.structs[structKey(t.Union, t.Name)]; s != nil {
				return s
			}
		}
	case KindPointer, KindArray:
		if elem := e.local(t.Elem, depth+1); elem != t.Elem {
			n := *t
			n.Elem = elem
			return &n
		}
	}
	return t
}

// memSpace is whose memory the struct e is in, or that e points to: user
// memory when e is, or is a member or element of, what a user pointer
// points to.
func (c *checker) memSpace(e Expr) AddrSpace {
	for depth := 0; depth < 64; depth++ {
		if t := c.info.TypeOf(e); t.Kind == KindPointer {
			return t.Space
		}
		switch x := e.(type) {
		case *FieldExpr:
			e = x.X
		case *IndexExpr:
			e = x.X
		default:
			return SpaceKernel
		}
	}
	return SpaceKernel
}

// userPointers returns t with its pointers, and those of its arrays,
// pointing into user memory.
func userPointers(t *Type, depth int) *Type {
	if depth > 8 {
		return t
	}
	switch t.Kind {
	case KindPointer:
		if t.Space != SpaceUser {
			return PointerType(t.Elem, SpaceUser)
		}
	case KindArray:
		if elem := userPointers(t.Elem, depth+1); elem != t.Elem {
			return ArrayType(elem, t.Len)
		}
	}
	return t
}

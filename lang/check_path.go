package lang

// pathKinds are the probe kinds whose programs the kernel may let call
// bpf_d_path: iterators always, fentry and fexit for the functions of
// its btf_allowlist_d_path (it says which when it loads the program).
var pathKinds = []ProbeKind{ProbeIter, ProbeFentry, ProbeFexit}

// checkPath checks path(p [, size]): the path of a struct path (or a
// pointer to one) as the kernel's d_path writes it, at most size bytes
// (max_strlen unless told). bpf_d_path takes a pointer the verifier
// trusts, so p must lie in a pointer argument (args), a context field
// (ctx) or curtask, e.g. path(args.file->f_path) (btfChain).
func (c *checker) checkPath(call *Call) *Type {
	arg := call.Args[0]
	t := c.expr(arg)
	size := c.settings.MaxStrlen
	if len(call.Args) == 2 {
		n, ok := c.constArg(call, 1, "size", 1, int64(c.settings.MaxStrlen))
		if !ok {
			return Invalid
		}
		size = int(n)
	}
	if t.IsInvalid() {
		return Invalid
	}
	target := t
	if t.Kind == KindPointer {
		target = t.Elem
	}
	if target.Kind != KindStruct || target.Name != "path" {
		c.errorf(arg, "path() takes a struct path or a pointer to one, not %s", t)
		return Invalid
	}
	if !c.probeKindsIn(pathKinds) {
		c.errorf(call, "path() is not available in %s probes: the kernel lets only iter, fentry and fexit programs call bpf_d_path", c.probeKindNames(pathKinds)).Hint =
			"read it in an iterator (iter:task_file { path(ctx.file->f_path) }) or, where fentry works, in fentry of a function the kernel allows"
		return Invalid
	}
	if !c.btfChain(arg) {
		c.errorf(arg, "path() takes a path in an object the verifier trusts: a member of a pointer argument or context field (args.file->f_path, ctx.file->f_path) or of curtask")
		return Invalid
	}
	return StringType(size)
}

// btfChain reports whether e, a pointer or a struct member, lies in an
// object the verifier trusts: a pointer argument or context field
// (args.f, ctx.f), curtask, or a member embedded in one, reached by
// adding offsets (and &). A pointer read from such an object is one it
// no longer trusts, and bpf_d_path refuses it.
func (c *checker) btfChain(e Expr) bool {
	ptr := c.info.TypeOf(e).Kind == KindPointer
	switch e := e.(type) {
	case *Ident:
		return ptr && e.Name == "curtask"
	case *UnaryExpr:
		return ptr && e.Op == OpAddr && c.btfChain(e.X)
	case *FieldExpr:
		if id, ok := e.X.(*Ident); ok && (id.Name == "args" || id.Name == "ctx") {
			return ptr // a pointer the program's context holds
		}
		if _, ok := c.info.Fields[e]; !ok || ptr {
			return false
		}
		return c.btfChain(e.X)
	}
	return false
}

package lang

import "fmt"

// pointFacts is what the checker learns from the attach points of the
// probe it checks, learnt once per probe: a probe may have thousands of
// attach points (a wildcard expands to them) and use builtins thousands
// of times, and asking every point at every use made that quadratic.
type pointFacts struct {
	// kinds are the kinds of the probe's attach points, each once, in
	// the order of the first point of each.
	kinds []ProbeKind
	// builtins holds the types of the builtins that depend on every
	// attach point (argN, retval), by name, and what is wrong with each.
	builtins map[string]pointResult
	// nameSizes holds the sizes of the strings `probe` and `func` need.
	nameSizes map[Builtin]int
	// binary is the one binary of the probe's uprobes, when binaryOK;
	// binaryKnown says whether it was looked for.
	binary                string
	binaryKnown, binaryOK bool
	// retHint and usesArgs, once known (set), say whether every point is
	// a tracepoint with a field ret, and whether the probe uses args or
	// retval; usesArgN whether it uses args or argN.
	retHint, usesArgs, usesArgN *bool
}

// pointResult is the type of a builtin in a probe, and the error each use
// of it gets ("" for none).
type pointResult struct {
	t   *Type
	msg string
}

// learnPoints starts learning about the attach points of p, the probe
// to check next.
func (c *checker) learnPoints(p *Probe) {
	f := &pointFacts{builtins: map[string]pointResult{}, nameSizes: map[Builtin]int{}}
	c.probe, c.points = p, f
	c.work.step(len(p.Points))
	for _, ap := range p.Points {
		seen := false
		for _, k := range f.kinds {
			seen = seen || k == ap.Kind
		}
		if !seen {
			f.kinds = append(f.kinds, ap.Kind)
		}
	}
}

// hasKind reports whether kinds holds k.
func hasKind(kinds []ProbeKind, k ProbeKind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// probeKindsIn reports whether every attach point of the current probe is
// one of kinds; attach points already reported as wrong pass, so that they
// cause no follow-on error. Code that then reads the attach points' parts
// must first ask pointsKnown: a point that passed for being wrong has none
// of the parts its kind would promise.
func (c *checker) probeKindsIn(kinds []ProbeKind) bool {
	for _, k := range c.points.kinds {
		if k != ProbeInvalid && !hasKind(kinds, k) {
			return false
		}
	}
	return true
}

// pointsKnown reports whether every attach point of the current probe has
// a kind; one without (an unknown provider, malformed parts) is reported
// already, and what depends on the attach points is then unknown too.
func (c *checker) pointsKnown() bool {
	return !hasKind(c.points.kinds, ProbeInvalid)
}

// probeKindNames names the kind of the current probe that lacks a builtin.
func (c *checker) probeKindNames(have []ProbeKind) string {
	for _, k := range c.points.kinds {
		if !hasKind(have, k) {
			return k.String()
		}
	}
	return "these"
}

// probeSpace is where pointers of the current probe point by default:
// user memory in uprobes, kernel memory otherwise.
func (c *checker) probeSpace() AddrSpace {
	if c.probe == nil || len(c.points.kinds) == 0 {
		return SpaceKernel
	}
	for _, k := range c.points.kinds {
		if !k.IsUserProbe() {
			return SpaceKernel
		}
	}
	return SpaceUser
}

// pointBuiltin returns the type of the builtin id, which depends on every
// attach point of the probe: compute finds it, once per probe, and what
// is wrong is reported at each use.
func (c *checker) pointBuiltin(id *Ident, compute func(name string) pointResult) *Type {
	r, ok := c.points.builtins[id.Name]
	if !ok {
		r = compute(id.Name)
		c.points.builtins[id.Name] = r
	}
	if r.msg != "" {
		c.errorf(id, "%s", r.msg)
	}
	return r.t
}

// argType is argN's type: a 64-bit integer, signed for usdt arguments
// that are signed at every site. A usdt probe must have argument N.
func (c *checker) argType(name string) pointResult {
	n, _ := ArgIndex(name)
	signed, usdt := true, false
	c.work.step(len(c.probe.Points))
	for _, ap := range c.probe.Points {
		if f := c.info.Tracepoints[ap]; ap.Kind == ProbeRawtracepoint && f != nil && n >= len(f.Fields) {
			return pointResult{Invalid, fmt.Sprintf("raw tracepoint %s has %d arguments: no %s", f.Name, len(f.Fields), name)}
		}
		if ap.Kind != ProbeUsdt {
			signed = false
			continue
		}
		usdt = true
		for _, site := range c.info.USDT[ap] {
			if site.ArgsErr != "" {
				return pointResult{Invalid, fmt.Sprintf("usdt probe %s:%s: %s", site.Provider, site.Name, site.ArgsErr)}
			}
			if n >= len(site.Args) {
				return pointResult{Invalid, fmt.Sprintf("usdt probe %s:%s has %d arguments: no %s", site.Provider, site.Name, len(site.Args), name)}
			}
			signed = signed && site.Args[n].Signed
		}
	}
	if usdt && signed {
		return pointResult{t: Int64}
	}
	return pointResult{t: Uint64}
}

// retvalType is retval's type: the function's return type for fexit,
// from BTF, a 64-bit integer for return probes.
func (c *checker) retvalType(string) pointResult {
	var typ *Type
	c.work.step(len(c.probe.Points))
	for _, ap := range c.probe.Points {
		t := Uint64
		if ap.Kind == ProbeFexit {
			f := c.info.Tracepoints[ap]
			if f == nil {
				return pointResult{t: Invalid} // reported
			}
			if f.Retval == nil {
				return pointResult{Invalid, fmt.Sprintf("%s returns nothing: it has no retval", FuncName(ap))}
			}
			t = f.Retval.Type
			if t == nil {
				return pointResult{Invalid, fmt.Sprintf("%s returns %s, which hawk cannot represent", FuncName(ap), f.Retval.CType)}
			}
		}
		if typ != nil && !typ.Equal(t) {
			return pointResult{Invalid, fmt.Sprintf("retval is %s in one attach point of this probe and %s in another", typ, t)}
		}
		typ = t
	}
	return pointResult{t: typ}
}

// nameType is the type of `probe` or `func` (b): a string as long as the
// longest name an attach point of the probe gives it.
func (c *checker) nameType(b Builtin) *Type {
	size, ok := c.points.nameSizes[b]
	if !ok {
		size = 1
		c.work.step(len(c.probe.Points))
		for _, ap := range c.probe.Points {
			name := ProbeName(ap)
			if b == BuiltinFunc {
				name = FuncName(ap)
			}
			size = max(size, len(name)+1)
		}
		c.points.nameSizes[b] = size
	}
	return StringType(size)
}

// uprobeBinary returns the binary every attach point of the probe, a
// uprobe each, traces; ok is false when they trace several.
func (c *checker) uprobeBinary() (string, bool) {
	f := c.points
	if !f.binaryKnown {
		f.binaryKnown, f.binaryOK = true, true
		c.work.step(len(c.probe.Points))
		for _, ap := range c.probe.Points {
			if bin := ap.Args[0]; f.binary != "" && bin != f.binary {
				f.binaryOK = false
				break
			}
			f.binary = ap.Args[0]
		}
	}
	return f.binary, f.binaryOK
}

// tracepointsHaveRet reports whether the current probe's attach points
// are all tracepoints with a field called ret.
func (c *checker) tracepointsHaveRet() bool {
	if c.points.retHint == nil {
		have := true
		c.work.step(len(c.probe.Points))
		for _, ap := range c.probe.Points {
			if f := c.info.Tracepoints[ap]; f == nil || f.Field("ret") == nil {
				have = false
				break
			}
		}
		c.points.retHint = &have
	}
	return *c.points.retHint
}

// usesProbeArgs reports whether the current probe uses args or retval,
// which need its attach points' typed arguments.
func (c *checker) usesProbeArgs() bool {
	if c.points.usesArgs == nil {
		uses := UsesName(c.probe, "args", "retval")
		c.points.usesArgs = &uses
	}
	return *c.points.usesArgs
}

// usesRawArgs reports whether the current probe uses args or argN, which
// a raw tracepoint types (and counts) from the kernel's BTF: a probe
// using neither needs no BTF to read.
func (c *checker) usesRawArgs() bool {
	if c.points.usesArgN == nil {
		uses := UsesName(c.probe, "args", "argN")
		c.points.usesArgN = &uses
	}
	return *c.points.usesArgN
}

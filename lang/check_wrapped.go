package lang

import "strconv"

// probetypeName is what probetype says of a probe kind: its provider's
// name, and "special" for BEGIN and END, as bpftrace names them.
func probetypeName(k ProbeKind) string {
	switch k {
	case ProbeBegin, ProbeEnd, ProbeSelf:
		return "special"
	case ProbeBench:
		return "benchmark"
	}
	return k.String()
}

// probetype is the kind of the probe's first attach point, a constant
// string, as in bpftrace.
func (c *checker) probetype(id *Ident) *Type {
	if len(c.probe.Points) == 0 || !c.pointsKnown() {
		return Invalid
	}
	name := probetypeName(c.probe.Points[0].Kind)
	c.constant(id, Const{Str: name, IsStr: true})
	return StringType(len(name) + 1)
}

// regsKinds are the probe kinds whose context holds the registers of
// where the probe fired (struct pt_regs), from which usermode reads.
var regsKinds = []ProbeKind{ProbeKprobe, ProbeKretprobe, ProbeUprobe, ProbeUretprobe, ProbeUsdt,
	ProbeProfile, ProbeInterval, ProbeSoftware, ProbeHardware, ProbeWatchpoint}

// usermode is 1 when the probe fired in user mode. Probes without
// registers know without reading them, as bpftrace folds it: BEGIN and END
// run in hawk's own process, so 1; tracepoints, fentry and the like fire
// in the kernel, so 0.
func (c *checker) usermode(id *Ident) *Type {
	if !c.pointsKnown() {
		return Invalid
	}
	for _, ap := range c.probe.Points {
		if !hasKind(regsKinds, ap.Kind) {
			c.constant(id, Const{Int: b2i(probetypeName(ap.Kind) == "special")})
			break
		}
	}
	return Uint8
}

// config is a record of the config values, made of constants: what
// config = { ... } and the environment set, or the defaults.
func (c *checker) config(id *Ident) *Type {
	s := c.settings
	at := Span{id.Pos, id.EndPos}
	rec := &RecordExpr{Span: at}
	add := func(name string, x Expr) {
		rec.Names, rec.Elems = append(rec.Names, name), append(rec.Elems, x)
	}
	flag := func(name string, v bool) {
		add(name, &Ident{Span: at, Name: strconv.FormatBool(v)})
	}
	num := func(name string, v int) { add(name, &IntLit{Span: at, Value: uint64(v), Text: strconv.Itoa(v)}) }
	str := func(name, v string) { add(name, &StrLit{Span: at, Value: v}) }
	flag("cpp_demangle", s.CppDemangle)
	flag("lazy_symbolication", s.LazySymbols)
	flag("print_maps_on_exit", s.PrintMapsOnExit)
	flag("show_debug_info", s.ShowDebugInfo)
	num("log_size", s.LogSize)
	num("max_bpf_progs", s.MaxBPFProgs)
	num("max_cat_bytes", s.MaxCatBytes)
	num("max_map_keys", s.MaxMapKeys)
	num("max_probes", s.MaxProbes)
	num("max_strlen", s.MaxStrlen)
	num("on_stack_limit", s.OnStackLimit)
	num("perf_rb_pages", s.PerfRbPages)
	str("str_trunc_trailer", s.StrTruncTrailer)
	missing := s.MissingProbes
	if missing == "" {
		missing = "error"
	}
	str("missing_probes", missing)
	str("stack_mode", s.StackMode)
	str("license", s.License)
	str("unstable_dw_ustack", s.UnstableDwUstack)
	t := c.expr(rec)
	c.info.Rewrites[id] = rec
	return t
}

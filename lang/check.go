package lang

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Check type-checks prog, after expanding its macros. It reports every
// independent error it finds; the error, when not nil, is Diagnostics.
func Check(prog *Program, env Env, cfg Config) (*Info, error) {
	return check(prog, env, cfg, nil)
}

// check is Check, counting its work in work when that is not nil.
func check(prog *Program, env Env, cfg Config, work *checkWork) (*Info, error) {
	var diags Diagnostics
	expandMacros(prog, &diags)
	settings := resolveSettings(prog, cfg, &diags)
	expandAttachPoints(prog, env, cfg.Params, settings.MissingProbes, &diags)
	// The first walks settle the types of maps and variables, which may be
	// used before the assignment that gives them a type; the last walk
	// checks every use against those types and keeps its diagnostics
	// (check_settle.go).
	c := newChecker(prog, env, cfg, settings, nil)
	c.work = work
	c, unsettled := settle(c)
	c = newChecker(prog, env, cfg, settings, c)
	c.report = true
	if unsettled != nil {
		// The types the walks left are not the script's: what the last
		// walk would say of them is not worth reading.
		c.reportUnsettled(unsettled)
	} else {
		c.walk()
		c.checkMapKinds()
		c.checkDummyTSMap()
	}
	c.diags = append(diags, c.diags...)
	c.info.Options = sortedOptions(c.options)
	c.checkSettled()
	c.diags.Sort()
	for _, d := range c.diags {
		if d.Severity == Warning {
			c.info.Warnings = append(c.info.Warnings, d)
		}
	}
	if !c.diags.HasErrors() {
		// Later stages see what rewritten expressions stand for.
		for _, p := range prog.Probes {
			rewriteExprs(p, func(e Expr) Expr {
				// A rewrite may stand for another: ppid() for ppid,
				// which stands for curtask->real_parent->tgid.
				for r, ok := c.info.Rewrites[e]; ok; r, ok = c.info.Rewrites[e] {
					e = r
				}
				return e
			})
		}
		if err := c.checkOptions(); err != nil {
			return c.info, err
		}
	}
	return c.info, c.diags.Err()
}

// checkSettled makes sure that a program without errors has a type for
// each expression, scratch variable and map it uses, so that a gap in the
// checker is an error here rather than a crash of the code generator.
func (c *checker) checkSettled() {
	if c.diags.HasErrors() {
		return
	}
	for _, p := range c.prog.Probes {
		for _, ap := range p.Points {
			if ap.Kind == ProbeInvalid {
				return // reported, by Parse or when expanded: the program has errors
			}
		}
	}
	unknown := func(n Node, what string) {
		c.errorf(n, "cannot tell the type of %s (a gap in hawk's checker: please report it)", what)
	}
	for _, p := range c.prog.Probes {
		Inspect(p, func(n Node) bool {
			if c.diags.HasErrors() {
				return false
			}
			switch n := n.(type) {
			case *VarDecl, *LetStmt, *ForStmt, *ExprStmt:
				// An untyped `let $x;` that nothing assigns or reads has
				// no type and needs none.
				if v := c.info.Vars[n]; v != nil && v.Type != nil && v.Type.IsInvalid() {
					unknown(n, "variable "+c.varName(v.Name))
				}
			}
			if e, ok := n.(Expr); ok {
				if t, recorded := c.info.Types[e]; recorded && t.IsInvalid() {
					unknown(e, "this expression")
				}
			}
			return true
		})
	}
	for _, name := range c.info.MapOrder {
		if info := c.info.Maps[name]; info.Value != nil && info.Value.IsInvalid() && !c.diags.HasErrors() {
			unknown(info.First, "map "+name)
		}
	}
}

// resolveSettings reads the config block, then the environment.
func resolveSettings(prog *Program, cfg Config, diags *Diagnostics) Settings {
	s := DefaultSettings()
	for i, block := range prog.Config {
		if i > 0 {
			diags.Add(prog.Src, block, "a script has at most one config block")
		}
		for _, e := range block.Entries {
			if err := s.applySetting(e.Name, e.Value); err != nil {
				d := diags.Add(prog.Src, e, "%v", err)
				didYouMean(d, settingName(e.Name), SettingNames())
			}
		}
	}
	for _, err := range settingsFromEnv(&s, cfg.Environ) {
		diags.AddSpan(nil, 0, 0, "%v", err)
	}
	if cfg.MaxStrlen > 0 {
		s.MaxStrlen = cfg.MaxStrlen
	}
	return s
}

type checker struct {
	prog     *Program
	src      *Source
	env      Env
	cfg      Config
	settings Settings
	info     *Info
	diags    Diagnostics
	// The settled types of the walk before (nil during the first walk).
	prev *checker
	// report is set for the last walk, which keeps its diagnostics.
	report bool
	// While an assignment's value is checked in a settling walk: the map
	// it assigns (assigning), and whether the value read a map or
	// variable with no type yet (unsettled), or that map itself
	// (selfRead). Such a value is unknown for now, not wrong.
	assigning           string
	unsettled, selfRead bool
	// The probe being checked, what its attach points tell, its scopes.
	probe  *Probe
	points *pointFacts
	scopes []map[string]*VarInfo
	// visible holds, per name, the variables of that name in the open
	// scopes, outermost first (check_scope.go).
	visible map[string][]scoped
	// Variables given 0.17's probe scope (see probeScoped).
	probeVars map[string]bool
	loops     int // how deep in loops the statement being checked is
	dead      int // how deep in code a constant condition rules out (check_meta.go)
	// Variable types by declaring node, carried between walks.
	varTypes map[Node]*Type
	// tracepoint formats already read, by "category:name".
	formats map[string]*TracepointFormat
	// why reading a tracepoint's format failed, by "category:name".
	formatErrs map[string]error
	// constants from #define lines and included headers.
	defines *constants
	// script structs by "struct NAME" / "union NAME".
	structs map[string]*Type
	// script enums by "enum NAME", their enumerators by name, and the
	// type of each enum's values (check_enum.go).
	enums       map[string]*scriptEnum
	enumerators map[string]enumConst
	enumTypes   map[*EnumDef]*Type
	// completed holds the types withFields completed, and what it made of
	// them.
	completed map[*Type]*Type
	// The script's macros by name, and the declarations of variables by
	// name that the walk before saw; each indexed when first needed.
	macros map[string]*Macro
	decls  map[string][]Node
	// stale is the first read in this settling walk whose map or
	// variable an assignment after it changed: the types must settle
	// again (check_settle.go).
	stale *staleRead
	// work counts the checker's work for tests; nil otherwise.
	work *checkWork
	// The named options getopt() reads, by name, and the first value of
	// the wrong type the command line gives one (getopt.go).
	options map[string]*NamedOption
	optErr  *OptionError
	// firstTseries is the first tseries() call, where a bad
	// BPFTRACE_DUMMY_TS_MAP is reported (check_tseries.go).
	firstTseries *Call
}

func newChecker(prog *Program, env Env, cfg Config, settings Settings, prev *checker) *checker {
	// A walk after another records what the one before did: its tables
	// start at their sizes, and do not grow (and rehash) as they fill.
	var was Info
	if prev != nil {
		was = *prev.info
	}
	c := &checker{
		prog: prog, src: prog.Src, env: env, cfg: cfg, settings: settings, prev: prev,
		info: &Info{
			Types:       make(map[Expr]*Type, len(was.Types)),
			Consts:      make(map[Expr]Const, len(was.Consts)),
			Builtins:    make(map[*Ident]Builtin, len(was.Builtins)),
			Funcs:       make(map[*Call]Func, len(was.Funcs)),
			Formats:     make(map[*Call]*Format, len(was.Formats)),
			Vars:        make(map[Node]*VarInfo, len(was.Vars)),
			Maps:        map[string]*MapInfo{},
			Tracepoints: map[*AttachPoint]*TracepointFormat{},
			USDT:        map[*AttachPoint][]USDTProbe{},
			Fields:      map[Expr]*ResolvedField{},
			Rewrites:    map[Expr]Expr{},
			MapArgs:     map[*Call]*MapExpr{},
			Clocks:      map[*Ident]string{},
			Namespaces:  map[*Ident]string{},
			Addresses:   map[*Call][]byte{},
			CommOffsets: map[*Call]int{},
			Settings:    settings,
			// getopt() calls stay, to read their values at load time.
			OptionsAtLoad: cfg.OptionsAtLoad,
		},
		varTypes:   map[Node]*Type{},
		completed:  map[*Type]*Type{},
		enumTypes:  map[*EnumDef]*Type{},
		formats:    map[string]*TracepointFormat{},
		formatErrs: map[string]error{},
		options:    map[string]*NamedOption{},
	}
	if prev != nil {
		c.formats, c.formatErrs, c.defines, c.structs = prev.formats, prev.formatErrs, prev.defines, prev.structs
		c.completed = prev.completed
		c.enums, c.enumerators, c.enumTypes = prev.enums, prev.enumerators, prev.enumTypes
		c.work = prev.work
		// Start from the settled map and variable types.
		for _, name := range prev.info.MapOrder {
			m := *prev.info.Maps[name]
			m.Keys, m.seenAt, m.keysSeenAt = slices.Clone(m.Keys), nil, nil
			c.info.Maps[name] = &m
			c.info.MapOrder = append(c.info.MapOrder, name)
		}
		for n, t := range prev.varTypes {
			c.varTypes[n] = t
		}
	}
	return c
}

func (c *checker) errorf(n Node, format string, args ...any) *Diagnostic {
	if !c.report {
		// The first walks only settle types; the last reports.
		return &Diagnostic{}
	}
	return c.diags.Add(c.src, n, format, args...)
}

func (c *checker) errorSpan(start, end Pos, format string, args ...any) *Diagnostic {
	if !c.report {
		return &Diagnostic{}
	}
	return c.diags.AddSpan(c.src.File(start.Filename), start.Offset, end.Offset, format, args...)
}

func (c *checker) walk() {
	c.work.startWalk()
	if c.defines == nil {
		c.readDirectives()
		c.declareEnums()
		c.declareStructs()
	} else {
		// The types were built in the first walk, which keeps no errors.
		c.checkEnums()
		c.reportStructs()
		if c.report {
			c.reportHeaderErrors()
		}
	}
	c.useScriptStructs()
	c.declareMaps()
	if len(c.prog.Probes) == 0 && c.report && !c.cfg.Session {
		c.diags.AddSpan(c.src, 0, 0, "the script has no probes")
	}
	c.checkIterAlone()
	c.checkNamedProbes()
	for _, p := range c.prog.Probes {
		c.learnPoints(p)
		c.scopes, c.visible = []map[string]*VarInfo{{}}, map[string][]scoped{}
		c.probeVars = probeScoped(p.Body, c.work)
		for _, ap := range p.Points {
			c.checkAttachPoint(ap)
		}
		if p.Pred != nil {
			c.checkCond(p.Pred.Cond)
		}
		c.checkBlock(p.Body, false)
	}
}

func (c *checker) checkAttachPoint(ap *AttachPoint) {
	if c.env == nil {
		return
	}
	switch ap.Kind {
	case ProbeRawtracepoint, ProbeFentry, ProbeFexit:
		if ap.Kind != ProbeRawtracepoint || c.usesRawArgs() {
			c.checkProbeArgs(ap)
		}
		return
	case ProbeUsdt:
		c.checkUsdt(ap)
		return
	case ProbeIter:
		c.checkIterTarget(ap)
		return
	case ProbeTracepoint:
	default:
		return
	}
	key := ap.Args[0] + ":" + ap.Args[1]
	f, ok := c.formats[key]
	if !ok {
		var err error
		f, err = c.env.TracepointFormat(ap.Args[0], ap.Args[1])
		c.formats[key] = f
		if err != nil && f == nil {
			c.formatErrs[key] = err
		}
	}
	if f != nil {
		c.info.Tracepoints[ap] = f
		return
	}
	d := c.errorf(ap, "%v", c.formatErrs[key])
	if c.report {
		c.suggestTracepoint(d, ap.Args[0], ap.Args[1])
	}
}

// checkIterAlone reports an iter probe beside probes other than BEGIN
// and END: the script runs the iteration once, then ends.
func (c *checker) checkIterAlone() {
	var iter *AttachPoint
	others := 0
	for _, p := range c.prog.Probes {
		for _, ap := range p.Points {
			switch ap.Kind {
			case ProbeIter:
				if iter != nil {
					c.errorf(ap, "a script can have one iter probe only")
				}
				iter = ap
			case ProbeBegin, ProbeEnd, ProbeInvalid:
			default:
				others++
			}
		}
	}
	if iter != nil && others > 0 {
		c.errorf(iter, "an iter probe cannot be mixed with other probes (BEGIN and END aside): the script ends when the iteration does")
	}
}

// checkProbeArgs reads the typed arguments of a raw tracepoint, fentry or
// fexit attach point, which only args.NAME and retval need.
func (c *checker) checkProbeArgs(ap *AttachPoint) {
	f, err := c.env.ProbeArgs(ap.Kind, ap.Args)
	if err == nil {
		c.info.Tracepoints[ap] = f
		return
	}
	if c.usesProbeArgs() {
		c.errorf(ap, "%v", err)
	}
}

// UsesName reports whether p uses an identifier or calls a function
// called one of names; "argN" stands for arg0, arg1, ...
func UsesName(p *Probe, names ...string) bool {
	found := false
	Inspect(p, func(n Node) bool {
		var name string
		switch n := n.(type) {
		case *Ident:
			name = n.Name
		case *Call:
			name = n.Name
		}
		if _, ok := ArgIndex(name); ok {
			name = "argN"
		}
		if strings.HasPrefix(name, builtinPrefix) && lookupBuiltin(name) != BuiltinInvalid {
			name = lookupBuiltin(name).String() // __builtin_probe is probe
		}
		found = found || slices.Contains(names, name)
		return !found
	})
	return found
}

// checkUsdt finds the sites of a usdt attach point.
func (c *checker) checkUsdt(ap *AttachPoint) {
	bin, provider, name := UsdtTarget(ap)
	sites, err := c.env.USDT(bin, provider, name)
	if err != nil {
		c.errorf(ap, "%v", err)
		return
	}
	if len(sites) == 0 {
		c.errorf(ap, "%s", missingMessage(ap))
		return
	}
	c.info.USDT[ap] = sites
}

// suggestTracepoint names a tracepoint close to category:name: one of the
// category's, else any.
func (c *checker) suggestTracepoint(d *Diagnostic, category, name string) {
	if names, _ := c.env.Tracepoints(category, "*"); len(names) > 0 {
		for i, n := range names {
			names[i] = strings.TrimPrefix(n, category+":")
		}
		if s := suggest(name, names); s != "" {
			d.Hint = fmt.Sprintf("did you mean %s:%s?", category, s)
		}
		return
	}
	all, _ := c.env.Tracepoints("*", "*")
	if s := suggest(category+":"+name, all); s != "" {
		d.Hint = fmt.Sprintf("did you mean %s?", s)
	}
}

// record notes the type of e and returns it.
func (c *checker) record(e Expr, t *Type) *Type {
	if t != nil && t.Kind == KindFloat {
		// A floating-point member of a script struct, reached through
		// a pointer or an index: laid out, never read.
		c.errorf(e, "this is a %s, which hawk cannot read", t)
		t = Invalid
	}
	c.info.Types[e] = t
	return t
}

func (c *checker) constant(e Expr, k Const) {
	c.info.Consts[e] = k
}

func quote(s string) string { return strconv.Quote(s) }

// didYouMean adds a hint naming the closest candidate, if any is close.
func didYouMean(d *Diagnostic, name string, candidates []string) {
	if s := suggest(name, candidates); s != "" {
		d.Hint = fmt.Sprintf("did you mean %q?", s)
	}
}

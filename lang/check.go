package lang

import (
	"fmt"
	"strconv"
)

// Config holds the settings that change how a script type-checks.
type Config struct {
	// MaxStrlen is the size of strings read by str() and of string
	// buffers, NUL included (bpftrace's max_strlen).
	MaxStrlen int
	// Params are the positional parameters $1, $2, ...
	Params []string
}

// DefaultMaxStrlen is bpftrace's default max_strlen.
const DefaultMaxStrlen = 1024

// Env is what the checker learns from the system it will run on.
type Env interface {
	// TracepointFormat returns the record layout of a tracepoint.
	TracepointFormat(category, name string) (*TracepointFormat, error)
}

// Const is the value of an expression known at compile time.
type Const struct {
	Int   uint64 // the bits of an integer constant
	Str   string
	IsStr bool
}

// VarInfo describes one scratch variable.
type VarInfo struct {
	Name string
	Type *Type
}

// MapInfo describes one global map, merged from all its uses.
type MapInfo struct {
	Name  string
	Keys  []*Type // nil for a map used without keys
	Value *Type
	First Node // where the map is first used
}

// Info is what the checker found out about a program: side tables keyed by
// AST node, as go/types does.
type Info struct {
	Types       map[Expr]*Type
	Consts      map[Expr]Const
	Builtins    map[*Ident]Builtin
	Funcs       map[*Call]Func
	Formats     map[*Call]*Format
	Vars        map[*Var]*VarInfo
	Maps        map[string]*MapInfo
	MapOrder    []string // map names in order of first use
	Tracepoints map[*AttachPoint]*TracepointFormat
}

// TypeOf returns the type recorded for e, or Invalid.
func (info *Info) TypeOf(e Expr) *Type {
	if t, ok := info.Types[e]; ok {
		return t
	}
	return Invalid
}

// Check type-checks prog. It reports every independent error it finds; the
// error, when not nil, is Diagnostics.
func Check(prog *Program, env Env, cfg Config) (*Info, error) {
	if cfg.MaxStrlen <= 0 {
		cfg.MaxStrlen = DefaultMaxStrlen
	}
	// The first walk settles the types of maps and variables, which may be
	// used before the assignment that gives them a type; the second walk
	// checks every use against those types and keeps its diagnostics.
	c := newChecker(prog, env, cfg, nil)
	c.walk()
	c = newChecker(prog, env, cfg, c)
	c.walk()
	c.diags.Sort()
	return c.info, c.diags.Err()
}

type checker struct {
	prog  *Program
	src   *Source
	env   Env
	cfg   Config
	info  *Info
	diags Diagnostics
	// The settled types of the first walk (nil during the first walk).
	prev *checker
	// The probe being checked and its scratch variables.
	probe *Probe
	vars  map[string]*VarInfo
	// Scratch variable types by probe and name, carried between walks.
	varTypes map[*Probe]map[string]*VarInfo
	// tracepoint formats already read, by "category:name".
	formats map[string]*TracepointFormat
}

func newChecker(prog *Program, env Env, cfg Config, prev *checker) *checker {
	c := &checker{
		prog: prog, src: prog.Src, env: env, cfg: cfg, prev: prev,
		info: &Info{
			Types:       map[Expr]*Type{},
			Consts:      map[Expr]Const{},
			Builtins:    map[*Ident]Builtin{},
			Funcs:       map[*Call]Func{},
			Formats:     map[*Call]*Format{},
			Vars:        map[*Var]*VarInfo{},
			Maps:        map[string]*MapInfo{},
			Tracepoints: map[*AttachPoint]*TracepointFormat{},
		},
		varTypes: map[*Probe]map[string]*VarInfo{},
		formats:  map[string]*TracepointFormat{},
	}
	if prev != nil {
		c.formats = prev.formats
		// Start from the settled map and variable types.
		for _, name := range prev.info.MapOrder {
			m := *prev.info.Maps[name]
			c.info.Maps[name] = &m
			c.info.MapOrder = append(c.info.MapOrder, name)
		}
		for p, vars := range prev.varTypes {
			c.varTypes[p] = map[string]*VarInfo{}
			for name, v := range vars {
				c.varTypes[p][name] = &VarInfo{Name: v.Name, Type: v.Type}
			}
		}
	}
	return c
}

func (c *checker) errorf(n Node, format string, args ...any) *Diagnostic {
	return c.diags.Add(c.src, n, format, args...)
}

func (c *checker) walk() {
	if len(c.prog.Probes) == 0 {
		c.diags.AddSpan(c.src, 0, 0, "the script has no probes")
	}
	for _, p := range c.prog.Probes {
		c.probe = p
		if c.varTypes[p] == nil {
			c.varTypes[p] = map[string]*VarInfo{}
		}
		c.vars = map[string]*VarInfo{}
		for _, ap := range p.Points {
			c.checkAttachPoint(ap)
		}
		if p.Pred != nil {
			c.checkCond(p.Pred.Cond)
		}
		c.checkBlock(p.Body)
	}
}

func (c *checker) checkAttachPoint(ap *AttachPoint) {
	if ap.Kind != ProbeTracepoint || c.env == nil {
		return
	}
	key := ap.Args[0] + ":" + ap.Args[1]
	if f, ok := c.formats[key]; ok {
		if f != nil {
			c.info.Tracepoints[ap] = f
		} else {
			c.errorf(ap, "tracepoint %s not found", key)
		}
		return
	}
	f, err := c.env.TracepointFormat(ap.Args[0], ap.Args[1])
	c.formats[key] = f
	if err != nil {
		c.errorf(ap, "%v", err)
		return
	}
	c.info.Tracepoints[ap] = f
}

// probeKindsIn reports whether every attach point of the current probe is
// one of kinds; attach points already reported as wrong pass.
func (c *checker) probeKindsIn(kinds []ProbeKind) bool {
	for _, ap := range c.probe.Points {
		found := ap.Kind == ProbeInvalid
		for _, k := range kinds {
			found = found || ap.Kind == k
		}
		if !found {
			return false
		}
	}
	return true
}

// record notes the type of e and returns it.
func (c *checker) record(e Expr, t *Type) *Type {
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

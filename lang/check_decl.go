package lang

import (
	"strings"

	"github.com/hawktrace/hawk/internal/lazyre"
)

var (
	includeLine   = lazyre.New(`^#\s*include\s*[<"]([^>"]+)[>"]`)
	directiveName = lazyre.New(`^#\s*(define|undef|include|include_next)\b`)
)

// readDirectives runs the script's #define, #undef and #include lines
// through hawk's C preprocessor: a name they define is a constant
// (headers.go).
func (c *checker) readDirectives() {
	c.defines = readHeaders(c.src, c.prog.Directives, c.cfg)
}

// mapKinds are the map types a declaration may name.
var mapKinds = []string{"hash", "lruhash", "percpuhash", "percpulruhash"}

// declareMaps records `let @m = kind(n);` declarations.
func (c *checker) declareMaps() {
	declared := map[string]*MapDecl{}
	for _, d := range c.prog.MapDecl {
		if first := declared[d.Name]; first != nil {
			c.errorf(d, "%s is declared twice (first at %s)", d.Name, first.Pos)
			continue
		}
		declared[d.Name] = d
		known := false
		for _, k := range mapKinds {
			known = known || k == d.Kind
		}
		if !known {
			e := c.errorf(d, "unknown map type %q (map types: %s)", d.Kind, strings.Join(mapKinds, ", "))
			didYouMean(e, d.Kind, mapKinds)
			continue
		}
		n, err := parseInt(d.MaxEntries)
		if err != nil || n == 0 || n > 1<<30 {
			c.errorf(d, "a map's size must be a positive integer")
			continue
		}
		info := c.info.Maps[d.Name]
		if info == nil {
			info = &MapInfo{Name: d.Name, First: d}
			c.info.Maps[d.Name] = info
			c.info.MapOrder = append(c.info.MapOrder, d.Name)
		} else if info.Kind != "" && c.prev == nil {
			continue
		}
		info.Kind, info.MaxEntries = d.Kind, int(n)
	}
}

// checkMapKinds checks each declared map's kind against its values, as
// bpftrace does: aggregations live in per-CPU maps, other values in
// shared ones.
func (c *checker) checkMapKinds() {
	for _, d := range c.prog.MapDecl {
		info := c.info.Maps[d.Name]
		if info != nil && info.Value == nil && info.Keys == nil && !c.cfg.Session {
			if _, unused := info.First.(*MapDecl); unused {
				c.diags.Add(c.src.For(d), d, "%s is declared but never used", d.Name).Severity = Warning
				continue
			}
		}
		if info == nil || info.Kind != d.Kind || info.Value == nil || info.Value.IsInvalid() {
			continue
		}
		percpu := strings.HasPrefix(d.Kind, "percpu")
		switch agg := info.Value.IsAggregation(); {
		case agg && !percpu:
			c.errorf(d, "%s is declared %s, but it holds %s, which needs a per-CPU map", d.Name, d.Kind, info.Value).Hint =
				"declare it percpu" + d.Kind + "(" + d.MaxEntries + ")"
		case !agg && percpu:
			c.errorf(d, "%s is declared %s, but it holds %s; per-CPU maps hold aggregations (count(), sum(), hist(), ...)", d.Name, d.Kind, info.Value).Hint =
				"declare it " + strings.TrimPrefix(d.Kind, "percpu") + "(" + d.MaxEntries + ")"
		}
	}
}

// StructTypes reads C struct and union declarations, as scripts write
// them, into types keyed "struct NAME" / "union NAME". Tests and programs
// without BTF use it to describe kernel types.
func StructTypes(text string) (map[string]*Type, error) {
	src := NewSource("types", text)
	prog, err := Parse(src)
	if prog == nil {
		return nil, err
	}
	c := newChecker(prog, nil, Config{}, DefaultSettings(), nil)
	c.report = true
	c.readDirectives()
	c.declareStructs()
	if err := Merge(err, c.diags.Err()); err != nil {
		return nil, err
	}
	return c.structs, nil
}

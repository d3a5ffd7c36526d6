package lang

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	includeLine   = regexp.MustCompile(`^#\s*include\s*[<"]([^>"]+)[>"]`)
	directiveName = regexp.MustCompile(`^#\s*(define|undef|include|include_next)\b`)
)

// readDirectives runs the script's #define, #undef and #include lines
// through hawk's C preprocessor: a name they define is a constant
// (headers.go).
func (c *checker) readDirectives() {
	c.defines = readHeaders(c.src, c.prog.Directives, c.cfg)
}

// declareStructs builds the types of the structs and unions the script
// declares, in order, so that later ones can use earlier ones.
func (c *checker) declareStructs() {
	c.structs = map[string]*Type{}
	for _, sd := range c.prog.Structs {
		key := "struct " + sd.Name
		if sd.Union {
			key = "union " + sd.Name
		}
		t := &Type{Kind: KindStruct, Name: sd.Name, Union: sd.Union}
		c.structs[key] = t // a struct may point to itself
		off, align := 0, 1
		for _, f := range sd.Fields {
			field, ok := c.structField(f)
			if !ok {
				continue
			}
			a := field.Type.Align()
			align = max(align, a)
			if sd.Union {
				field.Offset = 0
				off = max(off, field.Type.Size)
			} else {
				off = alignUp(off, a)
				field.Offset = off
				off += field.Type.Size
			}
			t.Fields = append(t.Fields, field)
		}
		t.Size = alignUp(off, align)
	}
}

// checkStructFields reports the mistakes in struct members, which
// declareStructs left out of the types.
func (c *checker) checkStructFields() {
	for _, sd := range c.prog.Structs {
		for _, f := range sd.Fields {
			c.structField(f)
		}
	}
}

// structField reads a member declaration: C type, name, optional [N].
func (c *checker) structField(f *StructField) (Field, bool) {
	toks := f.Tokens
	n := -1
	if len(toks) >= 3 && toks[len(toks)-1] == "]" {
		if toks[len(toks)-3] == "[" {
			v, err := strconv.Atoi(toks[len(toks)-2])
			if d, ok := c.defines.lookup(toks[len(toks)-2]); ok && err != nil {
				v, err = int(d), nil // #define N 16 ... char comm[N];
			}
			if err != nil || v < 0 {
				c.errorf(f, "the array size of a struct member must be a number or a #define constant")
				return Field{}, false
			}
			n, toks = v, toks[:len(toks)-3]
		}
	}
	if len(toks) < 2 {
		c.errorf(f, "a struct member is written TYPE NAME;")
		return Field{}, false
	}
	name := toks[len(toks)-1]
	te := &TypeExpr{Span: f.Span, Name: strings.Join(toks[:len(toks)-1], " ")}
	for strings.HasSuffix(te.Name, "*") {
		te.Name = strings.TrimSpace(strings.TrimSuffix(te.Name, "*"))
		te.Suffixes = append(te.Suffixes, "*")
	}
	t := c.resolveType(te, SpaceKernel)
	if t.IsInvalid() {
		return Field{}, false
	}
	if n >= 0 {
		if t.Kind == KindInt && t.Size == 1 && strings.Contains(te.Name, "char") {
			// char name[N] reads as a string, all of whose N bytes may be
			// characters; uint8_t b[N] is an array.
			t = &Type{Kind: KindString, Size: n, CharArray: true}
		} else {
			t = ArrayType(t, n)
		}
	}
	return Field{Name: name, Type: t}, true
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
		if info != nil && info.Value == nil && info.Keys == nil {
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

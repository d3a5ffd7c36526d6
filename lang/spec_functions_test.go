package lang

import (
	"regexp"
	"strings"
	"testing"
)

// The checks of this file hold spec.md §6 to lang's own tables: every
// name a script can call or read (a Func, a Builtin, a __builtin_
// spelling, a macro of the standard library, a type operator) has a row
// in the tables of §6 with its signature and its type, and is used by an
// example of §6 that was run (a `$ hawk ...` line of a code block).

// specFuncSections are the parts of spec.md that document builtins and
// functions: from a line starting with the first string to one starting
// with the second. (The aggregations are §6.4's rows as well as §5.3's.)
var specFuncSections = [][2]string{{"## 6. ", "## 7. "}}

// specTypeOperators are the names the grammar reads as type operators
// (parse_expr.go's typeFunc, parse_type.go's typeof) rather than as calls
// of the Func table: bpftrace's standard library documents them as
// functions, so §6 lists them too.
var specTypeOperators = []string{"sizeof", "offsetof", "typeof"}

// specArity reads the number of arguments a signature `name(a, b[, c])`
// gives: the required ones, the most (-1: any number, an argument written
// `x...`, which itself is not counted). Brackets that start an argument
// or hold `[, ...]` hold optional ones; other brackets are subscripts
// (`delete(@m[k])`).
func specArity(span string) (lo, hi int, ok bool) {
	open := strings.Index(span, "(")
	if open < 0 || !strings.HasSuffix(span, ")") {
		return 0, 0, false
	}
	args := span[open+1 : len(span)-1]
	variadic := false
	depth, optDepth := 0, 0
	var brackets []bool // for each open bracket: whether it holds optional arguments
	started, optional, dots := false, false, false
	end := func() {
		switch {
		case !started:
		case dots:
			variadic = true
		default:
			hi++
			if !optional {
				lo++
			}
		}
		started, optional, dots = false, false, false
	}
	for i := 0; i < len(args); i++ {
		c := args[i]
		switch {
		case c == ' ':
			continue
		case c == '[' && depth == 0:
			opt := !started || strings.HasPrefix(strings.TrimLeft(args[i+1:], " "), ",")
			brackets = append(brackets, opt)
			if opt {
				optDepth++
			}
			continue
		case c == ']' && depth == 0 && len(brackets) > 0:
			if brackets[len(brackets)-1] {
				optDepth--
			}
			brackets = brackets[:len(brackets)-1]
			continue
		case c == ',' && depth == 0 && (len(brackets) == 0 || brackets[len(brackets)-1]):
			end()
			continue
		case c == '(':
			depth++
		case c == ')':
			depth--
		}
		if strings.HasPrefix(args[i:], "...") || strings.HasPrefix(args[i:], "…") {
			dots = true
		}
		if !started {
			started, optional = true, optDepth > 0
		}
	}
	end()
	if variadic {
		hi = -1
	}
	return lo, hi, depth == 0 && len(brackets) == 0
}

// specName is a name a script can use, with the arguments lang's table
// takes (call: it is called with parentheses), and the type lang's table
// gives it (typ, nil when the checker works it out).
type specName struct {
	name             string
	call             bool
	minArgs, maxArgs int
	checkArity       bool
	typ              *Type
	// withArgs: a builtin that may also be called with arguments,
	// pid(init), kstack(perf, 3): a row gives that signature too, and an
	// example calls it so.
	withArgs bool
}

// specNames lists every name a script can call or read, from lang's
// tables.
func specNames() []specName {
	var names []specName
	for _, b := range Builtins() {
		name := builtins[b].name
		typ := builtins[b].typ
		if typ != nil && typ.Kind == KindCtx {
			typ = nil // args: a record, which §6.1 says in words
		}
		names = append(names, specName{name: name, typ: typ, withArgs: builtinTakesArgs(b)})
		if builtinWrapped[b] {
			names = append(names, specName{name: builtinPrefix + name, typ: typ})
		}
	}
	for _, f := range Funcs() {
		info := funcs[f]
		n := specName{name: info.name, call: true, minArgs: info.minArgs, maxArgs: info.maxArgs, checkArity: true}
		if funcPrefixOnly[f] {
			n.name = builtinPrefix + info.name
		}
		names = append(names, n)
		if funcWrapped[f] && !funcPrefixOnly[f] {
			n.name = builtinPrefix + info.name
			names = append(names, n)
		}
	}
	lib := stdlibMacros()
	for _, name := range StdlibMacros() {
		prog := parseStdlib(lib[name], nil)
		for _, m := range prog.Macros {
			if m.Name == name {
				names = append(names, specName{name: name, call: true, minArgs: len(m.Params), maxArgs: len(m.Params), checkArity: true})
			}
		}
	}
	for _, name := range specTypeOperators {
		names = append(names, specName{name: name, call: true})
	}
	return names
}

// builtinTakesArgs reports whether the checker reads arguments of the
// builtin b called with one, rather than refusing it with "takes no
// arguments". A builtin that is also a Func (comm) is the Func's.
func builtinTakesArgs(b Builtin) bool {
	name := builtins[b].name
	if lookupFunc(name) != FuncInvalid {
		return false
	}
	c := checkText("BEGIN { $x = " + name + "(0); }")
	return c.err == nil || !strings.Contains(c.err.Error(), name+" takes no arguments")
}

// specUses reports whether the example command uses name: reads it or,
// when call, calls it. String literals are left out, and so are members
// (`.name`, `->name`), variables and maps.
func specUses(cmd, name string, call bool) bool {
	return specUsesAs(cmd, name, call, "")
}

// specUsesAs is specUses where what follows the name's ( must match
// args too.
func specUsesAs(cmd, name string, call bool, args string) bool {
	cmd = regexp.MustCompile(`"(\\.|[^"\\])*"`).ReplaceAllString(cmd, `""`)
	pat := `(^|[^\w@$.>])` + regexp.QuoteMeta(name)
	if call {
		pat += `\s*\(` + args
	} else {
		pat += `\b`
	}
	return regexp.MustCompile(pat).MatchString(cmd)
}

// specTypeColumn reports whether a table's header has a column for the
// type of what a name gives.
func specTypeColumn(header []string) bool {
	for _, h := range header[1:] {
		if h == "type" || h == "returns" || strings.HasSuffix(h, " type") {
			return true
		}
	}
	return false
}

// TestSpecFunctions: spec.md §6 documents every builtin and function in
// a table row whose first cell names it (a function with its arguments,
// whose number agrees with lang's table) and that has a type or returns
// column, and runs each in an example.
func TestSpecFunctions(t *testing.T) {
	sections := readSpecSections(t, specFuncSections)
	var rows []specRow
	var examples []string
	for _, lines := range sections {
		rows = append(rows, specTableRows(lines)...)
		examples = append(examples, specExamples(lines)...)
	}
	if len(rows) == 0 || len(examples) == 0 {
		t.Fatalf("found %d table rows and %d examples", len(rows), len(examples))
	}
	for _, n := range specNames() {
		specCheckName(t, n, rows, examples)
	}
}

// specCheckName checks n's row, arguments and example.
func specCheckName(t *testing.T, n specName, rows []specRow, examples []string) {
	t.Helper()
	var spans []string
	typed := false
	for _, r := range rows {
		s := specNamed(r.cells[0], n.name)
		if len(s) == 0 {
			continue
		}
		spans = append(spans, s...)
		if specTypeColumn(r.header) {
			typed = true
			specCheckType(t, n, r)
		}
	}
	calls := spans[:0:0]
	for _, s := range spans {
		if strings.HasPrefix(s, n.name+"(") {
			calls = append(calls, s)
		}
	}
	switch {
	case len(spans) == 0:
		t.Errorf("%s: no row of spec.md §6 names it in its first cell", n.name)
	case n.call && len(calls) == 0:
		t.Errorf("%s: no row of spec.md §6 gives its signature, %s(...), in its first cell", n.name, n.name)
	case !typed:
		t.Errorf("%s: its rows in spec.md §6 are in no table with a type or returns column", n.name)
	}
	if n.checkArity && len(calls) > 0 {
		specCheckArity(t, n, calls)
	}
	if n.withArgs {
		specCheckWithArgs(t, n, calls, examples)
	}
	for _, cmd := range examples {
		if specUses(cmd, n.name, n.call) {
			return
		}
	}
	t.Errorf("%s: no example ($ hawk ...) of spec.md §6 uses it", n.name)
}

// specCheckWithArgs checks that a builtin that takes arguments has a row
// with them, name(...), and an example that passes some.
func specCheckWithArgs(t *testing.T, n specName, calls, examples []string) {
	t.Helper()
	withArgs := false
	for _, s := range calls {
		if _, hi, ok := specArity(s); ok && hi != 0 {
			withArgs = true
		}
	}
	if !withArgs {
		t.Errorf("%s: the checker takes arguments of it; no row of spec.md §6 gives them, %s(...), in its first cell", n.name, n.name)
	}
	for _, cmd := range examples {
		if specUsesAs(cmd, n.name, true, `\s*[^)\s]`) {
			return
		}
	}
	t.Errorf("%s: no example ($ hawk ...) of spec.md §6 calls it with arguments", n.name)
}

// specCheckType checks that a builtin's row, in a table with a type
// column, gives in that column the type lang's table gives it.
func specCheckType(t *testing.T, n specName, r specRow) {
	t.Helper()
	if n.typ == nil || n.call {
		return
	}
	for i, h := range r.header {
		if h != "type" || i >= len(r.cells) {
			continue
		}
		if want := "`" + n.typ.String() + "`"; !strings.Contains(r.cells[i], want) {
			t.Errorf("%s: spec.md §6 gives the type %s; lang's table, %s", n.name, r.cells[i], want)
		}
	}
}

// specCheckArity checks that the signatures the spec writes for n take
// the numbers of arguments lang's table allows, together.
func specCheckArity(t *testing.T, n specName, calls []string) {
	t.Helper()
	least, most := -2, 0
	for _, s := range calls {
		if strings.HasSuffix(s, ", ...)") {
			continue // print(@m, ...): the rest as another row writes it
		}
		lo, hi, ok := specArity(s)
		if !ok {
			t.Errorf("%s: cannot read the signature %q", n.name, s)
			return
		}
		if least == -2 || lo < least {
			least = lo
		}
		if hi < 0 || most >= 0 && hi > most {
			most = hi
		}
	}
	if least == -2 {
		return // every row refers to another
	}
	// `args...` is zero or more arguments in printf(fmt, args...) and one
	// or more in has_key(@m, k...): either reads as lang's table.
	if most < 0 && n.maxArgs < 0 && (n.minArgs == least || n.minArgs == least+1) {
		return
	}
	if least != n.minArgs || most != n.maxArgs {
		t.Errorf("%s: spec.md §6 writes %s, %d to %d arguments; lang takes %d to %d (-1: any number)", n.name, strings.Join(calls, ", "), least, most, n.minArgs, n.maxArgs)
	}
}

// TestSpecArity: specArity reads the signatures as spec.md writes them.
func TestSpecArity(t *testing.T) {
	for _, tc := range []struct {
		span     string
		min, max int
	}{
		{"count()", 0, 0},
		{"str(p[, n])", 1, 2},
		{"print(@m[, top[, div]])", 1, 3},
		{"ntop([af,] addr)", 1, 2},
		{"time([fmt])", 0, 1},
		{"kstack([mode][, limit])", 0, 2},
		{"delete(@m[k])", 1, 1},
		{"delete(@m, k...)", 1, -1},
		{"printf(fmt, args...)", 1, -1},
		{"container_of(p, typeof(T), member)", 3, 3},
		{`getopt("name"[, default[, "desc"]])`, 1, 3},
		{"tseries(int64 n, int64 interval_ns, int64 num_intervals[, string agg])", 3, 4},
	} {
		least, most, ok := specArity(tc.span)
		if !ok || least != tc.min || most != tc.max {
			t.Errorf("specArity(%q) = %d, %d, %v; want %d, %d", tc.span, least, most, ok, tc.min, tc.max)
		}
	}
}

package repl

import (
	"errors"
	"slices"
	"strings"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
)

// entry is one complete input: probe blocks and declarations, or bare
// statements run once as a BEGIN block.
type entry struct {
	src *lang.Source
	// stmts is set for bare statements, parsed with lang.ParseStatements.
	stmts bool
	// printValue wraps a lone expression statement in print(): `@x`,
	// `1 << 20`.
	printValue bool
	// file is set for a .load, whose imports are read.
	file bool
	// mapEntry is set for a lone `@m[key]`, which prints that entry of
	// the map (mapentry.go).
	mapEntry bool
}

// parse parses the entry; every compile parses all entries again, since
// checking rewrites what it checks.
func (e *entry) parse() (*lang.Program, error) {
	var prog *lang.Program
	var err error
	switch {
	case e.stmts:
		prog, err = lang.ParseStatements(e.src)
	case e.file:
		prog, err = lang.ParseFiles(e.src)
	default:
		prog, err = lang.Parse(e.src)
	}
	switch {
	case err == nil && e.mapEntry:
		asKeyCheck(prog)
	case err == nil && e.printValue:
		wrapPrint(prog)
	}
	return prog, err
}

// looksLikeProgram tells probe blocks and declarations from bare
// statements by their first word: an attach point has a ':' or is BEGIN
// or END; declarations begin with their keyword (`let @m = hash(...)`
// declares a map, `let $x` a variable).
func looksLikeProgram(text string) bool {
	t := strings.TrimSpace(text)
	if strings.HasPrefix(t, "#") {
		return true
	}
	word := t
	if i := strings.IndexAny(t, " \t\r\n{/,"); i >= 0 {
		word = t[:i]
	}
	switch word {
	case "BEGIN", "END", "config", "import", "macro", "struct", "union":
		return true
	case "let":
		return strings.HasPrefix(strings.TrimSpace(t[len(word):]), "@")
	}
	provider, _, ok := strings.Cut(word, ":")
	return ok && isIdent(provider) // not `1?2:3`
}

// isIdent reports whether s is a name: a letter or '_', then letters,
// digits and '_'.
func isIdent(s string) bool {
	for i, c := range s {
		letter := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return s != ""
}

// newEntry classifies and parses typed text. It reports incomplete when
// more lines may complete the text; err is then the parser's error about
// the end of the text, which ends the entry if no more lines come. Text
// that more lines cannot mend is an error at once: a closer without its
// opener, or anything the parser refuses before the end of the text (a
// ';' where a ')' is due, a string left open at the end of its line).
func newEntry(name, text string) (e *entry, incomplete bool, err error) {
	e = &entry{src: lang.NewSource(name, text), stmts: !looksLikeProgram(text)}
	_, at, comment := scanBrackets(text)
	if at >= 0 {
		var diags lang.Diagnostics
		diags.AddSpan(e.src, at, at+1, "unexpected '%c': nothing before it opens it", text[at])
		return nil, false, diags
	}
	prog, err := e.parse()
	if err != nil {
		// A comment left open waits for its end, though the parser
		// reports it where it opens.
		return nil, comment || lang.Incomplete(err, e.src), err
	}
	switch {
	case !e.stmts:
	case loneMapEntry(prog) != nil:
		e.mapEntry = true
	case printable(prog):
		e.printValue = true
	}
	return e, false, nil
}

// printable reports whether a statement entry is a lone expression whose
// value should print: not an assignment, an increment or a call (calls
// are printed once checked, if they have a value).
func printable(prog *lang.Program) bool {
	x := loneExpr(prog)
	if x == nil {
		return false
	}
	switch x := x.(type) {
	case *lang.Call:
		return false
	case *lang.UnaryExpr:
		return !x.Op.IsIncDec()
	}
	return true
}

// loneExpr returns the expression of a statement entry made of one
// expression statement.
func loneExpr(prog *lang.Program) lang.Expr {
	if len(prog.Probes) != 1 || len(prog.Probes[0].Body.Stmts) != 1 {
		return nil
	}
	s, ok := prog.Probes[0].Body.Stmts[0].(*lang.ExprStmt)
	if !ok || s.Op != "" {
		return nil
	}
	return s.X
}

// wrapPrint makes the lone expression of a statement entry print(x).
func wrapPrint(prog *lang.Program) {
	s := prog.Probes[0].Body.Stmts[0].(*lang.ExprStmt)
	s.X = &lang.Call{Span: lang.Span{Pos: s.X.Start(), EndPos: s.X.End()}, Name: "print", NameEnd: s.X.Start(), Args: []lang.Expr{s.X}}
}

// brackets returns how many brackets the text leaves open, and the
// offset of the first closer without its opener (-1 for none); strings
// and comments are skipped, and a comment left open counts as a bracket.
func brackets(text string) (depth, unopened int) {
	depth, unopened, comment := scanBrackets(text)
	if comment {
		depth++
	}
	return depth, unopened
}

// scanBrackets is brackets, saying apart whether a comment is left open.
func scanBrackets(text string) (depth, unopened int, comment bool) {
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '"':
			for i++; i < len(text) && text[i] != '"' && text[i] != '\n'; i++ {
				if text[i] == '\\' {
					i++
				}
			}
		case strings.HasPrefix(text[i:], "//"):
			for i < len(text) && text[i] != '\n' {
				i++
			}
		case strings.HasPrefix(text[i:], "/*"):
			end := strings.Index(text[i+2:], "*/")
			if end < 0 {
				return depth, -1, true
			}
			i += end + 3
		case c == '{' || c == '(' || c == '[':
			depth++
		case c == '}' || c == ')' || c == ']':
			depth--
			if depth < 0 {
				return depth, i, false
			}
		}
	}
	return depth, -1, false
}

// compiled is an entry compiled against the session.
type compiled struct {
	out    *codegen.Output
	info   *lang.Info
	probes []*lang.Probe // the entry's probes, as ProgramMeta.Probe numbers them
}

// compile checks the entry together with every earlier one, so that maps
// keep their types, and generates the code of the entry's probes alone.
// Diagnostics about earlier entries' text are left out but for errors.
func (r *REPL) compile(e *entry) (*compiled, error) {
	prog, all, info, err := r.check(e)
	if err != nil {
		return nil, err
	}
	if e.stmts && !e.printValue {
		// A lone call prints its value if it has one: str(...), ksym(...).
		if x, ok := loneExpr(prog).(*lang.Call); ok && info.Types[x] != nil && info.Types[x].Kind != lang.KindVoid {
			e.printValue = true
			return r.compile(e)
		}
	}
	mine := prog.Probes
	sub := all.Subset(func(p *lang.Probe) bool { return slices.Contains(mine, p) })
	out, err := codegen.Generate(sub, info, codegen.Options{CountHits: true, PerfSyscalls: r.cfg.PerfSyscalls, DispatchPerProbe: true})
	if err != nil {
		return nil, err
	}
	return &compiled{out: out, info: info, probes: sub.Probes}, nil
}

// check parses every entry and checks the entry together with the
// earlier ones: it returns the entry's program, all of them combined,
// and what the checker found. Its errors are the entry's, and errors
// about earlier entries; the entry's warnings are printed.
func (r *REPL) check(e *entry) (prog, all *lang.Program, info *lang.Info, err error) {
	var progs []*lang.Program
	for _, old := range r.entries {
		p, err := old.parse()
		if err != nil {
			return nil, nil, nil, err
		}
		progs = append(progs, p)
	}
	if prog, err = e.parse(); err != nil {
		return nil, nil, nil, err
	}
	all = lang.Combine(append(progs, prog)...)
	info, err = lang.Check(all, r.env, r.langConfig())
	var diags lang.Diagnostics
	if errors.As(err, &diags) {
		// Warnings about earlier entries were shown with them.
		return nil, nil, nil, about(diags, e.src, true)
	} else if err != nil {
		return nil, nil, nil, err
	}
	if ws := about(info.Warnings, e.src, false); len(ws) > 0 {
		r.errorf("%s", ws.Error())
	}
	return prog, all, info, nil
}

// about keeps the diagnostics about src, and the errors about any source
// when errs is set.
func about(diags lang.Diagnostics, src *lang.Source, errs bool) lang.Diagnostics {
	var kept lang.Diagnostics
	for _, d := range diags {
		if d.Src == src || errs && d.Severity == lang.Error {
			kept = append(kept, d)
		}
	}
	return kept
}

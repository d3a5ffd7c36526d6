package repl

import (
	"strings"

	"github.com/hawktrace/hawk/lang"
)

// A lone `@m[key]` typed prints that entry of the map as print(@m)
// prints its entries, for a map of any kind: `@lat["bash"]` prints the
// histogram of that key, which no probe may read. The key is evaluated
// in user space: the checker types `has_key(@m, key)` in its place,
// which finds the map and converts the key as a read would, without
// reading the value, and folds the key to constants; the runtime then
// reads the map and prints the entries with that key. A key the checker
// cannot fold (`@m[pid]`) is read by a probe as before, for the maps a
// probe may read.

// loneMapEntry returns the lone `@m[key]` of a statement entry.
func loneMapEntry(prog *lang.Program) *lang.MapExpr {
	if m, ok := loneExpr(prog).(*lang.MapExpr); ok && len(m.Keys) > 0 {
		return m
	}
	return nil
}

// asKeyCheck puts has_key(@m, key) in the place of a map entry's lone
// `@m[key]`.
func asKeyCheck(prog *lang.Program) {
	s := prog.Probes[0].Body.Stmts[0].(*lang.ExprStmt)
	m := s.X.(*lang.MapExpr)
	args := append([]lang.Expr{&lang.MapExpr{Span: m.Span, Name: m.Name}}, m.Keys...)
	s.X = &lang.Call{Span: m.Span, Name: "has_key", NameEnd: m.Pos, Args: args}
}

// printEntry prints the entry a lone `@m[key]` names.
func (r *REPL) printEntry(e *entry) {
	prog, _, info, err := r.check(e)
	if err != nil {
		r.report(err)
		return
	}
	call := loneExpr(prog).(*lang.Call)
	name := call.Args[0].(*lang.MapExpr).Name
	var key []lang.Const
	for _, k := range call.Args[1:] {
		c, ok := info.Consts[k]
		if !ok {
			if v := info.Maps[name].Value; v != nil && v.IsReadable() {
				// A probe reads it, as it reads any expression.
				e.mapEntry, e.printValue = false, true
				r.run(e)
				return
			}
			kind, _, _ := strings.Cut(info.Maps[name].Value.String(), " ") // hist_t (3 bits)
			var diags lang.Diagnostics
			diags.AddSpan(e.src, k.Start().Offset, k.End().Offset,
				"a %s() map prints the entry of a key known without running a probe (a literal or a constant expression); print(%s) prints them all",
				strings.TrimSuffix(kind, "_t"), name)
			r.report(diags)
			return
		}
		key = append(key, c)
	}
	found, err := r.live.PrintMapEntry(name, key)
	switch {
	case err != nil:
		r.report(err)
	case !found:
		r.errorf("%s is not in the map", e.src.Snippet(call.Pos.Offset, call.EndPos.Offset))
	}
}

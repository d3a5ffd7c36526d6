package lang

import (
	"strings"

	"github.com/hawktrace/hawk/internal/lazyre"
)

// Scripts written for bpftrace guard C declarations with conditionals, as
// Debian's runqlen.bt does:
//
//	#ifndef BPFTRACE_HAVE_BTF
//	struct cfs_rq { ... };
//	#endif
//
// preprocess drops the items inside conditionals that are false. A name is
// defined when an earlier #define names it, and BPFTRACE_HAVE_BTF is
// always defined: hawk takes kernel types from BTF. `#if` takes a number
// or defined(NAME); anything else counts as true. (The script's #define,
// #undef and #include lines themselves go through lang/cpp, which the
// checker runs: headers.go.)

var (
	condLine   = lazyre.New(`^#\s*(ifdef|ifndef|if|elif|else|endif)\b\s*(.*)$`)
	definedArg = lazyre.New(`^!?\s*defined\s*\(?\s*([A-Za-z_]\w*)\s*\)?$`)
	defineName = lazyre.New(`^#\s*define\s+([A-Za-z_]\w*)`)
)

// cond is one open conditional.
type cond struct {
	active bool // the current branch is taken
	taken  bool // some branch was taken
	outer  bool // the enclosing region is active
}

func preprocess(src *Source, items []Item, diags *Diagnostics) []Item {
	defined := map[string]bool{"BPFTRACE_HAVE_BTF": true}
	var stack []cond
	var opened []*Directive // the #if of each open conditional
	active := func() bool { return len(stack) == 0 || stack[len(stack)-1].active }
	var out []Item
	for _, it := range items {
		d, ok := it.(*Directive)
		if !ok {
			if active() {
				out = append(out, it)
			}
			continue
		}
		text := strings.TrimSpace(d.Text)
		m := condLine.Get().FindStringSubmatch(text)
		if m == nil {
			if active() {
				if dm := defineName.Get().FindStringSubmatch(text); dm != nil {
					defined[dm[1]] = true
				}
				out = append(out, it)
			}
			continue
		}
		arg := strings.TrimSpace(m[2])
		switch m[1] {
		case "ifdef", "ifndef", "if":
			v := condValue(m[1], arg, defined)
			outer := active()
			stack = append(stack, cond{active: outer && v, taken: v, outer: outer})
			opened = append(opened, d)
		case "elif":
			if len(stack) == 0 {
				diags.Add(src, d, "#elif without #if")
			} else {
				top := &stack[len(stack)-1]
				v := !top.taken && condValue("if", arg, defined)
				top.active, top.taken = top.outer && v, top.taken || v
			}
		case "else":
			if len(stack) == 0 {
				diags.Add(src, d, "#else without #if")
			} else {
				top := &stack[len(stack)-1]
				top.active, top.taken = top.outer && !top.taken, true
			}
		case "endif":
			if len(stack) == 0 {
				diags.Add(src, d, "#endif without #if")
			} else {
				stack, opened = stack[:len(stack)-1], opened[:len(opened)-1]
			}
		}
	}
	for _, d := range opened {
		diags.Add(src, d, "this conditional has no #endif")
	}
	if len(opened) > 0 {
		return items // reported: check the rest as if it were all in
	}
	return out
}

// condValue evaluates the condition of #ifdef, #ifndef or #if.
func condValue(kind, arg string, defined map[string]bool) bool {
	switch kind {
	case "ifdef":
		return defined[arg]
	case "ifndef":
		return !defined[arg]
	}
	if m := definedArg.Get().FindStringSubmatch(arg); m != nil {
		return defined[m[1]] != strings.HasPrefix(arg, "!")
	}
	if v, err := parseInt(arg); err == nil {
		return v != 0
	}
	return true
}

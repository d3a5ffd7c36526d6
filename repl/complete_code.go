package repl

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/hawktrace/hawk/internal/lazyre"
	"github.com/hawktrace/hawk/lang"
)

// Completion inside code: the members of typed expressions, variables
// and maps of the entry, and the signatures of builtins and functions.

// inPredicate reports whether text, a probe entry outside its block,
// has reached the predicate: a word after the attach points begins with
// '/'.
func inPredicate(text string) bool {
	fields := strings.Fields(text)
	for _, f := range fields[min(1, len(fields)):] {
		if strings.HasPrefix(f, "/") {
			return true
		}
	}
	return false
}

// mapsIn and variablesIn find the maps and the scratch variables a text
// names.
var (
	mapsIn      = lazyre.New(`@[A-Za-z_][A-Za-z0-9_]*`)
	variablesIn = lazyre.New(`\$[A-Za-z_][A-Za-z0-9_]*`)
)

// mapNames lists the session's maps and those the entry typed so far
// names.
func (r *REPL) mapNames(typed string) []string {
	return append(slices.Clone(r.maps), mapsIn.Get().FindAllString(typed, -1)...)
}

// variables lists the scratch variables the entry typed so far names.
func variables(typed string) []string { return variablesIn.Get().FindAllString(typed, -1) }

// members lists what may follow the `.` or `->` that ends text, the entry
// typed so far: the checker types the expression before it in its probe,
// with the maps of the session's entries.
func (r *REPL) members(text string, stmts bool) []string {
	if r.env == nil {
		return nil
	}
	var prior []*lang.Program
	for _, e := range r.entries {
		if p, err := e.parse(); err == nil {
			prior = append(prior, p)
		}
	}
	return lang.Members(prior, text, stmts, r.env, r.langConfig())
}

// showSignature shows the signatures of the builtin or function a Tab
// is pressed on, once its name is whole: right after `NAME(`, or on a
// builtin's name that nothing longer extends. (The first Tab completes
// `printf` to `printf(` and `nsec` to `nsecs`; the second shows them.) It
// reports whether it showed any.
func (r *REPL) showSignature(before, word string) bool {
	var name string
	switch {
	case word == "" && strings.HasSuffix(before, "("):
		open := len(before) - 1
		name = before[strings.LastIndexAny(before[:open], wordStops)+1 : open]
	default:
		if words := codeWords(word, nil); len(words) == 1 && words[0] == word {
			name = word
		}
	}
	var lines []string
	for _, d := range lang.DocsOf(name) {
		if d.Kind != lang.DocProbe {
			lines = append(lines, fmt.Sprintf("  %s\t%s", d.Sig, d.Text))
		}
	}
	if len(lines) == 0 {
		return false
	}
	r.writeTable(lines)
	return true
}

// writeTable writes lines whose cells tabs separate, aligned, to Stderr
// in one write: on a terminal, above the line being edited.
func (r *REPL) writeTable(lines []string) {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
	w.Flush()
	io.WriteString(r.cfg.Stderr, b.String())
}

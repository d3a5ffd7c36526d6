package lang

import (
	"slices"
	"strings"
	"testing"
)

// TestSpecHelp: every builtin, function and probe kind has a Doc, the
// REPL's .help NAME, with a signature and a line of text; each is listed
// in spec.md (§6 names every builtin and function in a row's first cell,
// §3's table every provider, with the attach points its Doc writes).
func TestSpecHelp(t *testing.T) {
	var rows []specRow
	for _, lines := range readSpecSections(t, [][2]string{{"## 3. ", "## 4. "}, {"## 6. ", "## 7. "}}) {
		rows = append(rows, specTableRows(lines)...)
	}
	docs := Docs()
	if want := len(Builtins()) + len(Funcs()) + len(ProbeKinds()); len(docs) != want {
		t.Fatalf("%d docs, want one for each of the %d builtins, functions and probe kinds", len(docs), want)
	}
	for _, d := range docs {
		if d.Sig == "" || d.Text == "" || strings.Contains(d.Text, "\n") {
			t.Errorf("%s %s: signature %q, text %q: want both, on a line", d.Kind, d.Name, d.Sig, d.Text)
		}
		if got := DocsOf(d.Name); len(got) == 0 || !slices.Contains(got, d) {
			t.Errorf("%s %s: DocsOf(%q) is %v", d.Kind, d.Name, d.Name, got)
		}
		listed := false
		for _, r := range rows {
			switch {
			case d.Kind == DocProbe && r.header[0] == "provider" && len(specNamed(r.cells[0], d.Name)) > 0:
				listed = true
				// The Doc's attach point begins as the row's first does.
				first := codeSpan.FindStringSubmatch(r.cells[2])
				if first == nil || !strings.HasPrefix(d.Sig, strings.SplitN(first[1], ":", 2)[0]) {
					t.Errorf("probe %s: the doc writes %q, spec.md §3 %q", d.Name, d.Sig, r.cells[2])
				}
			case d.Kind != DocProbe && len(specNamed(r.cells[0], d.Name)) > 0:
				listed = true
			}
		}
		if !listed {
			t.Errorf("%s %s: no row of spec.md lists it", d.Kind, d.Name)
		}
		if d.Kind == DocFunc && !strings.Contains(d.Sig, d.Name+"(") {
			t.Errorf("function %s: its signature %q does not call it", d.Name, d.Sig)
		}
	}
}

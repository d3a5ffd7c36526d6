package lang

import (
	"regexp"
	"strings"
	"testing"
)

// TestSpecProbeKinds: spec.md §3's table has a row for every probe kind,
// its provider name in the first cell and its aliases in the second.
func TestSpecProbeKinds(t *testing.T) {
	rows := specTableRows(readSpecSections(t, [][2]string{{"## 3. ", "## 4. "}})[0])
	for _, k := range ProbeKinds() {
		info := probeKinds[k]
		var row *specRow
		for i, r := range rows {
			if r.header[0] == "provider" && len(specNamed(r.cells[0], info.name)) > 0 {
				row = &rows[i]
			}
		}
		if row == nil {
			t.Errorf("%s: no row of spec.md §3's table of providers", info.name)
			continue
		}
		var aliases []string
		for _, m := range codeSpan.FindAllStringSubmatch(row.cells[1], -1) {
			aliases = append(aliases, m[1])
		}
		if strings.Join(aliases, " ") != strings.Join(info.aliases, " ") {
			t.Errorf("%s: spec.md §3 gives the aliases %q; lang has %q", info.name, aliases, info.aliases)
		}
	}
}

// TestSpecProbeExamples: an example of spec.md §3 attaches a probe of
// every kind, spelled by its name or an alias.
func TestSpecProbeExamples(t *testing.T) {
	examples := specExamples(readSpecSections(t, [][2]string{{"## 3. ", "## 4. "}})[0])
	for _, k := range ProbeKinds() {
		found := false
		for _, spelling := range providerSpellings(k) {
			pat := regexp.MustCompile(`(^|[\s'"{},])` + regexp.QuoteMeta(spelling) + `(:|\s*[{/,])`)
			for _, cmd := range examples {
				if pat.MatchString(cmd) {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("%s: no example ($ hawk ...) of spec.md §3 attaches a probe of the kind", k)
		}
	}
}

package lang

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/golden"
)

// errorMarker is an expected error written inline in a test script, right
// after the span the error is about: `nsec /* ERROR "unknown identifier" */`.
var errorMarker = regexp.MustCompile(`/\* ERROR "((?:[^"\\]|\\.)*)" \*/`)

// TestErrorsInline checks every testdata/errors/*.bt: each diagnostic must
// end right before an ERROR comment whose pattern matches its message, and
// each ERROR comment must be matched.
func TestErrorsInline(t *testing.T) {
	golden.ForEach(t, "testdata/errors/*.bt", func(t *testing.T, file, text string) {
		src := NewSource(file, text)
		var diags Diagnostics
		prog, err := Parse(src)
		if err != nil {
			diags = err.(Diagnostics)
		}
		if prog != nil {
			if _, err := Check(prog, testEnv{}, Config{}); err != nil {
				diags = append(diags, err.(Diagnostics)...)
			}
		}
		markers := errorMarker.FindAllStringSubmatchIndex(src.Text, -1)
		matched := make([]bool, len(markers))
	diag:
		for _, d := range diags {
			for i, m := range markers {
				between := src.Text[min(d.End, m[0]):m[0]]
				if matched[i] || d.End > m[0] || strings.TrimSpace(between) != "" {
					continue
				}
				pattern := src.Text[m[2]:m[3]]
				if !regexp.MustCompile(pattern).MatchString(d.Msg) {
					t.Errorf("%s: message %q does not match %q", d.Pos(), d.Msg, pattern)
				}
				matched[i] = true
				continue diag
			}
			t.Errorf("unexpected diagnostic:\n%s", d.Error())
		}
		for i, m := range markers {
			if !matched[i] {
				t.Errorf("%s: expected error %q was not reported", src.Pos(m[0]), src.Text[m[2]:m[3]])
			}
		}
	})
}

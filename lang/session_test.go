package lang

import (
	"strings"
	"testing"
)

// TestSessionDeclarations: a REPL session's entries so far may be
// declarations alone (Config.Session): no probes is not an error there,
// and a map declared is not "never used", since a later entry may use it.
// A script is told both.
func TestSessionDeclarations(t *testing.T) {
	text := "config = { max_strlen = 8 }\nlet @m = hash(10);\nmacro twice(x) { x * 2 }\nstruct P { int a; }\n"
	info, err := checkWithIncludes(t, text, Config{Session: true})
	if err != nil || len(info.Warnings) > 0 {
		t.Errorf("a session's declarations: %v, warnings %v", err, info.Warnings)
	}
	_, err = checkWithIncludes(t, text, Config{})
	if err == nil || !strings.Contains(err.Error(), "the script has no probes") || !strings.Contains(err.Error(), "@m is declared but never used") {
		t.Errorf("a script of declarations: %v", err)
	}
}

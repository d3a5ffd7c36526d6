package runtime_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
)

// TestSharedIncr: counts of a program with several count() sites go
// through one shared function, which counts, inserts, and counts the
// updates a full map refuses (MapFull, from the counter that adds the
// helper's -E2BIG).
func TestSharedIncr(t *testing.T) {
	kerneltest.Require(t)
	const text = `let @a = percpuhash(3);
		BEGIN { $i = 0; unroll(5) { @a[$i] = count(); @b[$i % 2] = count(); @h[$i % 2] = hist($i); $i++; } exit(); }`
	script, err := hawk.Compile(lang.NewSource("incr.bt", text), hawk.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr kerneltest.Buffer
	s, err := runtime.Load(script.Out, runtime.Options{Stdout: &stdout, Stderr: &stderr})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	c, err := s.Counters()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.MapFull["@a"]; got != 2 {
		t.Errorf("@a refused %d updates, want 2", got)
	}
	for _, want := range []string{"@a[0]: 1\n@a[1]: 1\n@a[2]: 1\n", "@b[1]: 2\n@b[0]: 3\n",
		"@h[0]:\n[0]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n[1]                    0 |                                                    |\n[2, 4)                 1 |"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
	if !strings.Contains(stderr.String(), "Map full") {
		t.Errorf("no warning of the full map: %s", stderr.String())
	}
}

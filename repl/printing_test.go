package repl

import (
	"strings"
	"testing"
)

// TestStopPrinting: what Ctrl-C on an empty line does detaches the probes
// that print and ran lately, says which, and leaves the others and the
// maps.
func TestStopPrinting(t *testing.T) {
	s := startSession(t)
	s.send(`interval:ms:20 { printf("tick %d\n", @n++); }`)
	s.send(`interval:ms:20 { @quiet = count(); }`)
	s.send(`interval:s:100 { printf("rare\n"); }`)
	s.waitOut(`tick 3\n`)
	s.stderr.Reset()
	s.r.stopPrinting() // the REPL waits for a line meanwhile
	if got := s.stderr.String(); got != "detached [1] interval:ms:20\n" {
		t.Errorf("stderr %q, want the probe that printed detached", got)
	}
	var left []int
	for _, p := range s.r.attached() {
		left = append(left, p.num)
	}
	if len(left) != 2 || left[0] != 2 || left[1] != 3 {
		t.Errorf("probes %v attached, want [2 3]", left)
	}
	s.mark()
	s.send("@n")
	if out := s.waitOut(`@n: \d+\n`); strings.Contains(out[0], "@n: 0") {
		t.Errorf("the map of the probe detached was lost: %q", out)
	}
}

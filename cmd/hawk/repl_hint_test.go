package main

import (
	"strings"
	"testing"
)

// TestREPLHint: `hawk` with no arguments on a terminal opens the REPL
// with a hint of .help and how to leave, one line of 80 columns at most;
// .quit leaves.
func TestREPLHint(t *testing.T) {
	term := startTerminalArgs(t, nil)
	s := term.screen()
	lines := strings.Split(strings.TrimRight(s, " \n"), "\n")
	want := ": type probes and expressions; .help for help; .quit or Ctrl-D leaves"
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "hawk ") || !strings.HasSuffix(lines[0], want) || len(lines[0]) > 80 {
		t.Errorf("want one line of hint that fits 80 columns, then the prompt:\n%s", s)
	}
	term.keys(".quit", "Enter")
	term.waitFor(`\nEXITED 0\n`)
}

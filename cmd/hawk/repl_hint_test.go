package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// TestREPLHint: `hawk` with no arguments on a terminal opens the REPL
// with a hint of .help and how to leave, one line of 80 columns at most;
// .quit leaves.
func TestREPLHint(t *testing.T) {
	kerneltest.Require(t)
	if _, err := exec.LookPath("tmux"); err != nil {
		kerneltest.Missing(t, "the terminal test needs tmux: %v", err)
	}
	term := &terminal{t: t, socket: fmt.Sprintf("hawk-test-%d-%d", os.Getpid(), terminals.Add(1))}
	term.tmux("new-session", "-d", "-s", "hawk", "-x", "150", "-y", "50", "env TERM=xterm "+hawkBin+"; echo EXITED $?; sleep 60")
	t.Cleanup(func() { exec.Command("tmux", "-L", term.socket, "kill-server").Run() })
	s := term.waitScreen("the prompt", func(s string) bool { return lastLine(s) == "hawk>" })
	lines := strings.Split(strings.TrimRight(s, " \n"), "\n")
	want := ": type probes and expressions; .help for help; .quit or Ctrl-D leaves"
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "hawk ") || !strings.HasSuffix(lines[0], want) || len(lines[0]) > 80 {
		t.Errorf("want one line of hint that fits 80 columns, then the prompt:\n%s", s)
	}
	term.keys(".quit", "Enter")
	term.waitFor(`\nEXITED 0\n`)
}

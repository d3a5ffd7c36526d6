package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The defects and abilities of issue 17 the pipe tests hold, driven once
// more on a terminal, as a user meets them: a map's entry typed alone,
// the probe numbers after entries that attach nothing, and .save.

// TestREPLTerminalMapEntry: @h["bash"] prints that key's histogram on
// the terminal, where it said "cannot be read inside a probe".
func TestREPLTerminalMapEntry(t *testing.T) {
	term := startTerminal(t, "HAWK_HISTORY="+filepath.Join(t.TempDir(), "history"))
	term.keys(`BEGIN { @h["bash"] = hist(5); @h["sh"] = hist(100); }`, "Enter")
	term.waitScreen("the prompt", func(s string) bool { return lastLine(s) == "hawk>" })
	term.keys(`@h["bash"]`, "Enter")
	s := term.waitFor(`@h\[bash\]:\n\[4, 8\) +1 \|@+\|\n`)
	if strings.Contains(s, "cannot be read") || strings.Contains(s, "[64, 128)") {
		t.Errorf("@h[\"bash\"] printed another key or an error:\n%s", s)
	}
}

// TestREPLTerminalProbeNumbers: an entry that fails to attach, and a
// BEGIN that ran, take no number: the next probe attached is [1].
func TestREPLTerminalProbeNumbers(t *testing.T) {
	term := startTerminal(t, "HAWK_HISTORY="+filepath.Join(t.TempDir(), "history"))
	term.keys(`tracepoint:nope:nope { }`, "Enter")
	term.waitFor(`error`)
	term.waitScreen("the prompt after the error", func(s string) bool { return lastLine(s) == "hawk>" })
	term.keys(`BEGIN { @x = 1; }`, "Enter")
	term.waitScreen("the prompt after BEGIN", func(s string) bool { return lastLine(s) == "hawk>" })
	term.keys(`interval:s:10 { @z = 1; }`, "Enter")
	s := term.waitFor(`\[1\] interval:s:10\n`)
	if strings.Contains(s, "[2]") {
		t.Errorf("a probe number was skipped or taken twice:\n%s", s)
	}
}

// TestREPLTerminalSave: a session typed on the terminal and saved with
// .save runs with `hawk FILE` to the same output.
func TestREPLTerminalSave(t *testing.T) {
	file := filepath.Join(t.TempDir(), "saved.bt")
	term := startTerminal(t, "HAWK_HISTORY="+filepath.Join(t.TempDir(), "history"))
	term.keys(`let @m = hash(10); `, "Enter") // a space: tmux takes a last ";" for its own
	term.waitScreen("the prompt after the declaration", func(s string) bool { return lastLine(s) == "hawk>" })
	term.keys(`BEGIN { printf("hello\n"); @m["b"] = 1; }`, "Enter")
	term.waitFor(`(?m)^hello$`)
	// Saved while attached: .save writes the probes attached now.
	term.keys(`interval:s:3 { @m["t"] = 2; printf("tick\n"); exit(); }`, "Enter")
	term.waitFor(`\[1\] interval:s:3\n`)
	term.keys(".save "+file, "Enter")
	term.waitFor(`saved 2 probes to ` + regexp.QuoteMeta(file))
	term.waitFor(`(?m)^tick$`)
	out, err := exec.Command(hawkBin, file).Output()
	if err != nil {
		script, _ := os.ReadFile(file)
		t.Fatalf("hawk %s: %v\n%s", file, err, script)
	}
	if want := "hello\ntick\n\n\n@m[b]: 1\n@m[t]: 2\n"; string(out) != want {
		script, _ := os.ReadFile(file)
		t.Errorf("hawk %s printed %q, want %q; the script:\n%s", file, out, want, script)
	}
}

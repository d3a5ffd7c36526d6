package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Issue 17's REPL defects, each driven as a user met it.

// TestREPLNeverTrapped: an entry more lines cannot mend is an error at
// once; a line that begins with '.' is a command inside an unfinished
// entry too, which stays; two empty lines end the entry with the
// parser's error.
func TestREPLNeverTrapped(t *testing.T) {
	term := startTerminal(t, "HAWK_HISTORY="+filepath.Join(t.TempDir(), "history"))
	term.keys("BEGIN { @a = (1 ; }", "Enter")
	term.waitFor(`in\[1\]:1:17: error: expected "\)", found ";"\n\s+BEGIN \{ @a = \(1 ; \}\n\s+\^\n`)
	term.waitScreen("the prompt after the error", func(s string) bool { return lastLine(s) == "hawk>" })

	term.keys("BEGIN { @b = 1", "Enter")
	term.waitScreen("the continuation prompt", func(s string) bool { return lastLine(s) == "..." })
	term.keys(".maps", "Enter")
	term.waitFor(`no maps\nin\[2\] is unfinished: type the rest of it, or Ctrl-C to drop it\n`)
	term.waitScreen("the continuation prompt after .maps", func(s string) bool { return lastLine(s) == "..." })
	term.keys("Enter")
	term.waitScreen("the continuation prompt after an empty line", func(s string) bool { return lastLine(s) == "..." })
	term.keys("Enter")
	term.waitFor(`in\[2\]:1:15: error: unexpected end of input: missing '\}'\n`)
	term.waitScreen("the prompt after two empty lines", func(s string) bool { return lastLine(s) == "hawk>" })

	// The session goes on, numbering entries on.
	term.keys("1 + 2", "Enter")
	term.waitFor(`(?m)^3$`)
}

// TestREPLHistoryWholeEntry: Up brings an entry typed over lines back
// whole, on one line that runs as the lines did, a comment in it ended
// where its line was; the history file keeps it so.
func TestREPLHistoryWholeEntry(t *testing.T) {
	history := filepath.Join(t.TempDir(), "history")
	term := startTerminal(t, "HAWK_HISTORY="+history)
	term.keys("interval:s:10 { // every ten seconds", "Enter")
	term.keys("  @n = count()", "Enter")
	term.keys("}", "Enter")
	term.waitFor(`\[1\] interval:s:10\n`)
	whole := "interval:s:10 { /* every ten seconds */ @n = count() }"
	term.keys("Up")
	term.waitScreen("the whole entry recalled", func(s string) bool { return lastLine(s) == "hawk> "+whole })
	term.keys("Enter")
	term.waitFor(`\[2\] interval:s:10\n`)
	term.keys("C-d")
	term.waitFor(`EXITED 0`)
	h, err := os.ReadFile(history)
	if err != nil || !strings.Contains(string(h), whole+"\n") || strings.Contains(string(h), "\n  @n = count()\n") {
		t.Errorf("the history file holds %q (%v), want the entry on one line", h, err)
	}
}

// TestREPLWatchNoMap: .watch of a map that does not exist says so and
// leaves the screen as it was.
func TestREPLWatchNoMap(t *testing.T) {
	term := startTerminal(t, "HAWK_HISTORY="+filepath.Join(t.TempDir(), "history"))
	term.keys("40 + 2", "Enter")
	term.waitFor(`(?m)^42$`)
	term.keys(".watch @nope", "Enter")
	term.waitFor(`hawk: error: .watch: no map @nope`)
	term.waitScreen("the prompt", func(s string) bool { return lastLine(s) == "hawk>" })
	if s := term.visible(); !regexp.MustCompile(`(?m)^42$`).MatchString(s) {
		t.Errorf(".watch cleared the screen before its error:\n%s", s)
	}
}

// TestREPLMapEntry: a lone @map[key] prints that entry, as print() prints
// a map's entries, for maps no probe may read (hist, lhist, stats) and
// the others alike; the key is any constant expression.
func TestREPLMapEntry(t *testing.T) {
	stdout, stderr := replPipe(t,
		`BEGIN { @h["bash"] = hist(5); @h["sh"] = hist(100); @l["x", 2] = lhist(3, 0, 10, 1); @s[7] = stats(3); @c["bash"] = count(); }`,
		`@h["bash"]`,
		`@l["x", 1 + 1]`,
		`@s[7]`,
		`@c["bash"]`,
		`@c["nope"]`,
		`@h[comm]`,
	)
	bar := strings.Repeat("@", 52)
	want := "@h[bash]:\n[4, 8)                 1 |" + bar + "|\n\n" +
		"@l[x, 2]:\n[3]                    1 |" + bar + "|\n\n" +
		"@s[7]: { .count = 1, .average = 3, .total = 3 }\n" +
		"@c[bash]: 1\n"
	if !strings.HasPrefix(stdout, want) {
		t.Errorf("stdout:\n%s\nwant it to begin with:\n%s", stdout, want)
	}
	for _, w := range []string{
		"@c[\"nope\"] is not in the map\n",
		"in[7]:1:4: error: a hist() map prints the entry of a key known without running a probe (a literal or a constant expression); print(@h) prints them all\n    @h[comm]\n       ^~~~\n",
	} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
	if strings.Contains(stderr, "cannot be read inside a probe") {
		t.Errorf("a map entry was refused:\n%s", stderr)
	}
}

// TestREPLProbeNumbers: only the probes attached take a number: a BEGIN
// that ran, an entry that exit() ended or that failed takes none.
func TestREPLProbeNumbers(t *testing.T) {
	_, stderr := replPipe(t,
		`tracepoint:nope:nope { }`,
		`BEGIN { @x = 1; }`,
		`BEGIN { exit(); }`,
		`BEGIN { @y = 1; } interval:s:10 { @z = 1; }`,
		`interval:s:20 { }`,
		`.probes`,
	)
	got := regexp.MustCompile(`(?m)^\[\d+\] .*$|^\s+\d+\s+\d+\s+\S+$`).FindAllString(stderr, -1)
	want := []string{"[1] interval:s:10", "[2] interval:s:20", "   1          0  interval:s:10", "   2          0  interval:s:20"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("probe lines %q, want %q; stderr:\n%s", got, want, stderr)
	}
}

// TestREPLCtrlCStopsPrinting: Ctrl-C with text typed clears the line;
// Ctrl-C on an empty line, while a probe floods the screen, detaches the
// probes that print and says which; the others stay, and so do the maps.
func TestREPLCtrlCStopsPrinting(t *testing.T) {
	term := startTerminal(t, "HAWK_HISTORY="+filepath.Join(t.TempDir(), "history"))
	term.keys(`interval:ms:20 { printf("tick %d\n", @n++); }`, "Enter")
	term.waitFor(`\[1\] interval:ms:20\n`)
	term.keys(`interval:ms:50 { @quiet = count(); }`, "Enter")
	term.waitFor(`\[2\] interval:ms:50\n`)
	term.waitFor(`tick 20\n`)

	term.keys("abc")
	term.waitScreen("the text typed below the ticks", func(s string) bool { return lastLine(s) == "hawk> abc" })
	term.keys("C-c")
	term.waitScreen("a cleared line", func(s string) bool { return lastLine(s) == "hawk>" })
	term.keys(".probes", "Enter")
	term.waitFor(`(?m)^\s+1\s+\d+\s+interval:ms:20\n(.*\n)*\s+2\s+\d+\s+interval:ms:50$`)
	if strings.Contains(term.screen(), "detached") {
		t.Fatalf("Ctrl-C with text typed detached a probe:\n%s", term.screen())
	}

	term.keys("C-c")
	term.waitFor(`\ndetached \[1\] interval:ms:20\n`)
	term.waitScreen("the prompt", func(s string) bool { return lastLine(s) == "hawk>" })
	term.keys(".probes", "Enter")
	s := term.waitFor(`HITS  PROBE\n\s+2\s+\d+\s+interval:ms:50\nhawk>`)
	if strings.Contains(s, "detached [2]") {
		t.Errorf("Ctrl-C detached a probe that prints nothing:\n%s", s)
	}
	term.keys("@n", "Enter")
	term.waitFor(`(?m)^@n: [1-9]\d*$`)
}

// replPipe types lines into hawk --repl through a pipe, and returns what
// it wrote to stdout and stderr.
func replPipe(t *testing.T, lines ...string) (stdout, stderr string) {
	t.Helper()
	cmd := hawkCmd(t, "--repl")
	cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
	var out, errs strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		t.Fatalf("hawk --repl: %v\n%s", err, errs.String())
	}
	return out.String(), errs.String()
}

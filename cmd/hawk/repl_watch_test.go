package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// visible is what the pane shows now, without its history (while .watch
// runs, the alternate screen it draws on), its lines' trailing blank
// runs with their trailing spaces cut.
func (term *terminal) visible() string {
	s := term.tmux("capture-pane", "-p", "-J", "-t", "hawk")
	return regexp.MustCompile(`(?m) +$`).ReplaceAllString(s, "")
}

// waitVisible waits until ok holds for what the pane shows, and returns
// it.
func (term *terminal) waitVisible(what string, ok func(string) bool) string {
	term.t.Helper()
	return term.poll("the pane", what, term.visible, ok)
}

// attach types probes and waits for the number of the last, whose
// attach point is last.
func (term *terminal) attach(probes, last string) {
	term.t.Helper()
	term.keys(probes, "Enter")
	term.waitFor(`\[\d+\] ` + regexp.QuoteMeta(last) + `\n`)
}

// TestREPLWatchRateTop: `.watch @m 1s rate top 2` shows the two entries
// that grow fastest, per second, and not the third.
func TestREPLWatchRateTop(t *testing.T) {
	term := startTerminal(t)
	term.attach(`interval:ms:100 { @m["slow"] = sum(1); @m["mid"] = sum(10); @m["fast"] = sum(100); }`, "interval:ms:100")
	term.keys(".watch @m 1s rate top 2", "Enter")
	term.waitVisible("the header", func(s string) bool {
		return strings.HasPrefix(s, "Every 1s: @m, change per second, top 2   (Enter or Ctrl-C stops)\n")
	})
	s := term.waitVisible("the rates", func(s string) bool { return strings.Contains(s, "@m[fast]: ") })
	rates := regexp.MustCompile(`@m\[mid\]: (\d+)\n@m\[fast\]: (\d+)\n`).FindStringSubmatch(s)
	if rates == nil || strings.Contains(s, "slow") {
		t.Fatalf("want @m[mid] then @m[fast], not @m[slow]:\n%s", s)
	}
	// About 10 ticks a second: a rate of about 100 and 1000 a second.
	mid, _ := strconv.Atoi(rates[1])
	fast, _ := strconv.Atoi(rates[2])
	// The two are read one after the other: a tick may come between.
	if mid < 50 || mid > 150 || fast < 10*mid-200 || fast > 10*mid+200 {
		t.Errorf("rates %d and %d, want about 100 and ten times that:\n%s", mid, fast, s)
	}
	term.keys("C-c")
	s = term.waitScreen("the prompt after Ctrl-C", func(s string) bool { return lastLine(s) == "hawk>" })
	if !strings.Contains(s, "hawk> .watch @m 1s rate top 2\n") || strings.Contains(s, "Every 1s") {
		t.Errorf("the session's screen did not come back as it was:\n%s", s)
	}
}

// TestREPLWatchInPlace: several maps at once, a histogram among them,
// redrawn in place (one header on the screen however many intervals
// pass), and Enter ends the watch without reaching the line editor.
func TestREPLWatchInPlace(t *testing.T) {
	term := startTerminal(t)
	term.attach(`interval:ms:50 { @c = count(); @h = hist(@c * 10); }`, "interval:ms:50")
	term.keys(".watch @c @h 100ms", "Enter")
	tick := func(s string) int {
		m := regexp.MustCompile(`\n@c: (\d+)\n`).FindStringSubmatch(s)
		if m == nil {
			return -1
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	first := tick(term.waitVisible("@c", func(s string) bool { return tick(s) > 0 }))
	s := term.waitVisible("@c grown by ten", func(s string) bool { return tick(s) >= first+10 })
	if n := strings.Count(s, "Every 100ms: @c @h   (Enter or Ctrl-C stops)"); n != 1 || !strings.HasPrefix(s, "Every") {
		t.Errorf("the header shows %d times, want once at the top:\n%s", n, s)
	}
	if !regexp.MustCompile(`\n@c: \d+\n\n@h:\n\[\d+, \d+\) +\d+ \|@*\s*\|\n`).MatchString(s) {
		t.Errorf("want @c, then @h's histogram:\n%s", s)
	}
	term.keys("Enter")
	s = term.waitScreen("the prompt after Enter", func(s string) bool { return lastLine(s) == "hawk>" })
	if !strings.HasSuffix(strings.TrimRight(s, " \n"), "hawk> .watch @c @h 100ms\nhawk>") {
		t.Errorf("Enter reached the line editor, or the screen did not come back:\n%s", s)
	}
	// The session reads what is typed next.
	term.keys(`printf("after %d\n", 7)`, "Enter")
	term.waitFor(`after 7\n`)
}

// TestREPLWatchDelta: `.watch @m 200ms delta` shows what changed in each
// interval: the first after one interval, entries that did not change
// left out; q ends it too.
func TestREPLWatchDelta(t *testing.T) {
	term := startTerminal(t)
	term.attach(`BEGIN { @m["still"] = count(); } interval:ms:20 { @m["moving"] = count(); }`, "interval:ms:20")
	term.keys(".watch @m 200ms delta", "Enter")
	s := term.waitVisible("a delta", func(s string) bool { return strings.Contains(s, "@m[moving]: ") })
	if !strings.HasPrefix(s, "Every 200ms: @m, change in each interval   (Enter or Ctrl-C stops)\n") || strings.Contains(s, "still") {
		t.Errorf("want the change of @m[moving] only:\n%s", s)
	}
	term.keys("q")
	term.waitScreen("the prompt after q", func(s string) bool { return lastLine(s) == "hawk>" })
}

// TestREPLWatchErrorsFirst: .watch's argument errors are reported on the
// session's screen, which is never cleared for them.
func TestREPLWatchErrorsFirst(t *testing.T) {
	term := startTerminal(t)
	term.keys(`BEGIN { @most = max(3); @n = 1; }`, "Enter")
	term.keys(".maps", "Enter")
	term.waitFor(`@n +- +int64 +1\n`)
	for _, tc := range []struct{ cmd, err string }{
		{".watch @nope", "hawk: error: .watch: no map @nope: .maps lists the maps"},
		{".watch @most rate", "hawk: error: .watch: rate of @most: @most holds max(); rate works on count(), sum(), hist(), lhist() and integer maps"},
		{".watch @n top", "hawk: error: .watch: top needs a number: top 10"},
	} {
		term.keys(tc.cmd, "Enter")
		s := term.waitFor(regexp.QuoteMeta(tc.err))
		if !strings.Contains(s, "hawk> BEGIN") || strings.Contains(s, "Every") {
			t.Errorf("%s: the screen was cleared or drawn on:\n%s", tc.cmd, s)
		}
	}
}

// startPipe starts hawk --repl and its args with stdin and stdout
// pipes, and types input.
func startPipe(t *testing.T, input string, args ...string) (*exec.Cmd, io.WriteCloser, io.Reader) {
	cmd := hawkCmd(t, append([]string{"--repl"}, args...)...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	io.WriteString(stdin, input)
	return cmd, stdin, stdout
}

// TestREPLWatchPipe: without a terminal, .watch prints a block every
// interval, a blank line after each map, until SIGINT (Ctrl-C); the
// session then reads on.
func TestREPLWatchPipe(t *testing.T) {
	cmd, stdin, stdout := startPipe(t, "interval:ms:10 { @c = count(); @s = sum(2); }\n.watch @c @s 100ms delta\n")
	lines := bufio.NewScanner(stdout)
	var got []string
	blocks := 0
	for blocks < 3 && lines.Scan() {
		got = append(got, lines.Text())
		if lines.Text() == "" && len(got) > 1 && strings.HasPrefix(got[len(got)-2], "@s: ") {
			blocks++
		}
	}
	if blocks < 3 {
		t.Fatalf("stdout ended after %d blocks:\n%s", blocks, strings.Join(got, "\n"))
	}
	block := regexp.MustCompile(`^@c: (\d+)\n\n@s: (\d+)\n\n$`)
	text := strings.Join(got, "\n") + "\n"
	for _, b := range regexp.MustCompile(`(?m)^@c: .*\n\n@s: .*\n\n`).FindAllString(text, -1) {
		m := block.FindStringSubmatch(b)
		c, _ := strconv.Atoi(m[1])
		sum, _ := strconv.Atoi(m[2])
		if c < 1 || c > 40 || sum < 2*c-4 || sum > 2*c+4 { // a tick may come between the reads
			t.Errorf("a block of 100ms of a 10ms count: %q", b)
		}
	}
	cmd.Process.Signal(os.Interrupt)
	io.WriteString(stdin, "@c > 0\n")
	stdin.Close()
	rest, _ := io.ReadAll(stdout)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("hawk --repl: %v", err)
	}
	if !regexp.MustCompile(`(?s)(^|\n)true\n.*\n@c: \d+\n@s: \d+\n$`).Match(rest) {
		t.Errorf("after SIGINT the session did not read on:\n%s", rest)
	}
}

// TestREPLWatchCut: a map longer than the terminal is cut to its height,
// saying how many lines are left out, and the screen never scrolls: the
// header stays on the first line.
func TestREPLWatchCut(t *testing.T) {
	term := startTerminal(t)
	term.keys(`BEGIN { for $i : 0..60 { @m[$i] = $i; } }`, "Enter")
	term.keys(".watch @m", "Enter")
	s := term.waitVisible("the cut", func(s string) bool { return strings.Contains(s, " more lines") })
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	// 50 rows: the header, a blank line, 47 entries and the note.
	if len(lines) != 50 || !strings.HasPrefix(lines[0], "Every 1s: @m ") || lines[48] != "@m[46]: 46" || lines[49] != "... 13 more lines: top N shows fewer entries" {
		t.Errorf("want the header, 47 entries and the note:\n%s", s)
	}
	term.keys("Enter")
	term.waitScreen("the prompt", func(s string) bool { return lastLine(s) == "hawk>" })
}

// TestREPLWatchJSON: with -f json, each map of a block is a JSON line,
// without the blank lines of text.
func TestREPLWatchJSON(t *testing.T) {
	cmd, stdin, stdout := startPipe(t, "interval:ms:10 { @c = count(); @h = hist(100); }\n.watch @c @h 100ms rate\n", "-f", "json")
	lines := bufio.NewScanner(stdout)
	want := regexp.MustCompile(`^\{"type": "map", "data": \{"@c": \d+\}\}$|^\{"type": "hist", "data": \{"@h": \[\{"min": 64, "max": 127, "count": \d+\}\]\}\}$`)
	for i := 0; i < 4 && lines.Scan(); i++ {
		if !want.MatchString(lines.Text()) {
			t.Errorf("line %d: %q", i+1, lines.Text())
		}
	}
	cmd.Process.Signal(os.Interrupt)
	stdin.Close()
	io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("hawk --repl: %v", err)
	}
}

package lang

import (
	"fmt"
	"strings"
	"testing"
)

// TestDiagnosticLongLine: a diagnostic on a long line shows a window of
// it around the caret, marked with "..." where the line goes on; the
// caret and its span stay under the text they mark.
func TestDiagnosticLongLine(t *testing.T) {
	head := "BEGIN { " + strings.Repeat("@a = 1; ", 1_000)
	text := head + "@b = nsec; " + strings.Repeat("@a = 1; ", 1_000) + "}"
	got := compileErr("-e", text)
	lines := strings.Split(got, "\n")
	want := fmt.Sprintf("-e:1:%d: error: unknown identifier \"nsec\"", len(head+"@b = ")+1)
	if len(lines) != 4 || !strings.HasPrefix(lines[0], want) {
		t.Fatalf("got\n%.1000s", got)
	}
	shown, marker := lines[1], lines[2]
	if len(shown) > 4+shownLine+6 || !strings.HasPrefix(shown, "    ...") || !strings.HasSuffix(shown, "...") {
		t.Errorf("shown line %q", shown)
	}
	if caret := strings.Index(marker, "^"); shown[caret:caret+4] != "nsec" || !strings.HasSuffix(marker, "^~~~") {
		t.Errorf("the marker is not under nsec:\n%s\n%s", shown, marker)
	}
	// Near the start of a long line, and with runes of several bytes:
	// the window splits none.
	text = "BEGIN { @x = nsec; " + strings.Repeat(`$s = "日本é"; `, 100) + "}"
	lines = strings.Split(compileErr("-e", text), "\n")
	if !strings.HasPrefix(lines[1], "    BEGIN { @x = nsec; $s") || !strings.HasSuffix(lines[1], "...") ||
		!strings.HasPrefix(lines[2], "                 ^~~~") {
		t.Errorf("got\n%s", strings.Join(lines, "\n"))
	}
	for i := range 20 {
		from, to := shownWindow(text[i:], 100)
		if s := text[i:][from:to]; !strings.HasPrefix(s, strings.ToValidUTF8(s, "")) || s != strings.ToValidUTF8(s, "") {
			t.Errorf("the window [%d, %d) splits a rune: %q", from, to, s)
		}
	}
}

// TestDiagnosticsCap: a script with 2,000 mistakes on one line gets
// MaxDiagnostics of them and a note, not 2,000 copies of its 6 KB line
// (20,000 on a 60 KB line took 159 s and 8 GB to print).
func TestDiagnosticsCap(t *testing.T) {
	text := "BEGIN { " + strings.Repeat("x; ", 2_000) + "}"
	got := compileErr("-e", text)
	if n := strings.Count(got, "error: unknown identifier \"x\""); n != MaxDiagnostics {
		t.Errorf("%d errors shown, want %d", n, MaxDiagnostics)
	}
	if !strings.Contains(got, "-e:1:309: error: too many errors: hawk stops after 100; here is the next\n") {
		t.Errorf("no note that the errors stop:\n%.300s", got[len(got)-300:])
	}
	if len(got) > 2*MaxDiagnostics*(shownLine+100) {
		t.Errorf("%d bytes of errors", len(got))
	}
	// The same message at the same place is reported once, before the cap.
	var l Diagnostics
	src := NewSource("-e", "BEGIN { }")
	for range 3 * MaxDiagnostics {
		l.AddSpan(src, 0, 5, "same")
	}
	if len(l) != 1 {
		t.Errorf("%d copies of one diagnostic", len(l))
	}
}

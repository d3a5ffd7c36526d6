package lang

import (
	"strings"
	"testing"
)

// TestParseStatements checks that statements parse as a BEGIN body whose
// positions, and errors' carets, fall in the text as typed.
func TestParseStatements(t *testing.T) {
	src := NewSource("in[1]", "@x = 1;\n  @y = @x + 2")
	prog, err := ParseStatements(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(prog.Probes) != 1 || prog.Probes[0].Points[0].Kind != ProbeBegin {
		t.Fatalf("not one BEGIN probe: %+v", prog.Probes)
	}
	stmts := prog.Probes[0].Body.Stmts
	if len(stmts) != 2 {
		t.Fatalf("%d statements", len(stmts))
	}
	if p := stmts[1].Start(); p.Line != 2 || p.Column != 3 || p.Offset != 10 {
		t.Errorf("second statement at %v (offset %d), want in[1]:2:3 (offset 10)", p, p.Offset)
	}
	_, err = ParseStatements(NewSource("in[2]", "@x = 1 +; 2"))
	want := "in[2]:1:9: error"
	if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "\n    @x = 1 +; 2\n            ^") {
		t.Errorf("error %v, want %s with the caret under ';'", err, want)
	}
	// The wrapper's closing brace is not named: the text ends there.
	_, err = ParseStatements(NewSource("in[3]", "@x = (1 +\n"))
	if want := "in[3]:1:10: error: unexpected end of input: expected an expression\n"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v, want %s", err, want)
	}
}

func TestIncomplete(t *testing.T) {
	for _, tt := range []struct {
		text  string
		stmts bool
		want  bool
	}{
		{"kprobe:f", false, true},
		{"kprobe:f /pid == 1/", false, true},
		{"BEGIN { if (1) {", false, true},
		{"BEGIN { 1 } x", false, true}, // x may begin a probe
		{"BEGIN { 1 } } x", false, false},
		{"1 +", true, true},
		{"1 + 2 3", true, false},
	} {
		src := NewSource("in", tt.text)
		var err error
		if tt.stmts {
			_, err = ParseStatements(src)
		} else {
			_, err = Parse(src)
		}
		if got := Incomplete(err, src); got != tt.want {
			t.Errorf("%q: Incomplete = %v (%v), want %v", tt.text, got, err, tt.want)
		}
	}
}

// TestCombine checks entries from separate sources together: a map's
// type comes from the first, and a conflict is reported in the second's
// text.
func TestCombine(t *testing.T) {
	a, err := ParseStatements(NewSource("in[1]", "@x = 1"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseStatements(NewSource("in[2]", `@x = "s"`))
	if err != nil {
		t.Fatal(err)
	}
	all := Combine(a, b)
	if len(all.Probes) != 2 || all.Src.Name != "in[2]" {
		t.Fatalf("combined %d probes, source %s", len(all.Probes), all.Src.Name)
	}
	_, err = Check(all, testEnv{}, Config{})
	if err == nil || !strings.HasPrefix(err.Error(), "in[2]:1:6: error: @x holds int64") {
		t.Errorf("error %v, want it in in[2]", err)
	}
	sub := all.Subset(func(p *Probe) bool { return p == b.Probes[0] })
	if len(sub.Probes) != 1 || sub.Probes[0] != b.Probes[0] {
		t.Errorf("Subset kept %d probes", len(sub.Probes))
	}
}

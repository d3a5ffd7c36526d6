package repl

import (
	"slices"
	"testing"
)

// TestHistoryLines: an entry typed over lines is kept as one line that
// parses as the lines did; comments end where their line did.
func TestHistoryLines(t *testing.T) {
	tests := []struct {
		lines []string
		want  []string
	}{
		{[]string{"@x"}, []string{"@x"}},
		{[]string{"interval:ms:100 {", `  printf("tick %d\n", @n++); }`}, []string{`interval:ms:100 { printf("tick %d\n", @n++); }`}},
		{[]string{"BEGIN { // says hi", `  printf("hi // not a comment\n");`, "", "}"}, []string{`BEGIN { /* says hi */ printf("hi // not a comment\n"); }`}},
		{[]string{"BEGIN { /* a", "  b // c */ @x = 1;", "}"}, []string{"BEGIN { /* a b // c */ @x = 1; }"}},
		{[]string{"BEGIN { // a */ b", "@x = 1; }"}, []string{"BEGIN { /* a * / b */ @x = 1; }"}},
		{[]string{`BEGIN { printf("\"//\""); // q`, "}"}, []string{`BEGIN { printf("\"//\""); /* q */ }`}},
		{[]string{"#define N 3", "BEGIN { @x = N; }"}, []string{"#define N 3", "BEGIN { @x = N; }"}},
		{[]string{"tracepoint:syscalls:sys_enter_openat,", "  tracepoint:syscalls:sys_enter_open", "{ @[comm] = count(); }"},
			[]string{"tracepoint:syscalls:sys_enter_openat, tracepoint:syscalls:sys_enter_open { @[comm] = count(); }"}},
	}
	for _, tt := range tests {
		got := historyLines(tt.lines)
		if !slices.Equal(got, tt.want) {
			t.Errorf("historyLines(%q) = %q, want %q", tt.lines, got, tt.want)
			continue
		}
		if len(got) != 1 || len(tt.lines) == 1 {
			continue
		}
		// The line kept parses as the lines typed did.
		whole, _, err1 := newEntry("in[1]", joinLF(tt.lines))
		one, incomplete, err2 := newEntry("in[1]", got[0])
		if err1 != nil || err2 != nil || incomplete || whole.stmts != one.stmts {
			t.Errorf("%q parses otherwise than %q: %v, %v", got[0], tt.lines, err1, err2)
		}
	}
}

func joinLF(lines []string) string {
	s := ""
	for _, l := range lines {
		s += l + "\n"
	}
	return s
}

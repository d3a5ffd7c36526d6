package lang

import (
	"strings"
	"testing"
)

// sprintf formats args with format the way the runtime does, for tests.
// Integers are int64 unless given as a typed value.
func sprintf(t *testing.T, format string, args ...any) string {
	t.Helper()
	f, err := ParseFormat(format)
	if err != nil {
		t.Fatalf("%q: %v", format, err)
	}
	var out []byte
	i := 0
	for _, p := range f.Parts {
		if p.Verb == nil {
			out = append(out, p.Lit...)
			continue
		}
		switch a := args[i].(type) {
		case string:
			out = p.Verb.AppendString(out, a)
		case int:
			out = p.Verb.AppendInt(out, uint64(a), 8, true)
		case uint32:
			out = p.Verb.AppendInt(out, uint64(a), 4, false)
		case int32:
			out = p.Verb.AppendInt(out, uint64(int64(a)), 4, true)
		case uint64:
			out = p.Verb.AppendInt(out, a, 8, false)
		}
		i++
	}
	return string(out)
}

// TestPrintfLikeC checks formatting against C's printf; the expected strings
// were printed by a C program built with gcc on the same arguments
// (length modifiers applied as C casts would).
func TestPrintfLikeC(t *testing.T) {
	got := sprintf(t, "[%d][%5d][%-5d|][%05d][%+d][% d][%.3d][%x][%#x][%X][%#o][%o][%u][%c][%lu][%hhx][%hd][%08.3d][%-+6d|]",
		42, 42, 42, 42, 42, 42, 7, 255, 255, 255, 8, 8, 42, 65, -1, -1, -2, 5, 3)
	want := "[42][   42][42   |][00042][+42][ 42][007][ff][0xff][FF][010][10][42][A][18446744073709551615][ff][-2][     005][+3    |]"
	if got != want {
		t.Errorf("\ngot  %s\nwant %s", got, want)
	}
	got = sprintf(t, "[%lld][%llx][%llu][%x][%d][%.0d][%#x][%5s][%-5s|][%.2s][%s]",
		-1, -1, -1, uint32(1<<32-1), int32(-1<<31), 0, 0, "ab", "ab", "abc", "")
	want = "[-1][ffffffffffffffff][18446744073709551615][ffffffff][-2147483648][][0][   ab][ab   |][ab][]"
	if got != want {
		t.Errorf("\ngot  %s\nwant %s", got, want)
	}
}

// TestPrintfFullWidth: hawk prints arguments at their full width, unlike
// bpftrace 0.17, which cut %d/%u/%x to 32 bits.
func TestPrintfFullWidth(t *testing.T) {
	if got := sprintf(t, "%d %u %x", 1<<40, -1, -1); got != "1099511627776 18446744073709551615 ffffffffffffffff" {
		t.Errorf("got %q", got)
	}
	if got := sprintf(t, "%u %x", uint32(1<<32-1), int32(-1)); got != "4294967295 ffffffff" {
		t.Errorf("got %q", got)
	}
}

func TestParseFormat(t *testing.T) {
	f, err := ParseFormat("a %% b %-10s c %08llx%d\n")
	if err != nil {
		t.Fatal(err)
	}
	var specs []string
	for _, v := range f.Verbs {
		specs = append(specs, v.Spec)
	}
	if strings.Join(specs, ",") != "%-10s,%08llx,%d" {
		t.Errorf("verbs %v", specs)
	}
	if f.Parts[0].Lit != "a % b " {
		t.Errorf("first literal %q", f.Parts[0].Lit)
	}
	for _, bad := range []struct{ format, msg string }{
		{"%q", `unknown printf conversion "%q"`},
		{"abc %", "the format ends inside a conversion"},
		{"%5", "the format ends inside a conversion"},
	} {
		if _, err := ParseFormat(bad.format); err == nil || err.Msg != bad.msg {
			t.Errorf("%q: got %v, want %q", bad.format, err, bad.msg)
		}
	}
}

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

// TestPrintfIntWidth: as in bpftrace, an integer conversion casts its
// argument to an int (unsigned for u, x, X, o) unless a length modifier
// says another width, as C's printf would read it.
func TestPrintfIntWidth(t *testing.T) {
	x := 0x12345678abcdef
	if got := sprintf(t, "%hhx %hx %x %jx %lx %llx", x, x, x, x, x, x); got != "ef cdef 78abcdef 12345678abcdef 12345678abcdef 12345678abcdef" {
		t.Errorf("got %q", got)
	}
	if got := sprintf(t, "%hhx %hhd %hu", 0x1ff, 0x1ff, -1); got != "ff -1 65535" {
		t.Errorf("got %q", got)
	}
	if got := sprintf(t, "%d %u %x %ld %lu", 1<<40+5, -1, -1, 1<<40, -1); got != "5 4294967295 ffffffff 1099511627776 18446744073709551615" {
		t.Errorf("got %q", got)
	}
	// An operand is first extended by its own type: uint32 max is -1 as
	// an int, 4294967295 as a long.
	if got := sprintf(t, "%d %ld %u %x", uint32(1<<32-1), uint32(1<<32-1), int32(-1), int32(-1)); got != "-1 4294967295 4294967295 ffffffff" {
		t.Errorf("got %q", got)
	}
}

// TestPrintfGFP checks %gr, bpftrace's GFP flags.
func TestPrintfGFP(t *testing.T) {
	got := sprintf(t, "%gr|%gr|%gr|%gr|%gr|%10gr|", 1, 0, 0xcc0, 0xcc0|0x100, 1<<40|1<<2, 1)
	want := "GFP_DMA|0|GFP_KERNEL|GFP_KERNEL|__GFP_ZERO|GFP_DMA32|0x10000000000|   GFP_DMA|"
	if got != want {
		t.Errorf("\ngot  %s\nwant %s", got, want)
	}
}

// TestPrintfLonePercent: a % that starts no conversion prints itself, as
// in bpftrace; a letter that is no conversion is still an error.
func TestPrintfLonePercent(t *testing.T) {
	for format, want := range map[string]string{"100%\n": "100%\n", "a %": "a %", "%5": "%5", "%-\t%d": "%-\t7"} {
		if got := sprintf(t, format, 7); got != want {
			t.Errorf("%q: got %q, want %q", format, got, want)
		}
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
		{"%5q", `unknown printf conversion "%5q"`},
		{"%g", `unknown printf conversion "%g"`},
	} {
		if _, err := ParseFormat(bad.format); err == nil || err.Msg != bad.msg {
			t.Errorf("%q: got %v, want %q", bad.format, err, bad.msg)
		}
	}
}

package lang

import (
	"strconv"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/golden"
)

// TestParseGolden parses each testdata/parse/*.bt, checks it, and compares
// the typed AST with its .golden file (go test -update rewrites them).
func TestParseGolden(t *testing.T) {
	golden.ForEach(t, "testdata/parse/*.bt", func(t *testing.T, file, text string) {
		prog, err := Parse(NewSource(file, text))
		if err != nil {
			t.Fatalf("parse: %v", err)
		}
		info, err := Check(prog, testEnv{}, Config{Params: []string{"42", "str"}})
		if err != nil {
			t.Fatalf("check: %v", err)
		}
		var b strings.Builder
		Fprint(&b, prog, info)
		golden.Check(t, strings.TrimSuffix(file, ".bt")+".golden", b.String())
	})
}

func TestAttachPoints(t *testing.T) {
	for _, tc := range []struct {
		text string
		kind ProbeKind
		args []string
	}{
		{"BEGIN", ProbeBegin, nil},
		{"begin", ProbeBegin, nil},
		{"END", ProbeEnd, nil},
		{"interval:s:1", ProbeInterval, []string{"s", "1"}},
		{"i:ms:500", ProbeInterval, []string{"ms", "500"}},
		{"tracepoint:syscalls:sys_enter_openat", ProbeTracepoint, []string{"syscalls", "sys_enter_openat"}},
		{"t:sched:sched_switch", ProbeTracepoint, []string{"sched", "sched_switch"}},
	} {
		prog, err := Parse(NewSource("-e", tc.text+" { }"))
		if err != nil {
			t.Errorf("%s: %v", tc.text, err)
			continue
		}
		ap := prog.Probes[0].Points[0]
		if ap.Kind != tc.kind || strings.Join(ap.Args, ":") != strings.Join(tc.args, ":") {
			t.Errorf("%s: got %v %q, want %v %q", tc.text, ap.Kind, ap.Args, tc.kind, tc.args)
		}
	}
}

// TestIntervalPeriod: the forms of a timer's arguments and their periods
// in nanoseconds; the numbers are read as integer literals are (parseInt).
func TestIntervalPeriod(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want uint64
		err  string
	}{
		{[]string{"s", "1"}, 1e9, ""},
		{[]string{"ms", "1_0"}, 1e7, ""},
		{[]string{"hz", "99"}, 1_000_000_000 / 99, ""},
		{[]string{"us", "1e3"}, 1e6, ""},
		{[]string{"s", "2"}, 2e9, ""},
		{[]string{"ms", "500"}, 5e8, ""},
		{[]string{"1s"}, 1e9, ""},
		{[]string{"100ms"}, 1e8, ""},
		{[]string{"1000000"}, 1e6, ""},
		{[]string{"1e6"}, 1e6, ""},
		{[]string{"1500"}, 1000, ""}, // whole microseconds
		{[]string{"999"}, 0, "at least 1000 nanoseconds"},
		{[]string{"weeks"}, 0, "interval probes are written"},
		{[]string{"s", "0"}, 0, "positive integer"},
		{[]string{"s", "100000000000000"}, 0, "too long"},
		{nil, 0, "interval probes are written"},
	} {
		got, err := IntervalPeriod(tc.args)
		if got != tc.want || (err == "") != (tc.err == "") || !strings.Contains(err, tc.err) {
			t.Errorf("IntervalPeriod(%q) = %d, %q; want %d, %q", tc.args, got, err, tc.want, tc.err)
		}
	}
}

func TestParseInt(t *testing.T) {
	for _, tc := range []struct {
		text string
		want uint64
		bad  bool
	}{
		{"0", 0, false}, {"42", 42, false}, {"1_000_000", 1000000, false}, {"0x1F", 31, false},
		{"0X_ff", 255, false}, {"017", 15, false}, {"123UL", 123, false}, {"7ll", 7, false},
		{"2e3", 2000, false}, {"10ms", 10_000_000, false}, {"1s", 1e9, false}, {"3us", 3000, false},
		{"18446744073709551615", 1<<64 - 1, false},
		{"0o17", 15, false}, {"0O17", 15, false}, {"0o1_7u", 15, false}, {"0b101", 5, false}, {"0B1_1", 3, false},
		{"0o", 0, true}, {"0o8", 0, true}, {"0b2", 0, true}, {"0x", 0, true},
		{"18446744073709551616", 0, true}, {"12abc", 0, true}, {"08", 0, true}, {"1e30", 0, true},
	} {
		v, err := parseInt(tc.text)
		if tc.bad != (err != nil) || !tc.bad && v != tc.want {
			t.Errorf("parseInt(%q) = %d, %v; want %d (error: %v)", tc.text, v, err, tc.want, tc.bad)
		}
	}
}

func TestUnquote(t *testing.T) {
	for _, tc := range []struct{ lit, want string }{
		{`"plain"`, "plain"}, {`"a\nb\tc"`, "a\nb\tc"}, {`"q\"q\\"`, `q"q\`},
		{`"\x41\x4a"`, "AJ"}, {`"\101\0"`, "A\x00"}, {`"\e[1m"`, "\x1b[1m"},
	} {
		got, err := unquote(tc.lit)
		if err != nil || got != tc.want {
			t.Errorf("unquote(%s) = %q, %v; want %q", tc.lit, got, err, tc.want)
		}
	}
	if _, err := unquote(`"\q"`); err == nil {
		t.Error(`unquote("\q") should fail`)
	}
}

// nested returns BEGIN { open×depth inner close×depth }.
func nested(open, inner, close string, depth int) string {
	return "BEGIN { " + strings.Repeat(open, depth) + inner + strings.Repeat(close, depth) + " }"
}

// TestParseDeepNesting parses 200 levels of blocks and parentheses, closed
// and unclosed. A parser that retried a failed block as another kind of
// statement took 2^depth tries: 20 levels took seconds, 200 never end.
func TestParseDeepNesting(t *testing.T) {
	const depth = 200
	for _, tc := range []struct{ text, err string }{
		{nested("{ ", "exit();", " }", depth), ""},
		{nested("{ ", "", "", depth), "unexpected end of input: missing '}'"},
		{nested("{ ", "1 +", " }", depth), `expected an expression, found "}"`},
		{nested("if 1 { ", "exit();", " }", depth), ""},
		{nested("if { ", "", "", depth), "unexpected end of input: missing '}'"},
		{nested("while 1 { ", "@x = (", "", depth), `expected an expression, found "}"`},
		{nested("$x = { ", "1", " };", depth), ""},
		{nested("$x = { ", "1", "", depth), "unexpected end of input"},
		{nested("", "@x = "+strings.Repeat("(", depth)+"1"+strings.Repeat(")", depth)+";", "", 1), ""},
		{nested("", "@x = "+strings.Repeat("(", depth)+"1", "", 1), `expected ")", found "}"`},
		{nested("", "@x = "+strings.Repeat("(int8)(", depth)+"1"+strings.Repeat(")", depth)+";", "", 1), ""},
		{nested("", "@x = "+strings.Repeat("@m[", depth)+"1"+strings.Repeat("]", depth)+";", "", 1), ""},
	} {
		_, err := Parse(NewSource("-e", tc.text))
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%.40s...: %v", tc.text, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%.40s...: got %v, want an error %q", tc.text, err, tc.err)
		}
	}
}

// BenchmarkParseNested parses 200 nested blocks, closed and unclosed, and
// 200 nested parentheses: the time must grow linearly with the depth.
func BenchmarkParseNested(b *testing.B) {
	for _, depth := range []int{50, 200} {
		texts := []string{
			nested("{ ", "exit();", " }", depth),
			nested("{ ", "", "", depth),
			nested("", "@x = "+strings.Repeat("(", depth)+"1"+strings.Repeat(")", depth)+";", "", 1),
		}
		b.Run(strconv.Itoa(depth), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				for _, text := range texts {
					_, _ = Parse(NewSource("-e", text))
				}
			}
		})
	}
}

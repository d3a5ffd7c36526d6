package lang

import (
	"errors"
	"strconv"
	"testing"
)

// TestGetopt: getopt() is a constant of its default's type, the command
// line's value or the default; the options' mistakes are OptionErrors.
func TestGetopt(t *testing.T) {
	for _, tc := range []struct {
		script, expr string
		options      []string
		want, k      string
		err          string // the whole OptionError, when one is wanted
	}{
		{script: `BEGIN { print(getopt("a")); }`, expr: `getopt("a")`, want: "bool", k: "0"},
		{script: `BEGIN { print(getopt("a")); }`, expr: `getopt("a")`, options: []string{"a"}, want: "bool", k: "1"},
		{script: `BEGIN { print(getopt("a", true)); }`, expr: `getopt("a", true)`, options: []string{"a=FALSE"}, want: "bool", k: "0"},
		{script: `BEGIN { print(getopt("a", 5)); }`, expr: `getopt("a", 5)`, want: "uint64", k: "5"},
		{script: `BEGIN { print(getopt("a", 5)); }`, expr: `getopt("a", 5)`, options: []string{"a=0x10"}, want: "uint64", k: "16"},
		{script: `BEGIN { print(getopt("a", -5)); }`, expr: `getopt("a", -5)`, options: []string{"a=-7"}, want: "int64", k: "18446744073709551609"},
		{script: `BEGIN { print(getopt("a", "xy")); }`, expr: `getopt("a", "xy")`, want: "string[3]", k: `"xy"`},
		{script: `BEGIN { print(getopt("a", "xy")); }`, expr: `getopt("a", "xy")`, options: []string{"a=hello"}, want: "string[6]", k: `"hello"`},
		{script: `BEGIN { print(getopt("a", 5)); }`, options: []string{"a=5x"},
			err: "ERROR: program command line option --a invalid integer (value: 5x)"},
		{script: `BEGIN { print(getopt("b", 5, "B")); }`, options: []string{"a", "b=1"},
			err: "ERROR: unexpected program command line options: --a\nHINT: expected program options: --b"},
		{script: `BEGIN { print(getopt("b", 5, "B")); }`, options: []string{"help"},
			err: "HINT: expected program options:\n--b: B"},
	} {
		prog, err := Parse(NewSource("-e", tc.script))
		if err != nil {
			t.Fatal(err)
		}
		info, err := Check(prog, testEnv{}, Config{Options: tc.options})
		if tc.err != "" {
			var oe *OptionError
			if !errors.As(err, &oe) || oe.Error() != tc.err {
				t.Errorf("%s %q: error %v, want %q", tc.script, tc.options, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %q: %v", tc.script, tc.options, err)
			continue
		}
		c := checked{prog, info, nil}
		e := c.find(t, tc.expr)
		k := info.Consts[e]
		got := strconv.FormatUint(k.Int, 10)
		if k.IsStr {
			got = strconv.Quote(k.Str)
		}
		if ty := info.TypeOf(e).String(); ty != tc.want || got != tc.k {
			t.Errorf("%s %q: %s is %s %s, want %s %s", tc.script, tc.options, tc.expr, ty, got, tc.want, tc.k)
		}
	}
}

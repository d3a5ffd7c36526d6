package lang

import (
	"errors"
	"slices"
	"testing"
)

// TestGetoptAtLoad: with OptionsAtLoad, getopt() stays a call of its
// option's type, a string max_strlen bytes, not a constant; the options
// Config gives are not read.
func TestGetoptAtLoad(t *testing.T) {
	script := `BEGIN { print((getopt("a"), getopt("b", 5), getopt("c", -5), getopt("d", "xy", "D"))); }`
	prog, err := Parse(NewSource("-e", script))
	if err != nil {
		t.Fatal(err)
	}
	info, err := Check(prog, testEnv{}, Config{OptionsAtLoad: true, MaxStrlen: 32, Options: []string{"zz", "b=x"}})
	if err != nil {
		t.Fatal(err)
	}
	if !info.OptionsAtLoad {
		t.Error("Info.OptionsAtLoad is not set")
	}
	c := checked{prog, info, nil}
	for expr, want := range map[string]string{`getopt("a")`: "bool", `getopt("b", 5)`: "uint64", `getopt("c", -5)`: "int64", `getopt("d", "xy", "D")`: "string[32]"} {
		e := c.find(t, expr)
		if _, ok := e.(*Call); !ok {
			t.Errorf("%s became %T", expr, e)
		}
		if k, ok := info.Consts[e]; ok {
			t.Errorf("%s is the constant %v", expr, k)
		}
		if ty := info.TypeOf(e).String(); ty != want {
			t.Errorf("%s is %s, want %s", expr, ty, want)
		}
	}
	var names []string
	for _, o := range info.Options {
		names = append(names, o.Name+":"+o.Type.String())
	}
	if want := []string{"a:bool", "b:uint64", "c:int64", "d:string[32]"}; !slices.Equal(names, want) {
		t.Errorf("options %q, want %q", names, want)
	}
}

// TestResolveOptions: the options given to a compiled script when it
// loads get the values and the errors they get when compiling it.
func TestResolveOptions(t *testing.T) {
	script := `BEGIN { print((getopt("a"), getopt("b", 5, "B"), getopt("c", -5), getopt("d", "xy"))); }`
	for _, args := range [][]string{
		nil,
		{"a", "b=0x10", "c=-7", "d=hello"},
		{"a=false", "b=1", "b=2"},
		{"b=5x"},
		{"c=0x8000000000000000"},
		{"a=yes"},
		{"d"},
		{"zz", "a", "yy=1"},
		{"help"},
		{"b=x", "zz"},
	} {
		prog, err := Parse(NewSource("-e", script))
		if err != nil {
			t.Fatal(err)
		}
		info, checkErr := Check(prog, testEnv{}, Config{Options: args})
		opts := info.Options
		got, err := ResolveOptions(opts, args)
		var want, gotErr *OptionError
		errors.As(checkErr, &want)
		errors.As(err, &gotErr)
		if (want == nil) != (gotErr == nil) || want != nil && want.Error() != gotErr.Error() {
			t.Errorf("%q: ResolveOptions says %v, Check %v", args, err, checkErr)
			continue
		}
		if want != nil {
			continue
		}
		c := checked{prog, info, nil}
		exprs := map[string]string{"a": `getopt("a")`, "b": `getopt("b", 5, "B")`, "c": `getopt("c", -5)`, "d": `getopt("d", "xy")`}
		for i, o := range opts {
			if k := info.Consts[c.find(t, exprs[o.Name])]; k != got[i] {
				t.Errorf("%q: --%s is %+v, Check has %+v", args, o.Name, got[i], k)
			}
		}
	}
}

package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// getoptConstructs are runs of scripts that read named program options
// with getopt(), given after `--` as --name=value: the default's type is
// the option's, an option not given is its default, a bool given bare is
// true.
var getoptConstructs = []construct{
	{
		name: "each type, given",
		script: `BEGIN { print((getopt("aa", 20), getopt("bb", -1), getopt("cc", true), getopt("dd"), getopt("ee", "hello"))); ` +
			`printf("%lu %d %s\n", getopt("aa", 20), getopt("bb", -1), getopt("ee", "hello")); exit(); }`,
		args: []string{"--", "--dd", "--aa=0xffffffffffffffff", "--bb=-10", "--cc=False", "--ee=bye"},
		out:  "(18446744073709551615, -10, false, true, bye)\n18446744073709551615 -10 bye\n",
	},
	{
		name:   "defaults",
		script: `BEGIN { print((getopt("aa", 20), getopt("bb", -1), getopt("cc", true), getopt("dd"), getopt("ee", "hello"))); exit(); }`,
		out:    "(20, -1, true, false, hello)\n",
	},
	{
		name:   "mixed with positional parameters",
		script: `BEGIN { print(($1, getopt("aa", 10), $2, getopt("cc", "hello"), getopt("dd"), $#)); exit(); }`,
		args:   []string{"pos1", "--", "--aa=20", "--cc=bye", "pos2", "--dd"},
		out:    "(pos1, 20, pos2, bye, true, 2)\n",
	},
	{
		name:   "bool values",
		script: `BEGIN { print((getopt("a"), getopt("b", true), getopt("c", false), getopt("d"))); exit(); }`,
		args:   []string{"--", "--a=TRUE", "--b=0", "--c=1", "--d=false"},
		out:    "(true, false, true, false)\n",
	},
	{
		name:   "in a predicate, a map and arithmetic; the last given wins",
		script: `BEGIN /getopt("on")/ { @[getopt("k", "key")] = getopt("n", 1) * 2; exit(); }`,
		args:   []string{"--", "--on", "--n=5", "--k=x", "--n=7"},
		maps:   "@[x]: 14\n",
	},
	{
		name:   "with a description, read twice",
		script: `BEGIN { print((getopt("aa", 10, "AA"), getopt("aa", 10))); exit(); }`,
		args:   []string{"--", "--aa=22"},
		out:    "(22, 22)\n",
	},
	{
		name:   "a value of the wrong type",
		script: `BEGIN { print(getopt("aa", 10)); }`,
		args:   []string{"--", "--aa=False"},
		code:   1,
	},
}

// getoptErrors are the command lines whose program options are wrong,
// and exactly what hawk says of them.
var getoptErrors = []struct {
	name, script string
	args         []string
	stderr       string
}{
	{"invalid integer", `BEGIN { print(getopt("aa", 10)); }`, []string{"--", "--aa=False"},
		"ERROR: program command line option --aa invalid integer (value: False)\n"},
	{"negative for an unsigned default", `BEGIN { print(getopt("aa", 10)); }`, []string{"--", "--aa=-1"},
		"ERROR: program command line option --aa invalid integer (value: -1)\n"},
	{"out of range", `BEGIN { print(getopt("aa", -10)); }`, []string{"--", "--aa=0x8000000000000000"},
		"ERROR: program command line option --aa value is out of range (value: 0x8000000000000000)\n"},
	{"invalid bool", `BEGIN { print(getopt("aa")); }`, []string{"--", "--aa=yes"},
		"ERROR: program command line option --aa expects a boolean (e.g. 'true') (value: yes)\n"},
	{"integer given bare", `BEGIN { print(getopt("aa", 1)); }`, []string{"--", "--aa"},
		"ERROR: program command line option --aa expects an integer (value: true)\n"},
	{"string given bare", `BEGIN { print(getopt("aa", "s")); }`, []string{"--", "--aa"},
		"ERROR: program command line option --aa expects a string (value: true)\n"},
	{"unexpected", `BEGIN { print(getopt("aa", 10)); }`, []string{"--", "--bb", "--cc=1"},
		"ERROR: unexpected program command line options: --bb, --cc\nHINT: expected program options: --aa\n"},
	{"none defined", `BEGIN { exit(); }`, []string{"--", "--bb"},
		"ERROR: unexpected program command line options: --bb\nHINT: no custom program options defined.\n"},
	{"help", `BEGIN { print((getopt("bb", 1), getopt("aa", 10, "Description of aa"), getopt("cc"))); }`, []string{"--", "--help"},
		"HINT: expected program options:\n--aa: Description of aa\n--bb\n--cc\n"},
}

func TestGetopt(t *testing.T) {
	for _, c := range getoptConstructs {
		t.Run(c.name, func(t *testing.T) {
			stdout, stderr, code := runConstruct(t, c)
			if code != c.code {
				t.Errorf("exit status %d, want %d; stderr:\n%s", code, c.code, stderr)
			}
			if c.code != 0 {
				return
			}
			if want := c.out + "\n\n" + c.maps; stdout != want {
				t.Errorf("script: %s\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", c.script, stdout, want, stderr)
			}
		})
	}
}

func TestGetoptErrors(t *testing.T) {
	for _, c := range getoptErrors {
		t.Run(c.name, func(t *testing.T) {
			stdout, stderr, code := runConstruct(t, construct{script: c.script, args: c.args})
			if code != 1 || stdout != "" || stderr != c.stderr {
				t.Errorf("exit %d, stdout %q\nstderr:\n%s\nwant:\n%s", code, stdout, stderr, c.stderr)
			}
		})
	}
}

// TestGetoptFile: the options follow a script file as they follow -e.
func TestGetoptFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "named.bt")
	if err := os.WriteFile(file, []byte("BEGIN { print(getopt(\"aa\", 10)); exit(); }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := hawkOut(t, "-q", file, "--", "--aa=20")
	if code != 0 || stdout != "20\n\n\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestGetoptArgs: after `--`, --name[=value] is a program option and
// anything else a positional parameter; before it, --name=value is an
// unknown hawk option, which shows the usage.
func TestGetoptArgs(t *testing.T) {
	o, err := parseArgs([]string{"-e", "BEGIN {}", "p1", "--", "--aa=20", "p2", "--dd", "-5", "--"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"aa=20", "dd"}; !slices.Equal(o.options, want) {
		t.Errorf("options %q, want %q", o.options, want)
	}
	if want := []string{"p1", "p2", "-5", "--"}; !slices.Equal(o.params, want) {
		t.Errorf("params %q, want %q", o.params, want)
	}
	stdout, stderr, code := hawkRun("", "-e", "BEGIN {}", "--aa=20")
	want := "hawk: unknown option \"--aa=20\"\n" + synopsis() + "Run 'hawk -h' for help.\n"
	if code != 1 || stdout != "" || stderr != want {
		t.Errorf("exit %d, stdout %q\nstderr:\n%s\nwant:\n%s", code, stdout, stderr, want)
	}
	if _, err := parseArgs([]string{"--repl", "--", "--aa"}); err == nil {
		t.Error("--repl took program options")
	}
}

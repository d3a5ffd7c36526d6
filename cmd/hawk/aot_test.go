package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// optionsScript reads an option of each type, and compares comm with a
// string option, which bpf_strncmp reads from the read-only data.
const optionsScript = `BEGIN { print((getopt("aa", 10), getopt("bb", -1), getopt("cc", true), getopt("dd"), getopt("ee", "hello", "a greeting")));
	printf("%d %d %s|\n", getopt("aa", 10) * 2, getopt("bb", -1), getopt("ee", "hello"));
	if (comm == getopt("name", "none")) { printf("me\n"); }
	exit(); }`

// buildAOT writes an executable that runs script with hawk --aot, into a
// directory of the test's own.
func buildAOT(t *testing.T, script string) string {
	t.Helper()
	exe := filepath.Join(t.TempDir(), "prog")
	if code, stdout, stderr := hawkOut(t, "--aot", exe, "-e", script); code != 0 || stdout != "" || stderr != "" {
		t.Fatalf("--aot: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	return exe
}

// runExe runs an executable --aot wrote.
func runExe(t *testing.T, exe string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	kerneltest.Require(t)
	cmd := exec.Command(exe, args...)
	var out, errw bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errw
	err := cmd.Run()
	return exitCode(err), out.String(), errw.String()
}

// TestAOT: --aot writes an executable that runs the script with the
// program options its own command line gives, as hawk runs the script
// from source.
func TestAOT(t *testing.T) {
	exe := buildAOT(t, optionsScript)
	if st, err := os.Stat(exe); err != nil || st.Mode().Perm() != 0o755 {
		t.Fatalf("%s: %v, mode %v", exe, err, st.Mode())
	}
	for _, c := range []struct {
		name       string
		args       []string
		code       int
		out, errRe string
	}{
		{"defaults", nil, 0, "(10, -1, true, false, hello)\n20 -1 hello|\n\n\n", "^Attached 1 probe\n$"},
		{"given", []string{"-q", "--", "--dd", "--aa=0x20", "--bb=-5", "--cc=False", "--ee=bye", "--name=prog"}, 0,
			"(32, -5, false, true, bye)\n64 -5 bye|\nme\n\n\n", "^$"},
		{"the last given wins, a bare bool is true", []string{"-q", "--", "--aa=1", "--aa=2", "--cc"}, 0,
			"(2, -1, true, false, hello)\n4 -1 hello|\n\n\n", "^$"},
		{"a string cut to max_strlen", []string{"-q", "--", "--ee=" + strings.Repeat("x", 2000)}, 0,
			"(10, -1, true, false, " + strings.Repeat("x", 1023) + ")\n20 -1 " + strings.Repeat("x", 1023) + "|\n\n\n", "^$"},
		{"json", []string{"-q", "-f", "json", "--", "--aa=3"}, 0,
			`{"type": "value", "data": [3,-1,true,false,"hello"]}` + "\n" + `{"type": "printf", "data": "6 -1 hello|\n"}` + "\n", "^$"},
		{"an invalid integer", []string{"--", "--aa=False"}, 1, "",
			`^ERROR: program command line option --aa invalid integer \(value: False\)\n$`},
		{"out of range", []string{"--", "--bb=0x8000000000000000"}, 1, "",
			`^ERROR: program command line option --bb value is out of range \(value: 0x8000000000000000\)\n$`},
		{"an unknown option", []string{"--", "--zz", "--aa=1"}, 1, "",
			`^ERROR: unexpected program command line options: --zz\nHINT: expected program options: --aa, --bb, --cc, --dd, --ee, --name\n$`},
		{"help", []string{"--", "--help"}, 1, "",
			`^HINT: expected program options:\n--aa\n--bb\n--cc\n--dd\n--ee: a greeting\n--name\n$`},
		{"a positional parameter", []string{"pos"}, 1, "",
			`^hawk: positional parameters \(pos\) were fixed when the program was compiled \(hawk --aot\)`},
		{"a program", []string{"-e", "BEGIN {}"}, 1, "", `^hawk: -e: this executable runs the program compiled into it`},
		{"-k", []string{"-k"}, 1, "", `^hawk: -k: this executable runs the program compiled into it`},
		{"--version", []string{"--version"}, 0, "hawk v", "^$"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runExe(t, exe, c.args...)
			okOut := stdout == c.out || c.name == "--version" && strings.HasPrefix(stdout, c.out)
			if code != c.code || !okOut || !regexp.MustCompile(c.errRe).MatchString(stderr) {
				t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr matching %q",
					c.args, code, stdout, stderr, c.code, c.out, c.errRe)
			}
		})
	}
	code, stdout, _ := runExe(t, exe, "-h")
	if code != 0 || !strings.HasPrefix(stdout, "USAGE:\n    "+exe+" [options]") {
		t.Errorf("-h: exit %d, stdout %q", code, stdout)
	}
}

// TestAOTRunFlags: the executable takes the flags of a run: -c, -o.
func TestAOTRunFlags(t *testing.T) {
	exe := buildAOT(t, `tracepoint:syscalls:sys_enter_openat /pid == cpid/ { @[str(args.filename)] = count(); }`)
	out := filepath.Join(t.TempDir(), "out.txt")
	code, stdout, stderr := runExe(t, exe, "-o", out, "-c", "/bin/cat /dev/null")
	text, _ := os.ReadFile(out)
	if code != 0 || stdout != "" || stderr != "Attached 1 probe\n" || !regexp.MustCompile(`(?m)^@\[/dev/null\]: 1$`).Match(text) {
		t.Errorf("exit %d, stdout %q, stderr %q, %s: %q", code, stdout, stderr, out, text)
	}
}

// TestAOTRefused: --aot refuses what goes with a run or another output,
// and never writes over the script or hawk itself.
func TestAOTRefused(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-k"}, "cannot use -k with --aot"},
		{[]string{"--emit-elf", "x.o"}, "cannot use --emit-elf with --aot"},
		{[]string{"-d", "asm"}, "cannot use -d with --aot"},
		{[]string{"--dry-run"}, "cannot use --dry-run with --aot"},
		{[]string{"-p", "1"}, "cannot use -p with --aot: give them to the executable when it runs"},
		{[]string{"-o", "x"}, "cannot use -o with --aot"},
		{[]string{"-f", "json"}, "cannot use -f with --aot"},
		{[]string{"--", "--aa=1"}, "cannot use program options (-- --NAME=VALUE) with --aot"},
	} {
		args := append([]string{"--aot", "prog", "-e", `BEGIN { exit(); }`}, c.args...)
		if _, err := parseArgs(args); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", args, err, c.want)
		}
	}
	if _, err := parseArgs([]string{"--emit-elf", "x.o", "-e", `BEGIN { exit(); }`, "--", "--aa"}); err == nil ||
		!strings.Contains(err.Error(), "with --emit-elf") {
		t.Errorf("--emit-elf with program options: %v", err)
	}
	before, err := os.Stat(hawkBin)
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := hawkOut(t, "--aot", hawkBin, "-e", `BEGIN { exit(); }`)
	after, err := os.Stat(hawkBin)
	if code != exitUser || !regexp.MustCompile(`^hawk: error: --aot: .*(refusing to write|text file busy)`).MatchString(stderr) ||
		err != nil || after.Size() != before.Size() || after.ModTime() != before.ModTime() {
		t.Errorf("--aot onto hawk: exit %d, stderr %q", code, stderr)
	}
}

// TestObjectOptions: an object (--emit-elf) takes its program options
// when hawk runs it; its positional parameters stay those it was
// compiled with.
func TestObjectOptions(t *testing.T) {
	obj := filepath.Join(t.TempDir(), "opts.o")
	if code, stdout, stderr := hawkOut(t, "--emit-elf", obj, "-e", optionsScript); code != 0 || stdout != "" || stderr != "" {
		t.Fatalf("--emit-elf: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, stderr := hawkOut(t, "-q", obj, "--", "--aa=7", "--ee=obj")
	if want := "(7, -1, true, false, obj)\n14 -1 obj|\n\n\n"; code != 0 || stdout != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, stdout, stderr, want)
	}
	code, _, stderr = hawkOut(t, obj, "--", "--aa=x")
	if code != 1 || stderr != "ERROR: program command line option --aa invalid integer (value: x)\n" {
		t.Errorf("bad option: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = hawkOut(t, obj, "pos")
	if code != 1 || !strings.Contains(stderr, "its positional parameters were fixed by --emit-elf") {
		t.Errorf("positional parameter: exit %d, stderr %q", code, stderr)
	}
}

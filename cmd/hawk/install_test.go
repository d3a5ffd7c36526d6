package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// sampleValue is a value the option s accepts, for the tests that give
// every option of the table.
func sampleValue(s *optionSpec) string {
	switch s.kind {
	case argWords, argWordList:
		return s.values[0]
	case argPid:
		return strconv.Itoa(os.Getpid())
	case argDir:
		return os.TempDir()
	case argCommand:
		return "true"
	case argFile:
		return "out.file"
	}
	return "x"
}

// TestOptionTableWired: every row of the option table parses in each of
// its spellings (-p VALUE, -pVALUE, --pid VALUE, --pid=VALUE), has help,
// and shows in --help, the man page and every shell's completion; no two
// rows share a spelling.
func TestOptionTableWired(t *testing.T) {
	seen := map[string]bool{}
	var man bytes.Buffer
	if err := writeManPage(&man); err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{"--help": usage(), "man page": man.String()}
	for _, shell := range completionShells {
		var b strings.Builder
		completionWriter(shell)(&b)
		outputs[shell] = b.String()
	}
	for i := range optionTable {
		s := &optionTable[i]
		if s.set == nil || s.help == "" || s.short == 0 && s.long == "" || s.group >= len(groupTitles) {
			t.Errorf("row %d (%s): lacks a setter, help, a spelling or a group title", i, s.label())
		}
		for _, name := range s.spellings() {
			if seen[name] {
				t.Errorf("%s: two rows spell it", name)
			}
			seen[name] = true
			var forms [][]string
			v := ""
			if s.arg == "" {
				forms = [][]string{{name}}
			} else {
				v = sampleValue(s)
				forms = [][]string{{name, v}}
				if s.short != 0 && name == "-"+string(s.short) {
					forms = append(forms, []string{name + v})
				} else {
					forms = append(forms, []string{name + "=" + v})
				}
			}
			// The parser hands the value to the row's setter: it fails
			// only as the setter does (for a value it does not take).
			want := fmt.Sprint(s.set(&options{}, v))
			for _, args := range forms {
				if _, _, err := scanArgs(args); fmt.Sprint(err) != want {
					t.Errorf("%q: %v, want %v", args, err, want)
				}
			}
		}
		if s.hidden {
			continue
		}
		for what, out := range outputs {
			if what == "bash" {
				// Only the list of options, with a space at each end.
				_, out, _ = strings.Cut(out, "if [[ $cur == -* ]]; then\n\t\tCOMPREPLY=($(compgen -W '")
				out, _, _ = strings.Cut(out, "'")
				out = " " + out + " "
			}
			for _, want := range mentions(what, s) {
				if !strings.Contains(out, want) {
					t.Errorf("%s does not show %q", what, want)
				}
			}
		}
	}
}

// mentions are what output what (--help, man page, or a shell's
// completion) must hold for the option s.
func mentions(what string, s *optionSpec) []string {
	switch what {
	case "--help":
		return []string{"    " + s.label()}
	case "man page":
		return []string{".TP\n" + s.manLabel() + "\n"}
	case "fish":
		var w []string
		if s.short != 0 {
			w = append(w, " -s "+string(s.short))
		}
		if s.long != "" {
			w = append(w, " -l "+s.long)
		}
		return []string{"complete -c hawk" + strings.Join(w, "")}
	case "bash":
		// The words offered for a word that starts with -.
		return []string{" " + strings.Join(s.spellings(), " ") + " "}
	}
	// zsh: _arguments's spec of each spelling, before its description.
	var w []string
	for _, name := range s.spellings() {
		switch {
		case s.arg == "":
			w = append(w, name+"[")
		case strings.HasPrefix(name, "--"):
			w = append(w, name+"=[")
		default:
			w = append(w, name+"+[")
		}
	}
	return w
}

// TestOptionTableDrivesAll: a row added to the table is parsed and shows
// in --help, the man page and the completions with no other change (as
// the options other parts of hawk add).
func TestOptionTableDrivesAll(t *testing.T) {
	saved := optionTable
	t.Cleanup(func() { optionTable = saved })
	var got string
	optionTable = append(saved[:len(saved):len(saved)], optionSpec{long: "zz-new", arg: "ZZFILE", kind: argFile, group: groupOutput,
		help: "an option only this test has", set: func(o *options, v string) error { got = v; return nil }})
	if _, _, err := scanArgs([]string{"--zz-new", "f.out"}); err != nil || got != "f.out" {
		t.Errorf("--zz-new f.out: %v, set %q", err, got)
	}
	var man bytes.Buffer
	writeManPage(&man)
	var bash, zsh, fish strings.Builder
	writeBashCompletion(&bash)
	writeZshCompletion(&zsh)
	writeFishCompletion(&fish)
	for what, c := range map[string]struct{ out, want string }{
		"--help":   {usage(), "    --zz-new ZZFILE\n                   an option only this test has\n"},
		"man page": {man.String(), ".TP\n\\fB\\-\\-zz\\-new\\fR \\fIZZFILE\\fR\nan option only this test has\n"},
		"bash":     {bash.String(), "\t--zz-new)\n\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"},
		"zsh":      {zsh.String(), "'--zz-new=[an option only this test has]:zzfile:_files'"},
		"fish":     {fish.String(), "complete -c hawk -l zz-new -r -F -d 'an option only this test has'\n"},
	} {
		if !strings.Contains(c.out, c.want) {
			t.Errorf("%s lacks %q:\n%s", what, c.want, c.out)
		}
	}
}

// TestSubcommandErrors: completion takes one shell it knows, man takes
// nothing; both are usage errors otherwise. A script named completion
// runs after --.
func TestSubcommandErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"completion"}, "hawk: completion takes one shell: bash, fish, zsh\n"},
		{[]string{"completion", "tcsh"}, "hawk: completion takes one shell: bash, fish, zsh\n"},
		{[]string{"completion", "bash", "zsh"}, "hawk: completion takes one shell: bash, fish, zsh\n"},
		{[]string{"man", "x"}, "hawk: man takes no arguments\n"},
		{[]string{"--", "completion"}, "hawk: open completion: no such file or directory"},
	} {
		stdout, stderr, code := hawkRun("", tc.args...)
		if code != exitUser || stdout != "" || !strings.HasPrefix(stderr, tc.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 1 and %q", tc.args, code, stdout, stderr, tc.want)
		}
	}
	for _, shell := range completionShells {
		if stdout, stderr, code := hawkRun("", "completion", shell); code != 0 || !strings.Contains(stdout, "hawk") || stderr != "" {
			t.Errorf("completion %s: exit %d, stderr %q", shell, code, stderr)
		}
	}
}

// lookPath returns the path of the command name, or skips t (fails it
// under HAWK_TEST_KERNEL=1, where make testdeps installs it).
func lookPath(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		need(t, name)
	}
	return path
}

// TestManPageRenders: groff reads the man page with every warning on
// and finds nothing to say; man shows every option, the environment and
// the examples; mandoc's lint, where it is installed, is clean too.
func TestManPageRenders(t *testing.T) {
	lookPath(t, "groff")
	lookPath(t, "man")
	page := filepath.Join(t.TempDir(), "hawk.1")
	stdout, stderr, code := hawkRun("", "man")
	if code != 0 || stderr != "" {
		t.Fatalf("hawk man: exit %d, %s", code, stderr)
	}
	if err := os.WriteFile(page, []byte(stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("groff", "-man", "-ww", "-z", page).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("groff -man -ww: %v\n%s", err, out)
	}
	if out, err := exec.Command(lookPath(t, "mandoc"), "-T", "lint", "-W", "warning", page).CombinedOutput(); err != nil {
		t.Errorf("mandoc -T lint: %v\n%s", err, out)
	}
	checkManOutput(t, page)
}

// checkManOutput runs man -l on page and checks it shows the sections,
// every option's spellings, the environment variables and the examples.
func checkManOutput(t *testing.T, page string) {
	t.Helper()
	cmd := exec.Command("man", "-l", page)
	cmd.Env = append(os.Environ(), "MANWIDTH=100", "MANPAGER=cat", "PAGER=cat", "LC_ALL=C.UTF-8")
	out, err := cmd.CombinedOutput()
	text := string(out)
	if err != nil {
		t.Fatalf("man -l: %v\n%s", err, out)
	}
	want := []string{"HAWK(1)", "NAME\n       hawk - run bpftrace programs", "SYNOPSIS", "OPTIONS", "ENVIRONMENT", "EXAMPLES", "SEE ALSO"}
	for _, s := range visibleOptions() {
		want = append(want, strings.Join(s.spellings(), ", "))
	}
	for _, e := range envVars {
		want = append(want, e.name)
	}
	for _, e := range examples {
		want = append(want, e.command)
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("man -l %s does not show %q", page, w)
		}
	}
	if t.Failed() {
		t.Logf("man -l:\n%s", text)
	}
}

// bashComplete sources script in bash and, for each command line (the
// word at the cursor last), runs _hawk as bash's programmable completion
// does and returns COMPREPLY, one line per command line, its words
// separated by spaces.
func bashComplete(t *testing.T, script string, lines [][]string) []string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "source %s || exit 1\n", shellQuote(script))
	b.WriteString("complete -p hawk >/dev/null || exit 1\n")
	for _, words := range lines {
		var quoted []string
		for _, w := range words {
			quoted = append(quoted, shellQuote(w))
		}
		fmt.Fprintf(&b, "COMP_WORDS=(%s); COMP_CWORD=%d; COMPREPLY=(); _hawk; echo \"${COMPREPLY[*]}\"\n", strings.Join(quoted, " "), len(words)-1)
	}
	cmd := exec.Command("bash", "--norc", "--noprofile", "-c", b.String())
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(got) != len(lines) {
		t.Fatalf("bash printed %d lines for %d completions:\n%s", len(got), len(lines), out)
	}
	return got
}

// TestBashCompletion: the bash completion, sourced in bash, completes
// options, the values of those that take a fixed set (one after another,
// comma-separated, for -d), process ids for -p, probe kinds for -l, the
// shells for completion, and script files.
func TestBashCompletion(t *testing.T) {
	lookPath(t, "bash")
	dir := t.TempDir()
	script := filepath.Join(dir, "hawk.bash")
	stdout, _, code := hawkRun("", "completion", "bash")
	if code != 0 {
		t.Fatalf("completion bash: exit %d", code)
	}
	if err := os.WriteFile(script, []byte(stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("bash", "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	pid := strconv.Itoa(os.Getpid())
	cases := []struct {
		words []string
		want  func(got string) bool
		what  string
	}{
		{[]string{"hawk", "--fo"}, eq("--format"), "--format"},
		{[]string{"hawk", "--ver"}, eq("--verbose --version --verify"), "the three --ver options"},
		{[]string{"hawk", "-q", "-f", ""}, eq("text json"), "the formats"},
		{[]string{"hawk", "--format", "j"}, eq("json"), "json"},
		{[]string{"hawk", "--format", "=", "j"}, eq("json"), "json after --format="},
		{[]string{"hawk", "--mode", "=", ""}, eq("bench test"), "the modes after --mode="},
		{[]string{"hawk", "-B", ""}, eq("line full none"), "the buffer modes"},
		{[]string{"hawk", "-d", "ast,a"}, eq("ast,ast ast,asm ast,all"), "the stages after the comma"},
		{[]string{"hawk", "--mode", ""}, eq("bench test"), "the modes"},
		{[]string{"hawk", "--no-feature", "u"}, eq("uprobe_multi"), "uprobe_multi"},
		{[]string{"hawk", "completion", ""}, eq("bash fish zsh"), "the shells"},
		{[]string{"hawk", "-l", "tracep"}, eq("tracepoint:"), "tracepoint:"},
		{[]string{"hawk", "-p", pid}, hasWord(pid), "this process's pid"},
		{[]string{"hawk", "-e", "x", "-"}, hasWord("--unsafe"), "the options"},
		{[]string{"hawk", "tra"}, eq("trace.bt"), "the script file"},
		{[]string{"hawk", "-o", "tr"}, eq("trace.bt"), "a file for -o"},
	}
	var lines [][]string
	for _, c := range cases {
		lines = append(lines, c.words)
	}
	// The completion runs in a directory of its own, holding trace.bt.
	script2 := filepath.Join(dir, "run.bash")
	if err := os.WriteFile(script2, []byte("cd "+shellQuote(dir)+" && source "+shellQuote(script)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "trace.bt"), []byte("BEGIN { exit(); }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := bashComplete(t, script2, lines)
	for i, c := range cases {
		if !c.want(got[i]) {
			t.Errorf("%q completes to %q, want %s", c.words, got[i], c.what)
		}
	}
}

func eq(want string) func(string) bool { return func(got string) bool { return got == want } }

func hasWord(w string) func(string) bool {
	return func(got string) bool {
		for _, f := range strings.Fields(got) {
			if f == w {
				return true
			}
		}
		return false
	}
}

// TestZshFishCompletionSyntax: zsh and fish read their completion
// scripts without a syntax error.
func TestZshFishCompletionSyntax(t *testing.T) {
	for _, shell := range []string{"zsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			path := lookPath(t, shell)
			stdout, _, code := hawkRun("", "completion", shell)
			if code != 0 {
				t.Fatalf("completion %s: exit %d", shell, code)
			}
			file := filepath.Join(t.TempDir(), "hawk."+shell)
			if err := os.WriteFile(file, []byte(stdout), 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(path, "-n", file).CombinedOutput(); err != nil || len(out) > 0 {
				t.Errorf("%s -n: %v\n%s", shell, err, out)
			}
		})
	}
}

// TestMakeInstall is issue 15's acceptance 4: make install into a
// DESTDIR puts the binary, which runs, the man page, which man shows,
// and the three completions under usr/local, and make uninstall takes
// them away again.
func TestMakeInstall(t *testing.T) {
	makePath := lookPath(t, "make")
	lookPath(t, "man")
	if testing.Short() {
		t.Skip("builds hawk")
	}
	dest, build := t.TempDir(), t.TempDir()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(makePath, "-C", root, "install", "DESTDIR="+dest, "BIN="+filepath.Join(build, "hawk"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make install: %v\n%s", err, out)
	}
	prefix := filepath.Join(dest, "usr/local")
	for path, mode := range map[string]os.FileMode{
		"bin/hawk": 0o755, "share/man/man1/hawk.1": 0o644, "share/bash-completion/completions/hawk": 0o644,
		"share/zsh/site-functions/_hawk": 0o644, "share/fish/vendor_completions.d/hawk.fish": 0o644,
	} {
		st, err := os.Stat(filepath.Join(prefix, path))
		if err != nil {
			t.Errorf("not installed: %v", err)
		} else if st.Mode().Perm() != mode || st.Size() == 0 {
			t.Errorf("%s: mode %v, %d bytes; want mode %v and content", path, st.Mode().Perm(), st.Size(), mode)
		}
	}
	out, err := exec.Command(filepath.Join(prefix, "bin/hawk"), "--version").Output()
	if err != nil || !strings.HasPrefix(string(out), "hawk v") || strings.Contains(string(out), "commit unknown") {
		t.Errorf("installed hawk --version: %v, %q", err, out)
	}
	checkManOutput(t, filepath.Join(prefix, "share/man/man1/hawk.1"))
	got := bashComplete(t, filepath.Join(prefix, "share/bash-completion/completions/hawk"), [][]string{{"hawk", "--dry"}})
	if got[0] != "--dry-run" {
		t.Errorf("installed bash completion: --dry completes to %q", got[0])
	}
	for _, shell := range []string{"zsh", "fish"} {
		file := map[string]string{"zsh": "share/zsh/site-functions/_hawk", "fish": "share/fish/vendor_completions.d/hawk.fish"}[shell]
		if out, err := exec.Command(lookPath(t, shell), "-n", filepath.Join(prefix, file)).CombinedOutput(); err != nil {
			t.Errorf("%s -n %s: %v\n%s", shell, file, err, out)
		}
	}
	cmd = exec.Command(makePath, "-C", root, "uninstall", "DESTDIR="+dest)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make uninstall: %v\n%s", err, out)
	}
	var left []string
	filepath.Walk(dest, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			left = append(left, path)
		}
		return nil
	})
	if len(left) > 0 {
		t.Errorf("make uninstall left %q", left)
	}
}

// TestEmbeddedOptionsFromTable: an executable that --aot wrote lists in
// its -h the rows of the option table it takes, refuses those only
// compiling reads, and takes the others.
func TestEmbeddedOptionsFromTable(t *testing.T) {
	help := embeddedUsage("prog")
	for i := range optionTable {
		s := &optionTable[i]
		listed := strings.Contains(help, "\n    "+s.label())
		if listed != (s.embedded == embeddedListed) {
			t.Errorf("%s: listed %v in the executable's -h, embedded %d", s.label(), listed, s.embedded)
		}
		args, v := []string{s.spellings()[0]}, ""
		if s.arg != "" {
			v = sampleValue(s)
			if s.short == 'd' {
				v = "asm" // the one stage it has
			}
			args = append(args, v)
		}
		_, err := parseEmbeddedArgs(args, []byte("obj"))
		refused := err != nil && strings.Contains(err.Error(), "this executable runs the program compiled into it")
		if refused != (s.embedded == embeddedRefused) {
			t.Errorf("%q: %v; embedded %d", args, err, s.embedded)
		} else if want := fmt.Sprint(s.set(&options{}, v)); !refused && fmt.Sprint(err) != want {
			t.Errorf("%q: %v, want %v", args, err, want)
		}
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/runtime/output"
)

// TestLongOptions: bpftrace v0.26's long spellings mean what the short
// ones do, with the value after a space or an '='.
func TestLongOptions(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		check func(o *options) bool
	}{
		{[]string{"--pid", "12", "-e", "x"}, func(o *options) bool { return o.pid == 12 }},
		{[]string{"--pid=12", "-e", "x"}, func(o *options) bool { return o.pid == 12 }},
		{[]string{"--cmd", "ls -l", "-e", "x"}, func(o *options) bool { return o.command == "ls -l" }},
		{[]string{"--output", "f", "-e", "x"}, func(o *options) bool { return o.outFile == "f" }},
		{[]string{"--format=json", "-e", "x"}, func(o *options) bool { return o.format == output.FormatJSON }},
		{[]string{"--list"}, func(o *options) bool { return o.list && o.pattern == "" }},
		{[]string{"--list", "t:sched:*"}, func(o *options) bool { return o.list && o.pattern == "t:sched:*" }},
		{[]string{"--quiet", "--verbose", "--warnings", "-e", "x"}, func(o *options) bool { return o.quiet && o.verbose && o.helperErrors }},
		{[]string{"--debug", "asm", "-e", "x"}, func(o *options) bool { return o.debug == "asm" }},
		{[]string{"-d", "all", "-e", "x"}, func(o *options) bool { return o.debug == "ast,asm" }},
		{[]string{"-d", "asm,ast", "-e", "x"}, func(o *options) bool { return o.debug == "ast,asm" }},
		{[]string{"-d", "asm", "-d", "ast", "-e", "x"}, func(o *options) bool { return o.wants("ast") && o.wants("asm") }},
		{[]string{"--no-feature", "uprobe_multi,kprobe_session", "--no-feature=kprobe_multi", "-e", "x"},
			func(o *options) bool {
				return strings.Join(o.noFeature, ",") == "uprobe_multi,kprobe_session,kprobe_multi"
			}},
		{[]string{"-l", "-e", "t:sched:sched_switch {}"}, func(o *options) bool { return o.list && o.hasProg }},
		{[]string{"-l", "cli_test.go"}, func(o *options) bool { return o.list && o.file == "cli_test.go" && o.pattern == "" }},
		{[]string{"-l", "no_such.bt"}, func(o *options) bool { return o.list && o.file == "" && o.pattern == "no_such.bt" }},
	} {
		o, err := parseArgs(tc.args)
		if err != nil || !tc.check(o) {
			t.Errorf("%q: error %v, options %+v", tc.args, err, o)
		}
	}
}

// TestCommandLineRefusals: what bpftrace v0.26 refuses, hawk refuses, each
// with a message of its own.
func TestCommandLineRefusals(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-kk", "-e", "x"}, "-kk was removed in bpftrace v0.26: use a single -k"},
		{[]string{"-k", "--warnings", "-e", "x"}, "-kk was removed"},
		{[]string{"-p", "a1111", "-e", "x"}, `-p needs a process id: "a1111" is not a number`},
		{[]string{"-p", "not_a_pid", "-e", "x"}, `-p needs a process id: "not_a_pid" is not a number`},
		{[]string{"-p", "111a1", "-e", "x"}, `-p needs a process id: "111a1" has "a1" after its number`},
		{[]string{"--pid", "5000000", "-e", "x"}, "-p 5000000: pid out of range (the largest is 4194304)"},
		{[]string{"-p", "0", "-e", "x"}, "-p needs a process id, not 0"},
		{[]string{"--pid"}, "option --pid needs a value"},
		{[]string{"-d", "ast,ir", "-e", "x"}, `unknown debug stage "ir" (stages: ast, asm, all)`},
		{[]string{"--no-feature", "kprobe_multi,btf", "-e", "x"}, `--no-feature: unknown feature "btf" (features: kprobe_multi, kprobe_session, uprobe_multi)`},
		{[]string{"--list=x"}, `option --list takes no value ("x")`},
		{[]string{"-l", "-e", "BEGIN {}", "pattern"}, "-l -e 'PROGRAM' lists the program's probes: it takes no pattern"},
		{[]string{"-l", "a", "b"}, "-l takes one pattern or one file"},
	} {
		_, err := parseArgs(tc.args)
		if err == nil || err.Error() != tc.want && !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.args, err, tc.want)
		}
	}
}

// TestListProgram: -l with a program lists the probes it would attach
// to, patterns expanded, timers and perf events by their unit, BEGIN and
// END left out; -lv adds their arguments.
func TestListProgram(t *testing.T) {
	file := filepath.Join(t.TempDir(), "timers.bt")
	os.WriteFile(file, []byte("interval:ms:1000 {}\ninterval:s:1 {}\nBEGIN {}\nsoftware:cs:10 {}\nEND {}\n"), 0o644)
	code, stdout, stderr := hawkOut(t, "-l", file)
	if want := "interval:ms:\ninterval:s:\nsoftware:cs:\n"; code != 0 || stdout != want || stderr != "" {
		t.Errorf("-l FILE: exit %d, stderr %q, stdout %q, want %q", code, stderr, stdout, want)
	}

	code, stdout, stderr = hawkOut(t, "--list", "-e", "tracepoint:sched:sched_process_fork, tracepoint:sched:sched_wakeup_n* { exit(); }")
	if want := "tracepoint:sched:sched_process_fork\ntracepoint:sched:sched_wakeup_new\n"; code != 0 || stdout != want {
		t.Errorf("-l -e: exit %d, stderr %q, stdout %q, want %q", code, stderr, stdout, want)
	}

	code, stdout, _ = hawkOut(t, "-lv", "-e", "tracepoint:sched:sched_process_exec { }")
	if code != 0 || !strings.HasPrefix(stdout, "tracepoint:sched:sched_process_exec\n    ") || !strings.Contains(stdout, " old_pid\n") {
		t.Errorf("-lv -e: exit %d, stdout %q", code, stdout)
	}

	// A mistake in the program is reported as a run would report it.
	code, _, stderr = hawkOut(t, "-l", "-e", "tracepoint:sched:sched_switch { x }")
	if code != 1 || !strings.HasPrefix(stderr, "-e:1:33: error: unknown identifier \"x\"") {
		t.Errorf("-l -e with a mistake: exit %d, stderr %q", code, stderr)
	}

	// A name that looks like a file but is none is a pattern, with a
	// warning.
	code, stdout, stderr = hawkOut(t, "-l", "no_such_file.bt")
	if code != 0 || stdout != "" || stderr != "hawk: warning: \"no_such_file.bt\" looks like a file name, but no such file exists: listing the probes that match it as a pattern\n" {
		t.Errorf("-l no_such_file.bt: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestLongOptionsRun: --output, --cmd and --format at work.
func TestLongOptionsRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := hawkOut(t, "-e", `interval:ms:10 { printf("%s %d\n", "SUCCESS", 1); exit() }`, "--output", out, "--format", "json")
	got, _ := os.ReadFile(out)
	if code != 0 || stdout != "" || !strings.Contains(string(got), "\n{\"type\": \"printf\", \"data\": \"SUCCESS 1\\n\"}\n") {
		t.Errorf("--output --format json: exit %d, stderr %q, stdout %q, file %q", code, stderr, stdout, got)
	}
	code, stdout, stderr = hawkOut(t, "-e", `tracepoint:sched:sched_process_exit /pid == cpid/ { printf("%s\n", comm); exit() }`, "--cmd", "sh -c 'exit 0'")
	if code != 0 || !strings.HasPrefix(stdout, "sh\n") {
		t.Errorf("--cmd: exit %d, stderr %q, stdout %q", code, stderr, stdout)
	}
}

// TestListTypes: -l 'struct NAME' lists the kernel's types by name, -lv
// their definitions from BTF, each after "vmlinux: " and followed by an
// empty line.
func TestListTypes(t *testing.T) {
	code, stdout, stderr := hawkOut(t, "-l", "struct task_struc?")
	if code != 0 || stdout != "struct task_struct\n" {
		t.Errorf("-l 'struct task_struc?': exit %d, stderr %q, stdout %q", code, stderr, stdout)
	}
	code, stdout, stderr = hawkOut(t, "-lv", "struct task_struct,struct fd,enum pid_type")
	for _, want := range []string{"vmlinux: struct task_struct {\n\tstruct thread_info thread_info;\n", "\tchar comm[16];\n",
		"\nvmlinux: struct fd {\n", "\nvmlinux: enum pid_type {\n\tPIDTYPE_PID = 0,\n"} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("-lv: exit %d, stderr %q, output lacks %q:\n%.400s", code, stderr, want, stdout)
		}
	}
	if !strings.HasSuffix(stdout, "\n};\n\n") {
		t.Errorf("-lv: the output does not end with a definition and an empty line: %q", stdout[max(0, len(stdout)-40):])
	}
}

// TestVersionLine: --version prints the version, the commit and the
// build date the Makefile stamps, "unknown" for what was not stamped.
func TestVersionLine(t *testing.T) {
	defer func(c, cd, bd string) { commit, commitDate, buildDate = c, cd, bd }(commit, commitDate, buildDate)
	commit, commitDate, buildDate = "0123456789ab", "2026-12-07T08:00:00+00:00", "2026-12-07T09:00:00Z"
	if got, want := versionLine(), "hawk v0.1.0 (commit 0123456789ab of 2026-12-07T08:00:00+00:00, built 2026-12-07T09:00:00Z)\n"; got != want {
		t.Errorf("stamped: %q, want %q", got, want)
	}
	commit, commitDate, buildDate = "", "", ""
	if got := versionLine(); !strings.HasPrefix(got, "hawk v0.1.0 (commit ") || !strings.HasSuffix(got, ", built unknown)\n") {
		t.Errorf("not stamped: %q", got)
	}
	stdout, _, code := hawkRun("", "-V")
	if code != 0 || !strings.HasPrefix(stdout, "hawk v0.1.0 (commit ") {
		t.Errorf("-V: exit %d, %q", code, stdout)
	}
}

// TestHelpListsEverything: --help names every option hawk accepts and
// the environment variables it reads.
func TestHelpListsEverything(t *testing.T) {
	stdout, _, code := hawkRun("", "--help")
	names := []string{"-e PROGRAM", "-B MODE", "-I DIR", "-h, --help", "-V, --version", "--info", "--verify", "--unsafe",
		"--dry-run", "--repl", "--emit-elf FILE", "--include FILE", "--no-feature FEATURE",
		"BPFTRACE_NAME=VALUE", "BPFTRACE_STRLEN", "BPFTRACE_COLOR", "HAWK_HISTORY"}
	for _, s := range optionTable {
		if s.short != 0 && s.long != "" {
			names = append(names, "-"+string(s.short)+", --"+s.long)
		}
	}
	for _, name := range names {
		if code != 0 || !strings.Contains(stdout, "    "+name) {
			t.Errorf("--help does not list %q", name)
		}
	}
}

// TestInfoLinkFeatures: --info reports bpftrace's "Probe types", the
// multi-attach links, and those --no-feature turns off as off.
func TestInfoLinkFeatures(t *testing.T) {
	code, stdout, stderr := hawkOut(t, "--info", "--no-feature", "kprobe_session")
	for _, want := range []string{"\nProbe types\n  kprobe_multi: ", "\n  uprobe_multi: ", "\n  kprobe_session: no (turned off by --no-feature)\n"} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("--info: exit %d, stderr %q, lacks %q:\n%s", code, stderr, want, stdout)
		}
	}
}

// TestSplitCommand: -c's command is split into words as a POSIX shell
// splits them, quotes and backslashes included, without expansions.
func TestSplitCommand(t *testing.T) {
	for _, tc := range []struct {
		cmd  string
		want []string
		err  string
	}{
		{`./testprogs/syscall nanosleep 1e9`, []string{"./testprogs/syscall", "nanosleep", "1e9"}, ""},
		{`printf '[%s]\n' '$HOME' "a b" c\ d`, []string{"printf", `[%s]\n`, "$HOME", "a b", "c d"}, ""},
		{`echo "say \"hi\" \$HOME \\ \x"`, []string{"echo", `say "hi" $HOME \ \x`}, ""},
		{"echo a\\\nb 'x\ny'", []string{"echo", "ab", "x\ny"}, ""},
		{`sh -c 'echo "$0"' ''`, []string{"sh", "-c", `echo "$0"`, ""}, ""},
		{`echo 'open`, nil, `-c: unterminated ' in "echo 'open"`},
		{`echo "open`, nil, `-c: unterminated " in "echo \"open"`},
	} {
		got, err := splitWords(tc.cmd)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%q: error %v, want %q", tc.cmd, err, tc.err)
			}
			continue
		}
		if err != nil || strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
			t.Errorf("%q: %q (%v), want %q", tc.cmd, got, err, tc.want)
		}
	}
}

package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Limits every bad input must stay within: hawk must give up on it in
// time and memory (issue 12). The time is hawk's processor time, which
// other tests and builds sharing the machine do not stretch. runLimit
// kills a hawk still running after it: a hang (with a build running
// beside on two CPUs, 2 s of processor time took more than 10 s).
const (
	badInputTime   = 5 * time.Second
	badInputMemory = 500 << 20
	runLimit       = time.Minute
)

// badInput is one bad input and what hawk must do with it.
type badInput struct {
	name string
	// args are hawk's arguments; in them "{file}" is the path of a file
	// holding file's contents, "{dir}" a directory of the test's own.
	args  []string
	file  func() []byte
	stdin func() []byte
	zeros bool // stdin is /dev/zero
	// code is the exit status: 1 unless set (-1 for 0).
	code int
	// script marks an error in the script: its first line is
	// "name:line:col: error: ...", then the source line and a caret under
	// the column. name is "-e", "stdin" or the file's path.
	script bool
	// want is a regular expression stderr must match.
	want string
	// root: only root gets this far (the input reaches the kernel's
	// tracefs or loads a program); without root the case is skipped.
	root bool
	// check checks more, such as files hawk must have left alone.
	check func(t *testing.T, dir, stdout, stderr string)
}

// e is a -e one-liner with an error in it, whose message matches want.
func badScript(name, prog, want string) badInput {
	return badInput{name: name, args: []string{"-e", prog}, script: true, want: want}
}

// f is a script file with an error in it, whose message matches want.
func badFile(name string, text func() []byte, want string) badInput {
	return badInput{name: name, args: []string{"{file}"}, file: text, script: true, want: want}
}

// flag is a mistake on the command line.
func badFlag(name string, want string, args ...string) badInput {
	return badInput{name: name, args: args, want: want}
}

// root marks a case that only root gets far enough with.
func asRoot(c badInput) badInput {
	c.root = true
	return c
}

// text returns a function giving s.
func bytesOf(s string) func() []byte { return func() []byte { return []byte(s) } }

// repeat returns a function giving prefix, n times middle, then suffix.
func repeated(prefix, middle string, n int, suffix string) func() []byte {
	return func() []byte {
		var b bytes.Buffer
		b.Grow(len(prefix) + len(middle)*n + len(suffix))
		b.WriteString(prefix)
		for range n {
			b.WriteString(middle)
		}
		b.WriteString(suffix)
		return b.Bytes()
	}
}

// nest returns a function giving prefix, n times open, inner, n times
// close, then suffix.
func nested(prefix, open, inner, close string, n int, suffix string) func() []byte {
	return func() []byte {
		return []byte(prefix + strings.Repeat(open, n) + inner + strings.Repeat(close, n) + suffix)
	}
}

// chain gives head, then format filled with i and i-1 for each i from 1
// to n-1 (from n down to 1 when down is set), then tail.
func chain(head, format, tail string, n int, down bool) func() []byte {
	return func() []byte {
		var b strings.Builder
		b.WriteString(head)
		lines := n - 1
		if down {
			lines = n
		}
		for k := 1; k <= lines; k++ {
			i := k
			if down {
				i = n + 1 - k
			}
			fmt.Fprintf(&b, format, i, i-1)
		}
		b.WriteString(tail)
		return []byte(b.String())
	}
}

// doubledTuple assigns n variables, each a tuple of the one before twice:
// a type of 2^n members, in n lines.
func doubledTuple(n int) func() []byte {
	return chain("BEGIN {\n$v0 = 1;\n", "$v%d = ($v%d, $v%[2]d);\n", fmt.Sprintf("print($v%d);\n}\n", n-1), n, false)
}

// typingChain assigns n maps, from the last to the first, each by format
// from map i and map i-1 (a format that names only map i-1 uses %[2]d):
// every map is read before the assignment that types it.
func typingChain(n int, format string) func() []byte {
	return chain("BEGIN {\n", format, "@m0 = 1;\nexit();\n}\n", n, true)
}

// macroChain defines n macros, each but the first calling the one before
// twice: expanding the last would give 2^(n-1) copies of the first.
func macroChain(n int) func() []byte {
	return chain("macro m0(x) { x + 1 }\n", "macro m%d(x) { m%d(x) + m%[2]d(x) }\n", fmt.Sprintf("BEGIN { @ = m%d(1); exit(); }\n", n-1), n, false)
}

// garbage gives n bytes of random binary, the same each run.
func garbage(n int) func() []byte {
	return func() []byte {
		r := rand.New(rand.NewPCG(12, uint64(n)))
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return b
	}
}

const (
	kb100 = 100 << 10
	mb20  = 20 << 20
)

// badInputs are the cases: malformed syntax of every kind, huge and deep
// inputs, binary, NUL bytes, bad UTF-8, unknown names of every kind, bad
// flags and flag values, bad paths.
func badInputs() []badInput {
	unchanged := func(want string) func(t *testing.T, dir, _, _ string) {
		return func(t *testing.T, dir, _, _ string) {
			b, err := os.ReadFile(filepath.Join(dir, "script.bt"))
			if err != nil || string(b) != want {
				t.Errorf("the script is now %q (%v), want it unchanged: %q", clipOutput(string(b), 200), err, want)
			}
		}
	}
	const runnable = "BEGIN { exit(); }\n"
	return []badInput{
		// Malformed syntax.
		badScript("unclosed probe", `BEGIN {`, `missing '}'`),
		badScript("closing brace only", `BEGIN }`, ``),
		badScript("extra closing brace", `BEGIN { exit() }}`, `"}"`),
		badScript("missing expression", `BEGIN { @x = ; }`, `expected an expression`),
		badScript("missing operand", `BEGIN { $x = 1 +; }`, `expected an expression`),
		badScript("two expressions", `BEGIN { $x = 1 2; }`, ``),
		badScript("unclosed call", `BEGIN { printf("%d\n" }`, ``),
		badScript("unclosed parenthesis", `BEGIN { $x = (1 + 2; }`, ``),
		badScript("unclosed index", `BEGIN { @x[1 = 2; }`, ``),
		badScript("unclosed string", `BEGIN { "abc }`, `never closed`),
		badScript("unclosed comment", `BEGIN { /* }`, `never closed`),
		badScript("character literal", `BEGIN { 'a }`, `unexpected character`),
		badScript("integer suffix", `BEGIN { 0x; }`, `invalid suffix`),
		badScript("bad float", `BEGIN { 1.5e; }`, ``),
		badScript("block without probe", `{ }`, `unexpected "{"`),
		badScript("probe without block", `BEGIN`, ``),
		badScript("provider without name", `kprobe:`, ``),
		badScript("unclosed predicate", `tracepoint:sched:sched_switch /pid == 1 { }`, ``),
		badScript("empty predicate", `tracepoint:sched:sched_switch // { }`, ``),
		badScript("if without condition", `BEGIN { if { } }`, ``),
		badScript("while without body", `BEGIN { while (1) }`, ``),
		badScript("else alone", `BEGIN { else { } }`, ``),
		badScript("else without block", `BEGIN { if (1) { } else }`, ``),
		badScript("for without loop", `BEGIN { for }`, ``),
		badScript("for over nothing", `BEGIN { for ($kv : ) { } }`, ``),
		badScript("unroll without count", `BEGIN { unroll { } }`, ``),
		badScript("ternary without else", `BEGIN { $x = 1 ? 2; }`, ``),
		badScript("ternary alone", `BEGIN { ? : ; }`, ``),
		badScript("dollar alone", `BEGIN { $ = 1; }`, ``),
		badScript("field without name", `BEGIN { $x = 1; $x.; }`, ``),
		badScript("arrow without field", `BEGIN { curtask->; }`, ``),
		badScript("let without name", `BEGIN { let; }`, ``),
		badScript("let without type", `BEGIN { let $x: = 1; }`, ``),
		badScript("assignment to a literal", `BEGIN { 1 = 2; }`, ``),
		badScript("bad operator", `BEGIN { $x = 1 <=> 2; }`, ``),
		badScript("unclosed macro", `macro m( { } BEGIN { }`, ``),
		badScript("struct members without a semicolon between them", `struct S { int x int y } BEGIN { }`, ``),
		badScript("struct without name", `struct { int x; } BEGIN { }`, ``),
		badScript("unclosed config", `config = { max_strlen = 16 BEGIN { }`, ``),
		badScript("config without value", `config = { max_strlen = } BEGIN { }`, ``),
		badScript("unterminated #if", "#if 1\nBEGIN { }", ``),
		badScript("CRLF lines", "BEGIN {\r\n  @x = ;\r\n}", `expected an expression`),
		badScript("error after a long line", strings.Repeat(" ", 2000)+"BEGIN { @x = ; }", `expected an expression`),
		badScript("empty program", ``, `no probes`),
		badScript("blank program", "  \n\t\n", `no probes`),

		// Errors the checker finds.
		badScript("break outside a loop", `BEGIN { break; }`, `only allowed inside a loop`),
		badScript("continue outside a loop", `BEGIN { continue; }`, ``),
		badScript("division by zero", `BEGIN { @x = 1 / 0; }`, `division by zero`),
		badScript("variable changes type", `BEGIN { $x = 1; $x = "s"; }`, `cannot store`),
		badScript("map changes type", `BEGIN { @x = 1; @x = "s"; }`, `cannot store`),
		badScript("map keys change", `BEGIN { @x[1] = 1; @x[1, 2] = 1; }`, ``),
		badScript("aggregation assigned", `BEGIN { @x = count(); @x = 1; }`, `cannot store`),
		badScript("printf without arguments", `BEGIN { printf(); }`, ``),
		badScript("printf argument missing", `BEGIN { printf("%d"); }`, `no argument`),
		badScript("printf bad conversion", `BEGIN { printf("%q\n", 1); }`, `unknown printf conversion`),
		badScript("printf argument of the wrong type", `BEGIN { printf("%d\n", "s"); }`, `expects an integer`),
		badScript("count with an argument", `BEGIN { @x = count(1); }`, `takes no arguments`),
		badScript("hist without an argument", `BEGIN { @x = hist(); }`, ``),
		badScript("lhist step 0", `BEGIN { @x = lhist(1, 0, 10, 0); }`, `step`),
		badScript("exit with a string", `BEGIN { exit("a"); }`, `must be an integer`),
		badScript("str with three arguments", `BEGIN { $s = str(1, 2, 3); }`, ``),
		badScript("tuple index out of range", `BEGIN { $t = (1, 2); $t.5; }`, `out of range`),
		badScript("for over a scalar map", `BEGIN { @a = 1; for ($kv : @a) { } }`, ``),
		badScript("macro calling itself", "macro m(x) { m(x) }\nBEGIN { @ = m(1); }", ``),
		badScript("macro defined twice", "macro d(x) { x }\nmacro d(x) { x }\nBEGIN { @ = d(1); }", `defined twice`),
		badScript("signal without --unsafe", `BEGIN { signal("KILL"); }`, `--unsafe`),
		badScript("system without --unsafe", `BEGIN { system("ls"); }`, `--unsafe`),
		badScript("cpid without -c", `BEGIN { printf("%d\n", cpid); }`, `cpid`),
		badScript("checker panic: func in a map value", `x { @ = func; }`, ``),
		badScript("checker panic: func as an index", `0{0[func]}`, ``),

		// Unknown names of every kind.
		badScript("unknown probe type", `nosuchprobe:x { }`, `unknown probe type`),
		{name: "unknown tracepoint", args: []string{"-e", `tracepoint:nosuch:x { }`}, script: true, want: `not found`, root: true},
		{name: "unknown tracepoint field", args: []string{"-e", `tracepoint:sched:sched_switch { @ = args.nosuch; }`}, script: true, want: `no field "nosuch"`, root: true},
		// A program the kernel's verifier refuses: exit 2, at the statement
		// (TestVerifierRefusalPositioned has another).
		{name: "9,000 map stores in a row", args: []string{"{file}"}, file: repeated("BEGIN {\n", "@a = 1;\n", 9000, "}\n"),
			script: true, code: 2, root: true, want: `refused the program for BEGIN(.|\n)*jumps is too complex`},
		asRoot(badScript("unknown kernel function", `kprobe:nosuch_fn_xyz { }`, `no function`)),
		asRoot(badScript("unknown fentry function", `fentry:nosuch_fn_xyz { }`, `no function`)),
		asRoot(badScript("unknown raw tracepoint", `rawtracepoint:nosuch_tp { }`, `no raw tracepoint`)),
		asRoot(badScript("unknown binary", `uprobe:/nonexistent/bin:main { }`, `/nonexistent/bin`)),
		asRoot(badScript("unknown usdt probe", `usdt:/bin/true:nosuch:probe { }`, `no usdt probe`)),
		badScript("unknown iterator", `iter:nosuch { }`, `unknown iterator`),
		badScript("unknown software event", `software:nosuch { }`, `not a software event`),
		badScript("unknown hardware event", `hardware:nosuch { }`, `not a hardware event`),
		badScript("unknown profile unit", `profile:nosuch:1 { }`, `unknown profile unit`),
		badScript("unknown interval unit", `interval:nosuch:1 { }`, `unknown interval unit`),
		badScript("zero interval", `interval:s:0 { }`, `positive`),
		badScript("bad watchpoint length", `watchpoint:0x1000:3:w { }`, `length`),
		badScript("bad watchpoint mode", `watchpoint:0x1000:8:q { }`, `mode`),
		badScript("unknown function", `BEGIN { nosuchfunc(); }`, `unknown function`),
		badScript("unknown builtin", `BEGIN { @ = nosuchbuiltin; }`, `unknown identifier`),
		badScript("unknown map", `BEGIN { print(@nosuch); }`, `never assigned`),
		badScript("unknown variable", `BEGIN { print($nosuch); }`, `before it is assigned`),
		badScript("unknown struct", `BEGIN { $x = (struct nosuch *)0; }`, `unknown type`),
		badScript("unknown type", `BEGIN { $x = (nosuchtype)1; }`, `unknown type`),
		badScript("unknown type in let", `BEGIN { let $x: nosuchtype = 1; }`, `unknown type`),
		badScript("unknown type in sizeof", `BEGIN { @ = sizeof(struct nosuch); }`, `unknown type`),
		badScript("unknown field of a kernel struct", `BEGIN { @ = curtask->nosuchfield; }`, `no field`),
		badScript("unknown config variable", `config = { nosuch = 1 } BEGIN { }`, `unknown config variable`),
		badScript("retval in BEGIN", `BEGIN { @ = retval; }`, `not available`),
		badScript("args in BEGIN", `BEGIN { @ = args; }`, `not available`),
		badScript("unknown import", `import "nosuch.bt"; BEGIN { }`, `cannot import`),

		// Huge inputs.
		{name: "20 MB script", args: []string{"{file}"}, file: repeated("", "BEGIN { }\n", mb20/10, ""), want: `16 MiB`},
		{name: "20 MB script on stdin", args: []string{"-"}, stdin: repeated("", "BEGIN { }\n", mb20/10, ""), want: `16 MiB`},
		{name: "/dev/zero as the script", args: []string{"/dev/zero"}, want: `16 MiB`},
		{name: "/dev/zero on stdin", args: []string{"-"}, zeros: true, want: `16 MiB`},
		badFile("100 KB identifier", repeated("BEGIN { @ = ", "a", kb100, "; }\n"), `unknown identifier`),
		badFile("100 KB variable name", repeated("BEGIN { print($", "a", kb100, "); }\n"), `before it is assigned`),
		badFile("100 KB function name", repeated("BEGIN { ", "f", kb100, "(); }\n"), `unknown function`),
		badFile("100 KB probe type", repeated("", "p", kb100, ":x { }\n"), `unknown probe type`),
		{name: "100 KB tracepoint name", args: []string{"{file}"}, file: repeated("tracepoint:sched:", "t", kb100, " { }\n"), script: true, root: true},
		badFile("100 KB struct field", repeated("BEGIN { @ = curtask->", "c", kb100, "; }\n"), `no field`),
		badFile("100 KB map key", repeated(`BEGIN { @["`, "k", kb100, `"] = 1; exit(); }`+"\n"), ``),
		badFile("100 KB unclosed string", repeated(`BEGIN { @ = "`, "s", kb100, "\n"), `never closed`),
		badFile("200,000 statements on one line", repeated("BEGIN { ", "@a = 1; ", 200_000, "}\n"), ``),
		badFile("200,000 syntax errors", repeated("BEGIN { ", "@a = ; ", 200_000, "}\n"), `expected an expression`),

		// Deep inputs.
		badFile("100k nested parentheses", nested("BEGIN { @ = ", "(", "1", ")", 100_000, "; }\n"), ``),
		badFile("100k unclosed parentheses", nested("BEGIN { @ = ", "(", "1", "", 100_000, "; }\n"), ``),
		badFile("100k nested braces", nested("BEGIN ", "{ ", "", "} ", 100_000, "\n"), ``),
		badFile("100k unclosed braces", nested("BEGIN ", "{ ", "", "", 100_000, "\n"), ``),
		badFile("100k nested ifs", nested("BEGIN { ", "if (1) { ", "", "} ", 100_000, "}\n"), ``),
		badFile("100k unary minus", nested("BEGIN { @ = ", "- ", "1", "", 100_000, "; }\n"), ``),
		badFile("100k logical nots", nested("BEGIN { @ = ", "!", "1", "", 100_000, "; }\n"), ``),
		badFile("100k nested calls", nested("BEGIN { @ = ", "str(", "1", ")", 100_000, "; }\n"), ``),
		badFile("100k nested map indexes", nested("BEGIN { @m[1] = 1; @ = ", "@m[", "1", "]", 100_000, "; }\n"), ``),
		badFile("100k nested ternaries", nested("BEGIN { @ = ", "1 ? 1 : ", "1", "", 100_000, "; }\n"), ``),
		badFile("41 macros each calling the next twice", macroChain(41), ``),
		badFile("a tuple doubled 60 times", doubledTuple(60), `more than hawk's limit`),
		badFile("2,000 maps each typed by a read before it", typingChain(2000, "@m%d = @m%d;\n"), `cannot settle the type`),
		badFile("2,000 maps each read in its own assignment", typingChain(2000, "@m%d = (@m%d, @m%[1]d).1 + 1;\n"), ``),

		// Binary, NUL bytes, bad UTF-8, a byte-order mark.
		badFile("binary garbage", garbage(4096), ``),
		badFile("binary garbage after a probe", func() []byte { return append([]byte("BEGIN { exit(); }\n"), garbage(512)()...) }, ``),
		{name: "an executable as the script", args: []string{"/bin/true"}, want: `BPF`},
		badFile("NUL byte in a string", bytesOf("BEGIN { printf(\"a\x00b\\n\"); exit(); }\n"), ``),
		badFile("NUL byte between tokens", bytesOf("BEGIN {\x00 exit(); }\n"), ``),
		badFile("NUL byte first", bytesOf("\x00BEGIN { exit(); }\n"), ``),
		badFile("NUL bytes only", bytesOf(strings.Repeat("\x00", 64)), ``),
		badFile("bad UTF-8 between tokens", bytesOf("BEGIN { \xff\xfe; }\n"), ``),
		badFile("bad UTF-8 in an identifier", bytesOf("BEGIN { $a\xc3 = 1; }\n"), ``),
		badFile("truncated UTF-8 at the end", bytesOf("BEGIN { exit(); }\n\xe2\x82"), ``),
		badFile("UTF-16 surrogate", bytesOf("BEGIN { @ = \xed\xa0\x80; }\n"), ``),
		badFile("non-ASCII identifier", bytesOf("BEGIN { $é = 1; }\n"), ``),
		badFile("byte-order mark before an error", bytesOf("\xef\xbb\xbfBEGIN { @x = ; }\n"), `expected an expression`),
		badFile("byte-order mark twice", bytesOf("\xef\xbb\xbf\xef\xbb\xbfBEGIN { exit(); }\n"), ``),
		{name: "UTF-8 byte-order mark", args: []string{"{file}"}, file: bytesOf("\xef\xbb\xbfBEGIN { printf(\"bom\\n\"); exit(); }\n"), code: -1, root: true,
			check: func(t *testing.T, _, stdout, _ string) {
				if stdout != "bom\n\n\n" { // the script's line, then the two at exit
					t.Errorf("stdout %q, want %q", stdout, "bom\n\n\n")
				}
			}},

		// Bad flags and flag values.
		badFlag("unknown option", `unknown option -z`, "-z"),
		badFlag("unknown long option", `unknown option`, "--nosuch"),
		badFlag("-e without a program", `needs a value`, "-e"),
		badFlag("-o without a file", `needs a value`, "-o"),
		badFlag("--emit-elf without a file", `needs a file`, "--emit-elf"),
		badFlag("--info with a value", `takes no value`, "--info=x"),
		badFlag("unknown debug stage", `unknown debug stage`, "-d", "nosuch", "-e", runnable),
		badFlag("unknown output format", `invalid output format`, "-f", "nosuch", "-e", runnable),
		badFlag("unknown buffer mode", `invalid buffer mode`, "-B", "nosuch", "-e", runnable),
		badFlag("-p not a number", `-p needs a process id`, "-p", "abc", "-e", runnable),
		badFlag("-p zero", `-p needs a process id`, "-p", "0", "-e", runnable),
		badFlag("-p negative", `-p needs a process id`, "-p", "-5", "-e", runnable),
		badFlag("-p too large", `-p 99999999999999999999: pid out of range`, "-p", "99999999999999999999", "-e", runnable),
		badFlag("-p of no process", `-p 4194303: no such process`, "-p", "4194303", "-e", runnable),
		badFlag("-c empty", `-c needs a command`, "-c", "", "-e", runnable),
		badFlag("-c blank", `-c needs a command`, "-c", "   ", "-e", runnable),
		{name: "-c of a missing command", args: []string{"-c", "/nonexistent/cmd", "-e", runnable}, want: `/nonexistent/cmd`, root: true},
		badFlag("no program", `no program given`),

		// Bad paths.
		badFlag("missing script", `no such file or directory`, "/nonexistent/script.bt"),
		badFlag("directory as the script", `directory`, "{dir}"),
		badFlag("unreadable script", `permission denied`, "/proc/sys/vm/drop_caches"),
		badFlag("script that fails to read", `hawk: `, "/proc/self/mem"),
		{name: "symlink loop as the script", args: []string{"{dir}/loop"}, want: `too many levels of symbolic links`},
		{name: "-o onto the script", args: []string{"-o", "{file}", "{file}"}, file: bytesOf(runnable), want: `script`, check: unchanged(runnable)},
		{name: "-o onto the script by a symlink", args: []string{"-o", "{dir}/link.bt", "{file}"}, file: bytesOf(runnable), want: `script`, check: unchanged(runnable)},
		{name: "--emit-elf onto the script", args: []string{"--emit-elf", "{file}", "{file}"}, file: bytesOf(runnable), want: `script`, check: unchanged(runnable)},
		{name: "-o into a missing directory", args: []string{"-o", "/nonexistent/dir/out.txt", "-e", runnable}, want: `/nonexistent/dir/out.txt`},
		{name: "-o onto a directory", args: []string{"-o", "{dir}", "-e", runnable}, want: `directory`},
		{name: "--emit-elf into a missing directory", args: []string{"--emit-elf", "/nonexistent/dir/x.o", "-e", runnable}, want: `/nonexistent/dir/x.o`},
		badFile("import of /dev/zero", bytesOf("import \"/dev/zero\";\nBEGIN { exit(); }\n"), ``),
		{name: "import of a binary", args: []string{"{file}"}, file: bytesOf("import \"/bin/true\";\nBEGIN { exit(); }\n")},
	}
}

// TestBadInput runs hawk on each bad input and checks that it fails as a
// user would want: the exit status (1), a diagStart message with the
// source line and a caret for an error in the script, no Go stack trace,
// no verifier log as the only message, within 5 s and 500 MB.
func TestBadInput(t *testing.T) {
	cases := badInputs()
	if len(cases) < 100 {
		t.Fatalf("%d bad inputs, want at least 100", len(cases))
	}
	names := map[string]bool{}
	for _, tc := range cases {
		if names[tc.name] {
			t.Fatalf("two cases named %q", tc.name)
		}
		names[tc.name] = true
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.root && os.Geteuid() != 0 {
				t.Skip("hawk gets this far only as root")
			}
			runBadInput(t, tc)
		})
	}
}

// runBadInput runs hawk on one bad input and checks what it did.
func runBadInput(t *testing.T, tc badInput) {
	dir := t.TempDir()
	script := filepath.Join(dir, "script.bt")
	var content []byte
	if tc.file != nil {
		content = tc.file()
		if err := os.WriteFile(script, content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.Symlink("loop", filepath.Join(dir, "loop"))
	os.Symlink(script, filepath.Join(dir, "link.bt"))
	args := make([]string, len(tc.args))
	for i, a := range tc.args {
		args[i] = strings.NewReplacer("{file}", script, "{dir}", dir).Replace(a)
	}
	var stdin []byte
	if tc.stdin != nil {
		stdin = tc.stdin()
	}
	r := runLimited(t, args, stdin, tc.zeros)
	stdout, stderr := r.stdout.String(), r.stderr.String()
	shown := func(s string) string { return clipOutput(s, 1500) }
	want := tc.code
	switch want {
	case 0:
		want = exitUser
	case -1:
		want = 0
	}
	if r.killed != "" {
		t.Errorf("killed: %s; stderr so far:\n%s", r.killed, shown(stderr))
	} else if r.code != want {
		t.Errorf("exit status %d, want %d; stderr:\n%s", r.code, want, shown(stderr))
	}
	// The time hawk takes is its processor time: the wall time depends on
	// what else runs (these cases run two at a time, beside other tests
	// and builds), and runLimit bounds it.
	if r.cpu > badInputTime {
		t.Errorf("took %v of processor time (%v in all), more than %v", r.cpu.Round(time.Millisecond), r.elapsed.Round(time.Millisecond), badInputTime)
	}
	if r.maxRSS > badInputMemory {
		t.Errorf("used %d MB, more than %d MB", r.maxRSS>>20, badInputMemory>>20)
	}
	for _, leak := range []string{"goroutine ", "panic:", "internal error"} {
		if strings.Contains(stderr, leak) || strings.Contains(stdout, leak) {
			t.Errorf("%q in the output: a Go stack or internal error leaked:\n%s", leak, shown(stderr))
		}
	}
	if verifierLine.MatchString(stderr) && !diagStart.MatchString(stderr) {
		t.Errorf("a verifier log is the only message:\n%s", shown(stderr))
	}
	if want != 0 && strings.TrimSpace(stderr) == "" {
		t.Error("no message on stderr")
	}
	if tc.want != "" && !regexp.MustCompile(tc.want).MatchString(stderr) {
		t.Errorf("stderr does not match %q:\n%s", tc.want, shown(stderr))
	}
	if tc.script && r.code > 0 {
		name := "-e"
		switch {
		case len(args) > 0 && args[len(args)-1] == script:
			name = script
		case len(args) > 0 && args[len(args)-1] == "-":
			name = "stdin"
		}
		var lines []string
		switch {
		case tc.file != nil:
			lines = strings.Split(string(content), "\n")
		case len(args) > 1 && args[0] == "-e":
			lines = strings.Split(args[1], "\n")
		}
		checkDiagnostic(t, name, lines, stderr)
	}
	if tc.check != nil {
		tc.check(t, dir, stdout, stderr)
	}
}

// diagStart finds a diagnostic's first line: "file:line:col: error: ";
// verifierLine a line of the kernel verifier's log.
var (
	diagStart    = regexp.MustCompile(`(?m)^(.+?):(\d+):(\d+): error: `)
	verifierLine = regexp.MustCompile(`(?m)^\d+: \([0-9a-f]{2}\) |^processed \d+ insns`)
)

// checkDiagnostic checks the first error of stderr: it starts stderr, is
// in name, at a line and column of the script (lines), and shows that
// line under it with a caret under the column.
func checkDiagnostic(t *testing.T, name string, lines []string, stderr string) {
	t.Helper()
	loc := diagStart.FindStringSubmatchIndex(stderr)
	if loc == nil || loc[0] != 0 {
		t.Errorf("stderr does not start with %s:LINE:COL: error:\n%s", name, clipOutput(stderr, 1500))
		return
	}
	file := stderr[loc[2]:loc[3]]
	line, _ := strconv.Atoi(stderr[loc[4]:loc[5]])
	col, _ := strconv.Atoi(stderr[loc[6]:loc[7]])
	if file != name {
		t.Errorf("the error names %q, want %q", file, name)
	}
	rest := strings.SplitN(stderr, "\n", 4)
	if len(rest) < 3 {
		t.Errorf("no source line and caret under the error:\n%s", clipOutput(stderr, 1500))
		return
	}
	source, caret := rest[1], rest[2]
	if !regexp.MustCompile(`^ *\^~*$`).MatchString(caret) {
		t.Errorf("no caret line under the source line; got %q", clipOutput(caret, 200))
		return
	}
	if line < 1 || line > len(lines) {
		t.Errorf("line %d is not in the script, which has %d lines", line, len(lines))
		return
	}
	// A short ASCII line without tabs is shown whole, the caret under the
	// column; a longer one may be cut.
	src := strings.TrimSuffix(lines[line-1], "\r")
	if bom, ok := strings.CutPrefix(src, "\ufeff"); ok {
		// The byte-order mark may be shown or not, and may count as a column.
		if shown := strings.TrimPrefix(source, "    "); shown != src && shown != bom {
			t.Errorf("source line %q, want line %d of the script, %q", source, line, src)
		}
		return
	}
	if len(src) > 200 || strings.ContainsAny(src, "\t\x00") || !isASCIIText(src) {
		return
	}
	if source != "    "+src {
		t.Errorf("source line %q, want line %d of the script, %q", source, line, src)
	}
	if at := strings.IndexByte(caret, '^') - 4; at != col-1 {
		t.Errorf("the caret is under column %d, but the error says column %d:\n%s", at+1, col, clipOutput(stderr, 1500))
	}
}

func isASCIIText(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

package main

import (
	"regexp"
	"testing"
)

// semantic is a construct whose meaning follows bpftrace's, with what
// hawk must say on stderr (a regular expression; empty: anything).
type semantic struct {
	construct
	stderr string
}

// semantics are the cases of TestSemantics.
func semantics() []semantic {
	return []semantic{
		// exit() ends the probe at once: what follows does not run, in a
		// loop's body too.
		{construct: construct{name: "exit ends the probe", script: `i:ms:100 { @++; if (@) { exit(); } @++ }`, maps: "@: 1\n"}},
		{construct: construct{name: "exit in a for loop", script: `BEGIN { for ($i : 0..5) { @[$i] = 1; if ($i == 2) { exit(); } } @after = 1; }`,
			maps: "@[0]: 1\n@[1]: 1\n@[2]: 1\n"}},
		{construct: construct{name: "exit in a map loop", script: `BEGIN { @m[1] = 1; @m[2] = 2; for ($kv : @m) { @n = count(); exit(); } @after = 1; }`,
			maps: "@m[1]: 1\n@m[2]: 2\n@n: 1\n"}},
		{construct: construct{name: "exit in a while loop", script: `BEGIN { $i = 0; while ($i < 5) { $i++; @w = $i; if ($i == 3) { exit(); } } @after = 1; }`,
			maps: "@w: 3\n"}},
		{construct: construct{name: "exit with unreachable code", script: `i:ms:100 { @++; exit(); @++ }`, maps: "@: 1\n"},
			stderr: `-e:1:25: warning: unreachable statement\n`},
		// In an iterator, exit() ends the run for one object: the iteration
		// still prints for every object (bpftrace's iterators print into
		// the iteration).
		{construct: construct{name: "exit in an iterator", script: `iter:task { printf("x\n"); exit(); }`, re: `^(x\n){2,}\n\n$`}},
		// Division and modulo by zero give 1, as in bpftrace, with a
		// warning once for each place it happens.
		{construct: construct{name: "divide by zero", script: `BEGIN { @z = 0; print((uint64)10 / (uint64)@z); print((uint64)10 % (uint64)@z); print(-7 / (int64)(@z + 2)); exit(); }`,
			out: "1\n1\n-3\n", maps: "@z: 0\n"},
			stderr: `(?s)stdin:1:23-46: WARNING: Divide or modulo by 0 detected. This can lead to unexpected results. 1 is being used as the result.\n.*stdin:1:55-78: WARNING: Divide or modulo by 0`},
		{construct: construct{name: "compound divide by zero", script: `BEGIN { @z = 0; $x = 7; $x /= @z; @y = 5; @y %= @z; @n /= @z; print($x); exit(); }`,
			out: "1\n", maps: "@n: 1\n@y: 1\n@z: 0\n"},
			stderr: `Divide or modulo by 0`},
		{construct: construct{name: "divide by zero in a loop warns once", script: `BEGIN { @z = 0; unroll (3) { @r += 6 / @z; } exit(); }`,
			maps: "@r: 3\n@z: 0\n"},
			stderr: `^stdin:1:36-42: WARNING: Divide or modulo by 0[^\n]*\n[^\n]*\n[^\n]*\n$`},
		// strncmp gives 0 or 1, and compares no further than the shorter
		// string and the first NUL; NUL bytes end strings in searches and
		// printing too.
		{construct: construct{name: "strncmp", script: `BEGIN { printf("%d %d %d %d %d\n", strncmp("one", "one ", 4), strncmp("wow", comm, 17), strncmp("ab\0x", "ab\0y", 4), strncmp("abc", "abd", 2), strncmp("b", "a", 1)); exit(); }`,
			out: "1 1 0 0 1\n"}},
		{construct: construct{name: "NUL bytes in searches", script: `BEGIN { $h = "hello\0world"; $n = "wo\0rld"; $e = ""; printf("%d %d %d %d %d %d %d\n", strcontains($h, "world"), strcontains("hello world", $n), strcontains($h, $n), strcontains("hello world", "wo\0rld"), strstr("ab\0cd", "cd"), strcontains("", $e), strstr($h, "lo")); exit(); }`,
			out: "0 1 0 1 -1 1 3\n"}},
		{construct: construct{name: "NUL bytes in printing", script: `BEGIN { $s = "ab\0cd"; printf("%s|%s|\n", "ab\0cd", $s); @m = $s; exit(); }`,
			out: "ab|ab|\n", maps: "@m: ab\n"}},
		// x ?: y is x unless it is zero, x evaluated once.
		{construct: construct{name: "elvis", script: `BEGIN { $x = 1; $a = $x ?: 10; $b = 0 ?: 20; $z = 0; print(($a, $b, $z ?: (int8)-2, @n++ ?: 100, @n++ ?: 100)); if ($z ?: 1) { print("yes") } exit(); }`,
			out: "(1, 20, -2, 100, 1)\nyes\n", maps: "@n: 2\n"}},
		// Positional parameters give attach points, whole or in part, and
		// str() of one is its text, a number's too.
		{construct: construct{name: "parameter as attach point", script: `$1 { printf("%s\n", probe); exit(); }`, args: []string{"i:ms:1"},
			out: "interval:ms:1\n"}},
		{construct: construct{name: "parameter in probe type", script: `BEG$1 { printf("%s\n", probe); exit(); }`, args: []string{"IN"},
			out: "BEGIN\n"}},
		{construct: construct{name: "str of a number parameter", script: `BEGIN { printf("-%s-%s-%s-\n", str($1), str($2), str($3)); exit() }`, args: []string{"--", "1", "-7"},
			out: "-1--7--\n"}},
		// A cleared count() map without keys prints nothing at exit; one
		// zero() emptied prints 0.
		{construct: construct{name: "cleared count map", script: `BEGIN { @ = count(); @a[1] = count(); clear(@); clear(@a); @z = count(); zero(@z); @b = count(); zero(@b); clear(@b); exit(); }`,
			maps: "@z: 0\n"}},
		// -k warns of map reads that find no entry, once for each place.
		{construct: construct{name: "helper errors", script: `i:ms:10 { @[1] = 1; printf("%d\n", @[2]); printf("%d\n", @[1]); if (@n++ == 1) { exit(); } }`, args: []string{"-k"},
			out: "0\n1\n0\n1\n", maps: "@[1]: 1\n@n: 2\n"},
			stderr: `^stdin:1:36-40: WARNING: Can't lookup map element because it does not exist.\nAdditional Info - helper: map_lookup_elem, retcode: 0\n.*\n +~~~~\n$`},
		{construct: construct{name: "no helper errors without -k", script: `BEGIN { printf("%d\n", @[2]); @[1] = 1; exit(); }`,
			out: "0\n", maps: "@[1]: 1\n"},
			stderr: `^$`},
		// Probes on one event run in the order the script gives them; what
		// they send after exit() is dropped, as in bpftrace.
		{construct: construct{name: "probes on one event in order",
			script: `t:syscalls:sys_enter_getppid /pid == cpid/ { printf("a\n") } t:syscalls:sys_enter_getppid /pid == cpid/ { printf("b\n"); exit(); } t:syscalls:sys_enter_getppid /pid == cpid/ { printf("c\n"); }`,
			args:   []string{"-c", "/bin/sh -c 'echo $PPID > /dev/null'"},
			out:    "a\nb\n"}},
	}
}

// TestSemantics: constructs whose meaning bpftrace defines in a way the
// syntax does not say (exit(), division by zero, string comparison with
// NUL bytes...) mean the same in hawk.
func TestSemantics(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range semantics() {
		if seen[c.name] {
			t.Fatalf("two cases are named %s", c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			_, stderr := checkConstruct(t, c.construct)
			if c.stderr != "" && !regexp.MustCompile(c.stderr).MatchString(stderr) {
				t.Errorf("stderr %q does not match %q", stderr, c.stderr)
			}
		})
	}
}

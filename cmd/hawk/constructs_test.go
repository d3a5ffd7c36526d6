package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// construct is one run of `hawk -q -e script args...` and what it must
// print. Every language construct has at least one, edge cases included.
type construct struct {
	name   string
	script string
	args   []string // positional parameters, after the script
	env    []string // more environment, KEY=value
	// trigger is a command run every few milliseconds while hawk runs, for
	// probes that wait for an event.
	trigger []string
	out     string // what the probes print
	maps    string // what follows the two newlines at exit: the maps
	// re, when set, replaces out and maps: stdout must match it whole.
	// Only for output that differs between runs (stacks, the time).
	re   string
	code int // exit status
}

// testEnv holds facts about the test process that scripts check hawk's
// builtins against, as decimal strings for positional parameters.
type testEnv struct {
	pid, uid, gid, ncpus, cgroup string
}

func newTestEnv(t *testing.T) testEnv {
	t.Helper()
	return testEnv{
		pid:    strconv.Itoa(os.Getpid()),
		uid:    strconv.Itoa(os.Getuid()),
		gid:    strconv.Itoa(os.Getgid()),
		ncpus:  strconv.Itoa(possibleCPUs(t)),
		cgroup: strconv.FormatUint(cgroupID(t), 10),
	}
}

// possibleCPUs counts the CPUs of /sys/devices/system/cpu/possible
// ("0-15" or "0,2-3").
func possibleCPUs(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/sys/devices/system/cpu/possible")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range strings.Split(strings.TrimSpace(string(b)), ",") {
		lo, hi, found := strings.Cut(r, "-")
		a, err1 := strconv.Atoi(lo)
		z := a
		var err2 error
		if found {
			z, err2 = strconv.Atoi(hi)
		}
		if err1 != nil || err2 != nil {
			t.Fatalf("cannot read possible CPUs %q", b)
		}
		n += z - a + 1
	}
	return n
}

// cgroupID is the cgroup v2 id of this process (which hawk, its child,
// shares): the inode number of its cgroup's directory.
func cgroupID(t *testing.T) uint64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		t.Fatal(err)
	}
	path := ""
	for _, l := range strings.Split(string(b), "\n") {
		if p, ok := strings.CutPrefix(l, "0::"); ok {
			path = p
		}
	}
	mounts, err := os.ReadFile("/proc/self/mounts")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(mounts), "\n") {
		f := strings.Fields(l)
		if len(f) < 3 || f[2] != "cgroup2" {
			continue
		}
		var st syscall.Stat_t
		if err := syscall.Stat(filepath.Join(f[1], path), &st); err == nil {
			return st.Ino
		}
	}
	t.Fatal("no cgroup v2 hierarchy holds this process")
	return 0
}

// constructs is the table. Expected values were worked out by hand with C
// semantics where hawk follows C, checked against bpftrace 0.17 where it
// has the construct, and follow spec.md where hawk defines its own rule.
func constructs(e testEnv) []construct {
	return []construct{
		// Control flow.
		{
			name:   "if_else_if_else",
			script: `BEGIN { $x = 5; if ($x > 10) { printf("big\n"); } else if ($x > 3) { printf("mid\n"); } else { printf("small\n"); } $y = 1; if ($y > 3) { printf("big\n"); } else if ($y > 2) { printf("mid\n"); } else { printf("small\n"); } if ($x == 5) { printf("five\n"); } if (0) { printf("never\n"); } if $x > 4 { printf("no parens\n"); } exit(); }`,
			out:    "mid\nsmall\nfive\nno parens\n",
		},
		{
			name:   "ternary",
			script: `BEGIN { $a = 3; printf("%d %d %s %d %s\n", $a > 2 ? 10 : 20, $a > 5 ? 10 : 20, $a == 3 ? "yes" : "no", $a > 2 ? ($a > 5 ? 1 : 2) : 3, 0 ? "t" : "f"); $s = $a < 0 ? "neg" : "pos"; printf("%s\n", $s); exit(); }`,
			out:    "10 20 yes 2 f\npos\n",
		},
		{
			name:   "unroll",
			script: `BEGIN { $i = 0; unroll(5) { $i += 2; } unroll(1) { $i++; } unroll(2) { unroll(3) { $i += 10; } } printf("%d\n", $i); exit(); }`,
			out:    "71\n",
		},
		{
			name:   "while_break_continue",
			script: `BEGIN { $i = 0; $s = 0; while ($i < 10) { $i++; if ($i == 3) { continue; } if ($i == 7) { break; } $s += $i; } printf("%d %d\n", $i, $s); while ($i < 0) { printf("never\n"); } $n = 0; while (1) { $n++; if ($n >= 4) { break; } } printf("%d\n", $n); exit(); }`,
			out:    "7 18\n4\n",
		},
		{
			// A loop longer than the verifier could follow step by step,
			// loops nested, and return from inside one.
			name:   "while_long_nested_return",
			script: `BEGIN { $i = 0; $s = 0; while ($i < 100000) { $i++; $s += $i; } printf("%ld %ld\n", $i, $s); $n = 0; $j = 0; while ($j < 4) { $k = 0; while ($k < 3) { $k++; $n++; } $j++; } printf("%ld\n", $n); } BEGIN { $x = 0; while (1) { $x++; if ($x == 5) { printf("out at %ld\n", $x); return; } } printf("never\n"); } BEGIN { exit(); }`,
			out:    "100000 5000050000\n12\nout at 5\n",
		},
		{
			// String keys copied out of the loop variable into other maps.
			name:   "for_map_string_keys",
			script: `BEGIN { @a["x"] = 1; @a["yy"] = 2; for ($kv : @a) { @b[$kv.0] = $kv.1 * 10; $k = $kv.0; @c[$k] = @b[$k] + 1; } exit(); }`,
			maps:   "@a[x]: 1\n@a[yy]: 2\n@b[x]: 10\n@b[yy]: 20\n@c[x]: 11\n@c[yy]: 21\n",
		},
		{
			// BEGIN and END run on hawk's main thread, as bpftrace's do.
			name:   "begin_end_tid_is_pid",
			script: `BEGIN { printf("%d\n", tid == pid); exit(); } END { printf("%d\n", tid == pid); }`,
			out:    "1\n1\n",
		},
		{
			// A uprobe's arguments and a uretprobe's return value, read from
			// user memory; func names the function.
			name:    "uprobe_arg_retval_func",
			script:  `config = { print_maps_on_exit = false } uprobe:libc:getenv /comm == "date"/ { @name[tid] = str(arg0); @probe[tid] = probe; } uretprobe:libc:getenv /comm == "date" && @name[tid] == "TZ"/ { printf("%s %s %s %s %s\n", func, @probe[tid], probe, @name[tid], str(retval)); exit(); }`,
			trigger: []string{"env", "TZ=UTC", "date"},
			// probe names the library as found: libc.so.6 in a lib directory.
			re: `getenv uprobe:/\S+/libc\.so\.6:getenv uretprobe:/\S+/libc\.so\.6:getenv TZ UTC\n\n\n`,
		},
		{
			// Characters of strings by index; buf() of a string or a char
			// array.
			name:   "string_index_buf_of_string",
			script: `BEGIN { printf("%r|%r|%r\n", buf("abc", 2), buf("abc", 4), buf(curtask->comm, 4)); printf("%d %c %d\n", comm[0], comm[1], curtask->comm[1]); $s = comm; $i = 2; printf("%c %c %d\n", $s[$i], curtask->comm[$i], "abc"[1]); exit(); }`,
			out:    "ab|abc\\x00|hawk\n104 a 97\nw w 98\n",
		},
		{
			// Maps without keys that zero() emptied print as zero at exit,
			// as bpftrace prints them; cleared maps, count() maps too, do
			// not print.
			name:   "zeroed_scalars_print",
			script: `BEGIN { @c = count(); zero(@c); @s = sum(5); zero(@s); @d = count(); clear(@d); @h = hist(5); zero(@h); @k[1] = count(); zero(@k); @e = sum(1); clear(@e); @g = hist(1); clear(@g); exit(); }`,
			maps:   "@c: 0\n@h:\n\n@k[1]: 0\n@s: 0\n",
		},
		{
			name:   "for_range",
			script: `BEGIN { $s = 0; for ($i : 1..5) { $s += $i; } printf("%d\n", $s); for ($i : 5..5) { printf("never\n"); } for ($i : 5..1) { printf("never\n"); } $a = 3; $b = 7; $n = 0; for ($i : $a..$b) { $n += $i; } printf("%d\n", $n); for ($i : $b..$a) { printf("never\n"); } $m = 0; for ($i : -3..2) { $m += $i; } printf("%d\n", $m); exit(); }`,
			out:    "10\n18\n-5\n",
		},
		{
			name:   "for_range_break_continue_nested",
			script: `BEGIN { $s = 0; for ($i : 0..10) { if ($i == 2) { continue; } if ($i == 6) { break; } $s += $i; } printf("%d\n", $s); $t = 0; for ($i : 0..3) { for ($j : 0..4) { $t += $i * $j; } } printf("%d\n", $t); exit(); }`,
			out:    "13\n18\n",
		},
		{
			name:   "for_map",
			script: `BEGIN { @a[1] = 10; @a[2] = 20; @a[3] = 5; $n = 0; $k = 0; $v = 0; for ($kv : @a) { $n++; $k += $kv.0; $v += $kv.1; } printf("%d %d %d\n", $n, $k, $v); exit(); }`,
			out:    "3 6 35\n",
			maps:   "@a[3]: 5\n@a[1]: 10\n@a[2]: 20\n",
		},
		{
			name:   "for_map_empty",
			script: `BEGIN { @e[1] = 1; delete(@e, 1); $n = 0; for ($kv : @e) { $n++; } printf("%d\n", $n); exit(); }`,
			out:    "0\n",
		},
		{
			name:   "for_map_multi_key",
			script: `BEGIN { @m[1, "x"] = 10; @m[2, "y"] = 20; $s = 0; for ($kv : @m) { $s += $kv.0.0 * $kv.1; if ($kv.0.1 == "y") { printf("%d %s %d\n", $kv.0.0, $kv.0.1, $kv.1); } } printf("%d\n", $s); exit(); }`,
			out:    "2 y 20\n50\n",
			maps:   "@m[1, x]: 10\n@m[2, y]: 20\n",
		},
		{
			name:   "for_map_strings_and_counts",
			script: `BEGIN { @s["a"] = "apple"; for ($kv : @s) { printf("%s=%s\n", $kv.0, $kv.1); } @c["x"] = count(); @c["x"] = count(); @c["y"] = count(); $t = 0; for ($kv : @c) { $t += $kv.1; } printf("%d\n", $t); exit(); }`,
			out:    "a=apple\n3\n",
			maps:   "@c[y]: 1\n@c[x]: 2\n@s[a]: apple\n",
		},
		{
			// Counters that loops carry out, compared afterwards; len()
			// compared.
			name:   "loop_counters_compared",
			script: `BEGIN { @a[1] = 1; @a[2] = 2; $n = 0; for ($kv : @a) { $n++; } if ($n == 2) { printf("two\n"); } $m = 0; $e = 100000; for ($i : 0..$e) { $m++; } if ($m == 100000) { printf("%d\n", $m); } $s = ""; $t = 0; for ($i : 0..4) { $t += $i; if ($t > 2) { $s = "big"; } } printf("%d %s %d\n", $t, $s, len(@a) == 2); exit(); }`,
			out:    "two\n100000\n6 big 1\n",
			maps:   "@a[1]: 1\n@a[2]: 2\n",
		},
		{
			name:   "return",
			script: `BEGIN { printf("a\n"); if (1) { return; } printf("b\n"); } BEGIN { for ($i : 0..5) { if ($i == 2) { printf("ret at %d\n", $i); return; } } printf("not reached\n"); } END { printf("end\n"); }`,
			out:    "a\nret at 2\nend\n",
		},
		{
			name:   "scopes_and_let",
			script: `BEGIN { let $a: uint8 = 7; $b = (uint32)1; { let $a = "inner"; printf("%s ", $a); } if (1) { $c = 1; } else { $c = 2; } printf("%d %d %d %d\n", $a, sizeof($a), sizeof($b), $c); $i = 100; for ($i : 0..2) { printf("in %d\n", $i); } printf("%d\n", $i); let $x; $x = 5; let $y: int16; printf("%d %d\n", $x, $y); $z = 1; { $z = 2; let $z = 3; $z = 4; } printf("%d\n", $z); exit(); }`,
			out:    "inner 7 1 4 1\nin 0\nin 1\n100\n5 0\n2\n",
		},
		{
			name:   "let_int8_increment_wraps",
			script: `BEGIN { let $z: int8 = 127; $z++; let $u: uint16 = 0; $u--; printf("%d %d\n", $z, $u); exit(); }`,
			out:    "-128 65535\n",
		},

		// Maps.
		{
			name:   "map_keys",
			script: `BEGIN { @m[1] = 2; @n[1, "a"] = 3; @t[(1, "b")] = 4; @s = 7; @ = 1; @neg[-5] = 1; @b[true] = 1; exit(); }`,
			maps:   "@: 1\n@b[true]: 1\n@m[1]: 2\n@n[1, a]: 3\n@neg[-5]: 1\n@s: 7\n@t[1, b]: 4\n",
		},
		{
			name:   "map_missing_entries_read_zero",
			script: `BEGIN { @m[1] = 5; printf("%d %d\n", @m[1], @m[2]); @s["a"] = "x"; printf("[%s]\n", @s["b"]); exit(); }`,
			out:    "5 0\n[]\n",
			maps:   "@m[1]: 5\n@s[a]: x\n",
		},
		{
			name:   "map_values_tuples_records_buffers",
			script: `BEGIN { @t = (256, "abc"); @r = (a=1, b="xy"); @u[1] = (2, 3); $v = @t; printf("%d %s\n", $v.0, $v.1); @b = buf((uint8 *)&curtask->comm, 4); exit(); }`,
			out:    "256 abc\n",
			maps:   "@b: hawk\n@r: { .a = 1, .b = xy }\n@t: (256, abc)\n@u[1]: (2, 3)\n",
		},
		{
			name:   "map_value_types",
			script: `BEGIN { @i8 = (int8)-1; @u8 = (uint8)255; @bo = 1 > 0; @p = (int32 *)16; @s["b"] = "x"; @s["a"] = "y"; exit(); }`,
			maps:   "@bo: true\n@i8: -1\n@p: 0x10\n@s[a]: y\n@s[b]: x\n@u8: 255\n",
		},
		{
			name:   "map_decl_hash",
			script: `let @h = hash(2); BEGIN { @h[1] = 1; @h[2] = 2; @h[3] = 3; printf("%d %d\n", len(@h), has_key(@h, 3)); exit(); }`,
			out:    "2 0\n",
			maps:   "@h[1]: 1\n@h[2]: 2\n",
		},
		{
			name:   "map_decl_lruhash",
			script: `let @l = lruhash(2); BEGIN { @l[1] = 1; @l[2] = 2; @l[3] = 3; printf("%d %d\n", len(@l) <= 2, has_key(@l, 3)); delete(@l, 1); delete(@l, 2); delete(@l, 3); exit(); }`,
			out:    "1 1\n",
		},
		{
			name:   "map_decl_percpuhash",
			script: `let @p = percpuhash(4); let @r = percpulruhash(4); BEGIN { @p[5] = count(); @p[5] = count(); @p[7] = count(); @r["x"] = sum(3); @r["x"] = sum(4); printf("%d %d %d\n", @p[5], @r["x"], len(@p)); exit(); }`,
			out:    "2 7 2\n",
			maps:   "@p[7]: 1\n@p[5]: 2\n@r[x]: 7\n",
		},
		{
			name:   "config_max_map_keys_print_maps_on_exit",
			script: `config = { max_map_keys = 2; print_maps_on_exit = false } BEGIN { @m[1] = 1; @m[2] = 2; @m[3] = 3; printf("%d\n", len(@m)); exit(); }`,
			out:    "2\n",
		},

		// Strings and their lengths.
		{
			name:   "config_max_strlen",
			script: `config = { max_strlen = 8 } BEGIN { printf("%s|%d\n", str("abcdefghijkl"), sizeof(str(0))); exit(); }`,
			out:    "abcdefg|8\n",
		},
		{
			name:   "env_max_strlen",
			script: `BEGIN { printf("%s|\n", str("abcdefghijkl")); exit(); }`,
			env:    []string{"BPFTRACE_MAX_STRLEN=5"},
			out:    "abcd|\n",
		},
		{
			name:   "str_n",
			script: `BEGIN { printf("%s|%s|%s|%d\n", str("abcdefghijkl", 4), str(comm, 3), str("ab", 10), sizeof(str(0))); exit(); }`,
			out:    "abc|ha|ab|1024\n",
		},
		{
			name:   "string_comparisons",
			script: `BEGIN { $a = "abc"; $b = "abcd"; printf("%d %d %d %d %d\n", $a == "abc", $a != $b, $a == $b, $b == "abc", str($b, 4) == $a); @m["k"] = "value"; printf("%d %d %d\n", @m["k"] == "value", comm == "hawk", $a == comm); $s = "hello"; $s = "hi"; printf("%s|%d|%d\n", $s, strlen($s), $s == "hi"); exit(); }`,
			out:    "1 1 0 0 1\n1 1 0\nhi|2|1\n",
			maps:   "@m[k]: value\n",
		},
		{
			name:   "string_functions",
			script: `BEGIN { $s = "hawk-spec"; printf("%d %d %d %d %d %d\n", strncmp($s, "hawk", 4), strncmp($s, "hawx", 4), strncmp("b", "a", 1), strncmp($s, "hawk-spec", 100), strcontains($s, "k-s"), strcontains($s, "x")); printf("%d %d %d %d %d\n", strstr($s, "spec"), strstr($s, "zz"), strlen($s), strlen(""), strlen(comm)); exit(); }`,
			out:    "0 1 1 0 1 0\n5 -1 9 0 4\n",
		},
		{
			// str(s, n) and (string[N])s cut also when stored into a larger
			// variable, map value or key.
			name:   "string_cuts_into_larger_homes",
			script: `BEGIN { $a = "abcdefgh"; $c = "xxxxxxxxxx"; $c = str(comm, 3); $d = "xxxxxxxxxxxx"; $d = str($a, 4); $e = "xxxxxxxxxxxx"; $e = (string[3])$a; @m[str($a, 3)] = 1; @m[$a] = 2; @m[(string[5])$a] = 3; @v = "xxxxxxxxxxx"; @v = str($a, 2); printf("%s %s %s\n", $c, $d, $e); exit(); }`,
			out:    "ha abc ab\n",
			maps:   "@m[ab]: 1\n@m[abcdefgh]: 2\n@m[abcd]: 3\n@v: a\n",
		},
		{
			name:   "string_types",
			script: `BEGIN { let $s: string[8] = "abc"; printf("%s %d %s %d\n", $s, sizeof($s), (string[3])"hello", sizeof("abc")); exit(); }`,
			out:    "abc 8 he 4\n",
		},
		{
			name:   "buf",
			script: `BEGIN { $a = (uint8[4])(uint32)0x01026261; print(buf($a)); printf("%r|%rx|%rh|%r\n", buf($a), buf($a, 2), buf($a, 3), buf((uint8 *)&curtask->comm, 5)); $n = 2; @k[buf($a, $n)] = 1; @k[buf($a, $n)] += 1; exit(); }`,
			out:    "ab\\x02\\x01\nab\\x02\\x01|\\x61\\x62|61 62 02|hawk\\x00\n",
			maps:   "@k[ab]: 2\n",
		},

		// Tuples and records.
		{
			name:   "tuples",
			script: `BEGIN { $t = (1, "a"); printf("%d %s %d %s\n", $t.0, $t.1, $t[0], $t[1]); $n = (1, (2, "z"), 3); printf("%d %s %d\n", $n.1.0, $n.1.1, $n.2); print($t); print($n); print((1, "a", (true, -2))); exit(); }`,
			out:    "1 a 1 a\n2 z 3\n(1, a)\n(1, (2, z), 3)\n(1, a, (true, -2))\n",
		},
		{
			name:   "records",
			script: `BEGIN { $r = (a=1, b="x"); printf("%d %s\n", $r.a, $r.b); print($r); $v = (x=1, y=2); print((a=0, c="str", d=(5, 6), e=$v)); exit(); }`,
			out:    "1 x\n{ .a = 1, .b = x }\n{ .a = 0, .c = str, .d = (5, 6), .e = { .x = 1, .y = 2 } }\n",
		},
		{
			// A variable or map that holds tuples of several types takes
			// one wide enough for all; records match fields by name.
			name:   "tuples_records_unified",
			script: `BEGIN { $r = (a=1, b="x"); $r = (b="yy", a=4); print($r); $u = (100000, "b"); $u = (1, "a"); print($u); $c = 1; $w = $c ? (1, "a") : (100000, "bbb"); print($w); $t = (1000000, "x"); $s = ((int8)-1, "y"); $t = $s; print($t); $v = (-1, (2, "x")); $v = (70000, (300, "yyyy")); $z = (1, (2, "q")); $v = $z; print($v); @r = (a=1, b=2); @r = (b=5, a=6); @k[(1, "a")] = 1; @k[(100000, "bcd")] = 2; @k[(1, "a")] += 5; exit(); }`,
			out:    "{ .a = 4, .b = yy }\n(1, a)\n(1, a)\n(-1, y)\n(1, (2, q))\n",
			maps:   "@k[100000, bcd]: 2\n@k[1, a]: 6\n@r: { .a = 6, .b = 5 }\n",
		},
		{
			name:   "tuple_comparisons",
			script: `BEGIN { $a = (1, "a"); $b = (1, "b"); printf("%d %d %d %d\n", $a == $b, $a != $b, $a == (1, "a"), (1, "a") == (1, "a")); $t = (1, "abc", (2, 3)); $t = (1, "x", (2, 3)); $u = (1, "xyz", (2, 3)); $u = (1, "x", (2, 3)); printf("%d %d %d\n", $t == $u, $t != $u, (a=1, b="s") == (a=1, b="s")); @m[1] = (5, "q"); printf("%d %d\n", @m[1] == (5, "q"), @m[1] == (5, "r")); $big = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10); printf("%d %d\n", $big == (1, 2, 3, 4, 5, 6, 7, 8, 9, 11), $big == (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)); exit(); }`,
			out:    "0 1 1 1\n1 0 1\n1 0\n0 1\n",
			maps:   "@m[1]: (5, q)\n",
		},

		// Integers: casts, wraparound, division, shifts, signs.
		{
			name:   "int_casts",
			script: `BEGIN { printf("%d %d %d %d %d %u %d\n", (uint8)300, (int8)200, (int16)40000, (uint16)70000, (int32)3000000000, (uint32)-1, (int64)18446744073709551615); $x = 0x1234567890; printf("%d %d %d %d\n", (uint8)$x, (int8)$x, (uint32)$x, (int32)-$x); exit(); }`,
			out:    "44 -56 -25536 4464 -1294967296 4294967295 -1\n144 -112 878082192 -878082192\n",
		},
		{
			name:   "int64_overflow",
			script: `BEGIN { $m = 9223372036854775807; $n = $m + 1; printf("%ld %lu %ld %ld\n", $n, (uint64)-1, $m * 2, -$n); $u = (uint64)0; $u -= 1; printf("%lu\n", $u); exit(); }`,
			out:    "-9223372036854775808 18446744073709551615 -2 -9223372036854775808\n18446744073709551615\n",
		},
		{
			// C truncates toward zero; the BPF ISA's sdiv gives INT64_MIN for
			// INT64_MIN / -1 and smod 0; x / 0 and x % 0 are 1, as in bpftrace.
			name:   "signed_division",
			script: `BEGIN { $a = -7; $b = 2; $c = -2; printf("%ld %ld %ld %ld %ld %ld\n", $a / $b, $a % $b, 7 / $c, 7 % $c, -7 / 2, -7 % 2); $m = -9223372036854775807 - 1; $d = -1; printf("%ld %ld\n", $m / $d, $m % $d); $z = 0; $x = 7; printf("%ld %ld %ld %ld\n", $x / $z, $x % $z, $a / $z, $a % $z); printf("%lu %lu\n", (uint64)$a / 2, (uint64)-1 % 10); exit(); }`,
			out:    "-3 -1 -3 1 -3 -1\n-9223372036854775808 0\n1 1 1 1\n9223372036854775804 5\n",
		},
		{
			// C leaves shifts by 64 or more undefined; hawk defines them as 0,
			// whether the count is a constant or known only at run time. >>
			// is logical, as in bpftrace.
			name:   "shifts",
			script: `BEGIN { $x = 1; $n = 64; $m = 65; $k = -1; $neg = -8; printf("%ld %ld %ld %ld %ld %ld %ld %ld\n", $x << $n, $x << $m, $x >> $n, $neg >> $n, $neg >> 70, $x << 64, $x << $k, $x << 63); printf("%ld %ld %ld %ld %lu\n", 1 << 64, -8 >> 64, $neg >> 1, $neg << 2, (uint64)$neg >> 60); $y = 3; $y <<= 64; $w = -1; $w >>= $n; @z = 1; @z <<= $n; @v = 5; @v <<= 2; printf("%ld %ld %ld %ld\n", $y, $w, @z, @v); exit(); }`,
			out:    "0 0 0 0 0 0 0 -9223372036854775808\n0 0 9223372036854775804 -32 15\n0 0 0 20\n",
			maps:   "@v: 20\n@z: 0\n",
		},
		{
			// Signed when either side is signed (spec.md 4.2): unlike C and
			// bpftrace, uint64 max > (int64)1 is false; a literal adapts.
			name:   "signed_unsigned_comparisons",
			script: `BEGIN { $a = (uint64)-1; $b = 1; $c = -1; printf("%d %d %d %d %d\n", $a > $b, $a > 1, $c < (uint32)1, (int32)-1 < (uint32)1, (uint8)200 > (int8)-1); printf("%d %d %d\n", (uint32)4000000000 > (int32)1, (uint64)5 >= 5, -1 < 0); exit(); }`,
			out:    "0 1 1 1 1\n1 1 1\n",
		},
		{
			name:   "narrow_arithmetic",
			script: `BEGIN { printf("%ld %ld %ld %lu %ld %ld %ld\n", (int8)127 + (int8)1, (uint8)255 + (uint8)1, (uint16)0 - (uint16)1, (uint32)4000000000 * (uint32)2, (int16)-32768 / (int16)-1, ~(uint8)1, -(uint8)1); exit(); }`,
			out:    "128 256 -1 8000000000 32768 254 -1\n",
		},
		{
			name:   "bool",
			script: `BEGIN { printf("%d %d %d %d %d\n", true, false, true + 1, !5, !0); @t = true; @f = 1 < 0; print(true); print(2 > 1 && 0 > 1); exit(); }`,
			out:    "1 0 2 0 1\ntrue\nfalse\n",
			maps:   "@f: false\n@t: true\n",
		},
		{
			name:   "literals",
			script: `BEGIN { printf("%ld %ld %ld %ld %ld %ld %ld %ld\n", 10ms, 1s, 1us, 1_000, 0x1f, 017, 2e3, 1ns); printf("%ld %ld %ld %ld %ld\n", 1m, 1h, 1d, 10UL, 0xff_ff); exit(); }`,
			out:    "10000000 1000000000 1000 1000 31 15 2000 1\n60000000000 3600000000000 86400000000000 10 65535\n",
		},

		// Operators.
		{
			name:   "operators",
			script: `BEGIN { $a = 12; $b = 5; printf("%d %d %d %d %d %d %d %d %d %d %d %d\n", $a + $b, $a - $b, $a * $b, $a / $b, $a % $b, $a & $b, $a | $b, $a ^ $b, ~$a, !$a, $a << 2, $a >> 2); printf("%d %d %d %d %d %d %d %d %d %d\n", $a && $b, $a && 0, $a || 0, 0 || 0, $a == $b, $a != $b, $a < $b, $a <= 12, $a > $b, $a >= 13); printf("%d %d %d %d %d\n", 1 + 2 * 3, 1 << 2 + 1, 0 ? 1 : 0 ? 2 : 3, 10 - 2 - 3, -$a); exit(); }`,
			out:    "17 7 60 2 2 4 13 9 -13 0 48 3\n1 0 1 0 0 1 0 1 1 0\n7 8 3 5 -12\n",
		},
		{
			// Only the side of && || ?: that decides runs.
			name:   "short_circuit",
			script: `BEGIN { $i = 0; $r = 0 && $i++; $r2 = 1 || $i++; printf("%d %d %d\n", $i, $r, $r2); $r3 = 1 && $i++; $r4 = 0 || $i++; printf("%d %d %d\n", $i, $r3, $r4); $c = 0; $t = 0; $x = $i > 5 ? $c++ : $t++; printf("%d %d %d\n", $c, $t, $x); $j = 0; while ($j < 10 && $j != 4) { $j++; } printf("%d\n", $j); exit(); }`,
			out:    "0 0 1\n2 0 1\n0 1 0\n4\n",
		},
		{
			name:   "compound_assignment_variables",
			script: `BEGIN { $x = 10; $x += 5; printf("%d ", $x); $x -= 3; printf("%d ", $x); $x *= 4; printf("%d ", $x); $x /= 5; printf("%d ", $x); $x %= 5; printf("%d ", $x); $x |= 12; printf("%d ", $x); $x &= 6; printf("%d ", $x); $x ^= 3; printf("%d ", $x); $x <<= 4; printf("%d ", $x); $x >>= 2; printf("%d\n", $x); $n = -9; $n /= 2; $m = -9; $m %= 4; $u = (uint64)-1; $u >>= 60; printf("%d %d %d\n", $n, $m, $u); exit(); }`,
			out:    "15 12 48 9 4 12 4 7 112 28\n-4 -1 15\n",
		},
		{
			name:   "compound_assignment_maps",
			script: `BEGIN { @x = 10; @x += 5; printf("%d ", @x); @x -= 3; printf("%d ", @x); @x *= 4; printf("%d ", @x); @x /= 5; printf("%d ", @x); @x %= 5; printf("%d ", @x); @x |= 12; printf("%d ", @x); @x &= 6; printf("%d ", @x); @x ^= 3; printf("%d ", @x); @x <<= 4; printf("%d ", @x); @x >>= 2; printf("%d\n", @x); @m[1] += 3; @m[1] *= 7; @n["a"] -= 2; printf("%d %d\n", @m[1], @n["a"]); exit(); }`,
			out:    "15 12 48 9 4 12 4 7 112 28\n21 -2\n",
			maps:   "@m[1]: 21\n@n[a]: -2\n@x: 28\n",
		},
		{
			name:   "increment_decrement",
			script: `BEGIN { $i = 5; printf("%d %d %d %d %d\n", $i++, $i, ++$i, $i--, --$i); @i = 5; printf("%d %d %d %d %d\n", @i++, @i, ++@i, @i--, --@i); $j = @i--; $k = ++@i; printf("%d %d %d\n", $j, $k, @i); @k["a"]++; @k["a"]++; --@k["b"]; $v = 1; $v++; ++$v; $v--; printf("%d %d %d\n", @k["a"], @k["b"], $v); $p = (int32 *)0; $p++; $p++; $p--; printf("%d\n", (uint64)$p); exit(); }`,
			out:    "5 6 7 7 5\n5 6 7 7 5\n5 5 5\n2 -1 2\n4\n",
			maps:   "@i: 5\n@k[b]: -1\n@k[a]: 2\n",
		},

		// Kernel memory: BTF structs, arrays, pointers.
		{
			name:   "curtask_structs",
			script: `BEGIN { printf("%d %d %d %d %s\n", curtask->pid == tid, curtask->tgid == pid, ((struct task_struct *)curtask)->real_parent->tgid == ppid, curtask.real_parent.tgid == $1, curtask->comm); $p = curtask; printf("%d %d %d\n", $p->pid == tid, (*curtask).pid == tid, $p->real_parent->real_parent->pid > 0); exit(); }`,
			args:   []string{e.pid},
			out:    "1 1 1 1 hawk\n1 1 1\n",
		},
		{
			// saved_auxv holds (type, value) pairs; AT_PAGESZ is 6.
			name:   "kernel_array_index",
			script: `BEGIN { $found = 0; for ($i : 0..40) { if (curtask->mm->saved_auxv[$i * 2] == 6) { $found = curtask->mm->saved_auxv[$i * 2 + 1]; break; } } printf("%d %d\n", $found, curtask->mm->saved_auxv[0] != 0); exit(); }`,
			out:    fmt.Sprintf("%d 1\n", os.Getpagesize()),
		},
		{
			// if-else is an expression where a value goes, and a block
			// ending in one has its value.
			name: "if_expressions",
			script: `BEGIN { $x = if (1) { 5 } else { 6 }; let $a = 1; let $y = 0; let $z = 3; ` +
				`printf("%d %d ", $x, if ($a) { if ($y) { if ($z) { $a } else { $y } } else { $z } } else { 0 }); ` +
				`$s = if ($x > 5) { "a" } else if ($x == 5) { "bb" } else { "c" }; $t = { if ($y) { 7 } else { 8 } }; printf("%s %d\n", $s, $t); exit(); }`,
			out: "5 3 bb 8\n",
		},
		{
			// A tuple stands for as many keys: in a variable, a for
			// loop's key, has_key and delete, widened member by member,
			// and before a histogram's bucket.
			name: "tuple_as_keys",
			script: `BEGIN { @a[(int16)-1, ((int32)-2, 3)] = 10; @a[5, (6, 7)] = 11; $c = ((int8)-4, ((int16)-5, -6)); @a[$c] = 12; ` +
				`@d[0, 0, 0] = 1; @d[0, 1, 0] = 1; @d[1, 0, 0] = 1; for ($kv : @d) { if ($kv.0.1 == 1) { delete(@d, $kv.0); } } ` +
				`$k = (1, 2); @s[$k] = 1; @s[1, 2] += 5; printf("%d %d\n", @s[$k], has_key(@s, $k)); @h[$k] = hist(5); clear(@h); exit(); }`,
			out:  "6 1\n",
			maps: "@a[-1, (-2, 3)]: 10\n@a[5, (6, 7)]: 11\n@a[-4, (-5, -6)]: 12\n@d[0, 0, 0]: 1\n@d[1, 0, 0]: 1\n@s[1, 2]: 6\n",
		},
		{
			// delete() says whether there was an entry to delete.
			name:   "delete_returns",
			script: `BEGIN { @a[1] = 1; @a[3] = 3; @b[1, "x"] = 1; $x = delete(@a, 1); $y = delete(@a, 2); if (delete(@a[3])) { printf("gone\n"); } @s = 5; printf("%d %d %d %d %d\n", $x, $y, delete(@s), delete(@b, (1, "x")), delete(@b[1, "y"])); exit(); }`,
			out:    "gone\n1 0 1 1 0\n",
		},
		{
			// _ = e computes e and drops its value.
			name:   "discard",
			script: `BEGIN { @a[1] = 1; _ = has_key(@a, 1); _ = @a[1]++; _ = printf("x\n"); printf("%d\n", @a[1]); exit(); }`,
			out:    "x\n2\n",
			maps:   "@a[1]: 2\n",
		},
		{
			// A map read in its own first assignment takes the type it
			// stores: @b = !@b is a bool map, toggling from false.
			name:   "self_read_bool_map",
			script: `BEGIN { @b = !@b; @c = !@c; @c = !@c; @n = @n + 1; exit(); }`,
			maps:   "@b: true\n@c: false\n@n: 1\n",
		},
		{
			// Buffers compare by length and bytes, whatever their sizes,
			// also from a map and with lengths known only at run time.
			name: "buffer_equality",
			script: `BEGIN { $a = buf("hi", 2); $n = 2; @m = buf("hiya", $n); printf("%d %d %d %d %d %d\n", $a == buf("hix", 2), $a == buf("hi", 1), $a != buf("bye", 3), ` +
				`$a == @m, @m == buf("hiya", 4), @m != @m); clear(@m); exit(); }`,
			out: "1 0 1 1 0 0\n",
		},
		{
			// A for's head may go without its parentheses.
			name:   "for_without_parentheses",
			script: `BEGIN { @m[1] = 2; @m[3] = 4; $s = 0; for $kv : @m { $s += $kv.0 * $kv.1; } for $i : 0..4 { $s += $i; } for ($j : 1..3) { $s += $j * 100; } printf("%d\n", $s); clear(@m); exit(); }`,
			out:    "320\n",
		},
		{
			// The last member of a struct may leave out its ';'.
			name:   "struct_last_member_without_semicolon",
			script: `struct A { int32_t a; int32_t b; char c[28] }; struct B { int x } BEGIN { $a = (struct A *)1024; printf("%lu %lu %lu %d\n", $a, sizeof(struct A), $a - 5, sizeof(struct B)); exit(); }`,
			out:    "1024 36 844 4\n",
		},
		{
			// A pointer moves by the size of what it points to under +=,
			// -=, ++ and --, in a variable or a map, as under + and -.
			name: "pointer_steps",
			script: `BEGIN { $a = (int32 *)0x32; $a++; $a += 2; $a -= 1; $n = 3; $a += $n; --$a; $v = (void *)0x10; $v += 3; $v++; ` +
				`printf("%p %p\n", $a, $v); @a = (int32 *)0x32; @a += 1; @b = (int16 *)0x32; @b++; @c = (int64 *)0x32; --@c; ` +
				`@d = 4; @e = (int32 *)0x32; @e -= @d; @f = (int32 *)0x32; @f -= 6; @g = (int8 *)0x32; @g++; ` +
				`$q = (int64 *)0x32; $q++; if (0x32 < $q && $q > 0x32) { printf("compares\n"); } exit(); }`,
			out:  "0x42 0x14\ncompares\n",
			maps: "@a: 0x36\n@b: 0x34\n@c: 0x2a\n@d: 4\n@e: 0x22\n@f: 0x1a\n@g: 0x33\n",
		},
		{
			name:   "pointers",
			script: `BEGIN { $x = 5; $q = &$x; printf("%d\n", *$q); $a = (int64 *)8; $b = $a + 2; printf("%d %p %d %d\n", (uint64)$b, $b, (uint64)(2 + $a), (uint64)((uint8 *)100 - 3)); $pid = &curtask->pid; printf("%d %d %d\n", *$pid == tid, (uint64)$pid - (uint64)curtask == offsetof(struct task_struct, pid), ((int32 *)curtask)[offsetof(struct task_struct, pid) / 4] == tid); printf("%d %d\n", kptr(curtask) == curtask, (uint64)uptr(1234)); exit(); }`,
			out:    "5\n24 0x18 24 97\n1 1 1\n1 1234\n",
		},
		{
			name:   "sizeof_offsetof",
			script: `struct foo { int a; char name[16]; unsigned long long b; struct foo *next; } BEGIN { printf("%d %d %d %d %d %d %d\n", sizeof(struct foo), offsetof(struct foo, b), offsetof(struct foo, next), sizeof(int32), sizeof(uint8), sizeof(curtask->comm), sizeof(struct task_struct) > 1000); exit(); }`,
			out:    "40 24 32 4 1 16 1\n",
		},

		// Macros, #define, #include, positional parameters.
		{
			name: "macros_and_defines",
			script: `#include <linux/sched.h>
#define FOO 42
#define NEG (-3)
macro add1($x) { $x + 1 }
macro bump(@m) { @m += 10; }
BEGIN { $a = 5; @b = 1; bump(@b); printf("%d %d %d %d %d %d\n", FOO, NEG, add1($a), @b, TASK_DEAD, PIDTYPE_PGID); exit(); }`,
			out:  "42 -3 6 11 128 2\n",
			maps: "@b: 11\n",
		},
		{
			name:   "positional_parameters",
			script: `BEGIN { printf("%d %s %s %d %d|%s|\n", $1, $2, str($2), $#, $1 + 1, str($3)); exit(); }`,
			args:   []string{"5", "hello"},
			out:    "5 hello hello 2 6||\n",
		},
		{
			name:   "positional_parameters_none",
			script: `BEGIN { printf("%d %d\n", $#, $1); exit(); }`,
			out:    "0 0\n",
		},
		{
			name:   "positional_parameters_negative",
			script: `BEGIN { printf("%d %d %d\n", $1, $2, $#); exit(); }`,
			args:   []string{"--", "-5", "0x10"},
			out:    "-5 16 2\n",
		},
		{
			name:   "exit_code",
			script: `BEGIN { printf("bye\n"); exit(256 + 3); printf("not sent\n"); }`,
			out:    "bye\n",
			code:   3,
		},

		// Builtins.
		{
			name:   "builtins",
			script: `BEGIN { printf("%d %d %d %d %s %d %d %d %d %s\n", pid == curtask->tgid, tid == curtask->pid, uid == $1, gid == $2, comm, cpu < ncpus, ncpus == $3, cgroup == $4, ppid == $5, username); $t0 = nsecs; $t1 = nsecs; printf("%d %d %d %d %d %d\n", $t1 >= $t0, elapsed > 0 && elapsed < 10s, jiffies > 0, (uint64)rand >> 32 == 0, nsecs(monotonic) < nsecs(boot), pid() == pid); printf("%s\n", probe); exit(); }`,
			args:   []string{e.uid, e.gid, e.ncpus, e.cgroup, e.pid},
			out:    "1 1 1 1 hawk 1 1 1 1 root\n1 1 1 1 1 1\nBEGIN\n",
		},
		{
			name:   "probe_builtin",
			script: `interval:ms:10 { printf("%s\n", probe); exit(); } END { printf("%s\n", probe); }`,
			out:    "interval:ms:10\nEND\n",
		},
		{
			name:    "tracepoint_args_join",
			script:  `tracepoint:syscalls:sys_enter_execve /curtask->real_parent->tgid == $1/ { printf("%s %s %s\n", probe, str(args.filename), str(args->filename)); join(args.argv); join(args.argv, ","); exit(); }`,
			args:    []string{e.pid},
			trigger: []string{"/bin/true", "hawk-constructs", "marker"},
			out:     "tracepoint:syscalls:sys_enter_execve /bin/true /bin/true\n/bin/true hawk-constructs marker\n/bin/true,hawk-constructs,marker\n",
		},

		// Aggregations.
		{
			name:   "aggregations",
			script: `BEGIN { @c = count(); @c = count(); @s = sum(5); @s = sum(-2); @a = avg(10); @a = avg(3); @mi = min(5); @mi = min(-3); @ma = max(5); @ma = max(9); @st = stats(10); @st = stats(20); @k["x"] = count(); printf("%d %d %d %d %d\n", @c, @s, @a, @mi, @ma); if (@c > 1) { printf("read in a condition\n"); } exit(); }`,
			out:    "2 3 6 -3 9\nread in a condition\n",
			maps:   "@a: 6\n@c: 2\n@k[x]: 1\n@ma: 9\n@mi: -3\n@s: 3\n@st: { .count = 2, .average = 15, .total = 30 }\n",
		},
		{
			// Compared with bpftrace 0.17 (/tmp/bpfref/printdiv.bt): div
			// divides sums, averages, a stats' average (not its count or
			// total) and histogram counts, whose bars follow the divided
			// counts as in bpftrace's latest release.
			name:   "print_div",
			script: `BEGIN { @s = sum(12345); @a = avg(999); @st = stats(5000); @h = hist(100); @h = hist(100); @h = hist(5); @m[1] = 1500; @m[2] = 25; print(@s, 0, 1000); print(@a, 0, 100); print(@st, 0, 1000); print(@m, 0, 1000); print(@h, 0, 2); clear(@s); clear(@a); clear(@st); clear(@m); clear(@h); exit(); }`,
			out: "@s: 12\n@a: 9\n@st: { .count = 1, .average = 5, .total = 5000 }\n@m[2]: 0\n@m[1]: 1\n@h:\n" +
				"[4, 8)                 0 |                                                    |\n" +
				"[8, 16)                0 |                                                    |\n" +
				"[16, 32)               0 |                                                    |\n" +
				"[32, 64)               0 |                                                    |\n" +
				"[64, 128)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n\n",
			maps: "",
		},
		{
			name:   "aggregations_keyed_and_read_in_loops",
			script: `BEGIN { @mn[1] = min(-5); @mn[1] = min(3); @mx[1] = max(-5); @mx[1] = max(-9); @a[1] = avg(4); @a[1] = avg(7); @a[2] = avg(-3); @a[2] = avg(-4); @s[1] = sum(-3); @st[1] = stats(3); @st[2] = stats(1); for ($kv : @mn) { printf("min %d\n", $kv.1); } for ($kv : @mx) { printf("max %d\n", $kv.1); } for ($kv : @a) { if ($kv.0 == 1) { printf("avg %d\n", $kv.1); } } for ($kv : @s) { printf("sum %d\n", $kv.1); } printf("%d %d %d %d %d\n", @mn[1], @mx[1], @a[1], @a[2], @s[1]); exit(); }`,
			out:    "min -5\nmax -5\navg 5\nsum -3\n-5 -5 5 -3 -3\n",
			maps:   "@a[2]: -3\n@a[1]: 5\n@mn[1]: -5\n@mx[1]: -5\n@s[1]: -3\n@st[2]: { .count = 1, .average = 1, .total = 1 }\n@st[1]: { .count = 1, .average = 3, .total = 3 }\n",
		},
		{
			name:   "hist",
			script: `BEGIN { @h = hist(0); @h = hist(1); @h = hist(5); @h = hist(5); @h = hist(-1); @h = hist(1024); exit(); }`,
			maps: "@h:\n" +
				"(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n" +
				"[0]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n" +
				"[1]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n" +
				"[2, 4)                 0 |                                                    |\n" +
				"[4, 8)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n" +
				"[8, 16)                0 |                                                    |\n" +
				"[16, 32)               0 |                                                    |\n" +
				"[32, 64)               0 |                                                    |\n" +
				"[64, 128)              0 |                                                    |\n" +
				"[128, 256)             0 |                                                    |\n" +
				"[256, 512)             0 |                                                    |\n" +
				"[512, 1K)              0 |                                                    |\n" +
				"[1K, 2K)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n\n",
		},
		{
			// hist(n, k) splits each power of two into 2^k buckets; keyed
			// histograms print by their total count.
			name:   "hist_k_and_keyed",
			script: `BEGIN { @h = hist(5, 1); @h = hist(6, 1); @h = hist(7, 1); @h = hist(12, 1); @h = hist(0, 1); @h = hist(3, 1); @k[2] = hist(7); @k[2] = hist(7); @k[1] = hist(5); exit(); }`,
			maps: "@h:\n" +
				"[0]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n" +
				"[1]                    0 |                                                    |\n" +
				"[2]                    0 |                                                    |\n" +
				"[3]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n" +
				"[4, 6)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n" +
				"[6, 8)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n" +
				"[8, 12)                0 |                                                    |\n" +
				"[12, 16)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n\n" +
				"@k[1]:\n" +
				"[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n\n" +
				"@k[2]:\n" +
				"[4, 8)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n\n",
		},
		{
			name:   "lhist",
			script: `BEGIN { @l = lhist(5, 0, 100, 10); @l = lhist(15, 0, 100, 10); @l = lhist(150, 0, 100, 10); @l = lhist(-1, 0, 100, 10); @l = lhist(100, 0, 100, 10); exit(); }`,
			maps: "@l:\n" +
				"(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n" +
				"[0, 10)                1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n" +
				"[10, 20)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n" +
				"[20, 30)               0 |                                                    |\n" +
				"[30, 40)               0 |                                                    |\n" +
				"[40, 50)               0 |                                                    |\n" +
				"[50, 60)               0 |                                                    |\n" +
				"[60, 70)               0 |                                                    |\n" +
				"[70, 80)               0 |                                                    |\n" +
				"[80, 90)               0 |                                                    |\n" +
				"[90, 100)              0 |                                                    |\n" +
				"[100, ...)             2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n\n",
		},

		// Map functions and output.
		{
			name:   "print_clear_zero_delete",
			script: `BEGIN { @m[1] = 10; @m[2] = 5; @m[3] = 1; print(@m); delete(@m[1]); delete(@m, 2); printf("%d %d %d %d\n", has_key(@m, 1), has_key(@m, 3), len(@m), @m[1]); print(@m[3]); @z[1] = 4; zero(@z); print(@z); @c[1] = 1; clear(@c); @d = 5; delete(@d); printf("end\n"); exit(); }`,
			out:    "@m[3]: 1\n0 1 1 0\n1\n@z[1]: 0\nend\n",
			maps:   "@m[3]: 1\n@z[1]: 0\n",
		},
		{
			name:   "print_top_div",
			script: `BEGIN { @m[1] = 10; @m[2] = 20; @m[3] = 30; print(@m, 2); print(@m, 0, 10); @s = sum(25); print(@s, 0, 10); @n = -35; print(@n, 0, 10); clear(@m); print(5); print("s"); exit(); }`,
			out:    "@m[2]: 20\n@m[3]: 30\n@m[1]: 1\n@m[2]: 2\n@m[3]: 3\n@s: 2\n@n: -3\n5\ns\n",
			maps:   "@n: -35\n@s: 25\n",
		},
		{
			name:   "ntop_ksym_kaddr_bswap",
			script: `BEGIN { printf("%s %s %s\n", ntop(0x0100007f), ntop(2, 0x0100007f), ntop(1)); printf("%s %d %s\n", ksym(kaddr("vfs_read")), kaddr("vfs_read") != 0, ksym(0)); printf("%x %x\n", bswap((uint32)0x12345678), bswap((uint16)0x1234)); exit(); }`,
			out:    "127.0.0.1 127.0.0.1 1.0.0.0\nvfs_read 1 0x0\n78563412 3412\n",
		},
		{
			name:   "time",
			script: `BEGIN { time("%Y|"); time(); exit(); }`,
			re:     `^\d{4}\|\d\d:\d\d:\d\d\n\n\n$`,
		},
		{
			name:   "kstack",
			script: `BEGIN { printf("%s|\n", kstack); printf("%s|\n", kstack(2)); printf("%s|\n", kstack(perf, 1)); printf("%s|\n", kstack(raw, 1)); @[kstack(1)] = count(); exit(); }`,
			re: `^\n(        \S+\+\d+\n){3,}\|\n` +
				`\n(        \S+\+\d+\n){2}\|\n` +
				`\n\t[0-9a-f]+ \S+\+\d+ \(\[kernel\.kallsyms\]\)\n\|\n` +
				`\n[0-9a-f]+\n\|\n` +
				`\n\n@\[\n        \S+\+\d+\n\]: 1\n$`,
		},
		{
			name:   "stack_mode_config_and_env",
			script: `config = { stack_mode = perf } BEGIN { printf("%s|%s|\n", kstack(1), kstack(bpftrace, 1)); exit(); }`,
			env:    []string{"BPFTRACE_STACK_MODE=raw"},
			re:     `^\n[0-9a-f]+\n\|\n        \S+\+\d+\n\|\n\n\n$`,
		},
	}
}

// TestConstructs runs every construct of the language on the kernel and
// compares what hawk prints, exactly.
func TestConstructs(t *testing.T) {
	runConstructs(t, constructs(newTestEnv(t)))
}

// runConstructs runs each case as a subtest with checkConstruct; two
// cases of one name are a mistake of the table.
func runConstructs(t *testing.T, cases []construct) {
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.name] {
			t.Fatalf("two cases are named %s", c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) { checkConstruct(t, c) })
	}
}

// checkConstruct runs c and compares its exit status and stdout (exactly,
// or against c.re) with what it expects; it returns what hawk printed.
func checkConstruct(t *testing.T, c construct) (stdout, stderr string) {
	t.Helper()
	stdout, stderr, code := runConstruct(t, c)
	if code != c.code {
		t.Errorf("exit status %d, want %d; stderr:\n%s", code, c.code, stderr)
	}
	if c.re != "" {
		if !regexp.MustCompile(c.re).MatchString(stdout) {
			t.Errorf("stdout %q does not match %q; stderr:\n%s", stdout, c.re, stderr)
		}
		return stdout, stderr
	}
	if want := c.out + "\n\n" + c.maps; stdout != want {
		t.Errorf("script: %s\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", c.script, stdout, want, stderr)
	}
	return stdout, stderr
}

// runConstruct runs hawk on c's script, with its trigger if it has one,
// and gives up after 10 seconds.
func runConstruct(t *testing.T, c construct) (stdout, stderr string, code int) {
	t.Helper()
	cmd := hawkCmd(t, append([]string{"-q", "-e", c.script}, c.args...)...)
	cmd.Env = append(os.Environ(), c.env...)
	var out, errw bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case err := <-done:
			return out.String(), errw.String(), exitCode(err)
		case <-tick.C:
			if len(c.trigger) > 0 {
				exec.Command(c.trigger[0], c.trigger[1:]...).Run()
			}
		case <-timeout:
			cmd.Process.Kill()
			<-done
			t.Fatalf("hawk did not stop within 10 s; stdout %q, stderr %q", out.String(), errw.String())
		}
	}
}

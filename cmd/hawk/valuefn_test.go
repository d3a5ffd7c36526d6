package main

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestNameFunctions: strerror, signal_name and syscall_name name numbers
// in the program, from constants and from run-time values, as strings
// that print, key maps and compare; numbers without a name read bpftrace's
// placeholders.
func TestNameFunctions(t *testing.T) {
	runConstructs(t, []construct{
		{
			name:   "strerror",
			script: `BEGIN { print(strerror(22)); print(strerror(-1)); print(strerror(999)); print(strerror(41)); $x = 7; printf("%s|\n", strerror($x)); print(strerror($x) == "Argument list too long"); @[strerror(2)] = 1; exit(); }`,
			out:    "Invalid argument\nOperation not permitted\nUnknown error\nUnknown error\nArgument list too long|\ntrue\n",
			maps:   "@[No such file or directory]: 1\n",
		},
		{
			name:   "signal_name",
			script: `BEGIN { print(signal_name(2)); print(signal_name(0)); print(signal_name(1024)); print(signal_name(-3)); print(signal_name(34)); $s = 15; @s = signal_name($s); exit(); }`,
			out:    "Interrupt\nUnknown signal 0\nN/A\nN/A\nReal-time signal 0\n",
			maps:   "@s: Terminated\n",
		},
		{
			name:   "syscall_name",
			script: `BEGIN { print(syscall_name(0)); print(syscall_name(4)); print(syscall_name(-1)); print(syscall_name(100000)); $n = 1; print(syscall_name($n)); exit(); }`,
			out:    "read\nstat\nUnknown syscall\nUnknown syscall\nwrite\n",
		},
	})
}

// TestTaskRelatives: pcomm, leader_comm and leader_tid read curtask's
// parent's name and its thread group leader's name and id, as their
// fields read; pcomm(task) and the others take a task.
func TestTaskRelatives(t *testing.T) {
	b, err := os.ReadFile("/proc/self/comm")
	if err != nil {
		t.Fatal(err)
	}
	self := strings.TrimSpace(string(b))
	runConstructs(t, []construct{
		{
			name:   "begin",
			script: `BEGIN { printf("%s|%s|%d\n", pcomm, leader_comm, leader_tid == pid); print(pcomm(curtask) == curtask->real_parent->comm); print(leader_comm() == curtask->group_leader->comm); print(leader_tid(curtask->real_parent) == curtask->real_parent->group_leader->pid); exit(); }`,
			out:    self + "|hawk|1\ntrue\ntrue\ntrue\n",
		},
	})
}

// TestNumaidAndHasCpid: numaid is the NUMA node the probe runs on, one of
// the machine's; has_cpid says whether -c runs a command.
func TestNumaidAndHasCpid(t *testing.T) {
	runConstructs(t, []construct{
		{
			name:   "numaid",
			script: `interval:ms:1 { printf("%d\n", numaid); @ = numaid() < 1024; exit(); }`,
			re:     `^[0-9]+\n\n\n@: true\n$`,
		},
		{
			name:   "has_cpid",
			script: `BEGIN { print(has_cpid); print(has_cpid()); exit(); }`,
			out:    "false\nfalse\n",
		},
	})
	out, err := hawkCmd(t, "-q", "-c", "true", "-e", `BEGIN { print(has_cpid); print(cpid == 0); exit(); }`).Output()
	if exitCode(err) != 0 || !strings.HasPrefix(string(out), "true\nfalse\n") {
		t.Errorf("with -c: exit %v, output %q", err, out)
	}
}

// TestMacaddr: macaddr() takes six bytes from an array (a variable's), a
// char array of a kernel struct, a pointer or an address, and prints them
// as a MAC address, also as a map key and value.
func TestMacaddr(t *testing.T) {
	runConstructs(t, []construct{
		{
			name:   "sources",
			script: `BEGIN { $a = (uint8[8])0x0605040302014142; printf("%s\n", macaddr($a)); print(macaddr(curtask->comm)); print(macaddr(&curtask->comm)); print(macaddr((uint64)&curtask->comm)); @[macaddr($a)] = macaddr(curtask->comm); exit(); }`,
			out:    "42:41:01:02:03:04\n68:61:77:6B:00:00\n68:61:77:6B:00:00\n68:61:77:6B:00:00\n",
			maps:   "@[42:41:01:02:03:04]: 68:61:77:6B:00:00\n",
		},
	})
	out, err := hawkCmd(t, "-q", "-f", "json", "-e", `BEGIN { $a = (uint8[8])0x0605040302014142; print(macaddr($a)); @[macaddr($a)] = macaddr($a); print(strerror(7)); exit(); }`).Output()
	want := `{"type": "value", "data": "42:41:01:02:03:04"}` + "\n" + `{"type": "value", "data": "Argument list too long"}` + "\n" +
		`{"type": "map", "data": {"@": {"42:41:01:02:03:04": "42:41:01:02:03:04"}}}` + "\n"
	if exitCode(err) != 0 || string(out) != want {
		t.Errorf("exit %v, output:\n%s\nwant:\n%s", err, out, want)
	}
}

// TestContainerOf: container_of(p, typeof(T), member) steps back from a
// member to its container, a kernel struct's or a script struct's, and
// is typed so that the container's fields read.
func TestContainerOf(t *testing.T) {
	runConstructs(t, []construct{
		{
			name: "kernel_and_script_structs",
			script: `struct Foo { int m; int n; struct { long a; int b; } in; }
BEGIN {
	$f = (struct Foo *)curtask;
	$q = container_of(&$f->n, typeof(struct Foo), n);
	printf("%d %d\n", $q == $f, container_of((uint64)$f + 16, typeof(struct Foo), in.b) == $f);
	$t = container_of(&curtask->se, typeof(struct task_struct), se);
	printf("%d %d %d\n", $t == curtask, $t->pid == tid, sizeof(*$t) == sizeof(struct task_struct));
	exit();
}`,
			out: "1 1\n1 1 1\n",
		},
	})
}

// TestNsecsSwTai: nsecs(sw_tai) is the boot clock plus the TAI clock's
// distance from it, which hawk measures at start: within a millisecond of
// the kernel's own TAI clock.
func TestNsecsSwTai(t *testing.T) {
	runConstructs(t, []construct{
		{
			name:   "close_to_tai",
			script: `interval:ms:1 { $a = nsecs(sw_tai); $t = nsecs(tai); $b = nsecs(sw_tai); $d = ($a + $b) / 2 - $t; printf("%d %d\n", $d < 1000000 && $d > -1000000, $a > nsecs(boot)); exit(); }`,
			out:    "1 1\n",
		},
	})
}

// TestStackLen: len() of a kstack or ustack counts its frames, up to the
// stack's limit.
func TestStackLen(t *testing.T) {
	runConstructs(t, []construct{
		{
			name:   "begin",
			script: `BEGIN { $u = ustack(3); printf("%d %d %d %d\n", len($u), len(ustack(1)), len(kstack(2)), len(kstack) > 2); exit(); }`,
			out:    "3 1 2 1\n",
		},
		{
			name:   "profile",
			script: `profile:hz:997 { @[len(kstack(perf, 4)) <= 4, len(ustack(2)) <= 2] = 1; exit(); }`,
			maps:   "@[true, true]: 1\n",
		},
	})
}

// TestStringHelpers: default_str_length, strcap, memcmp, str_concat and
// find, as bpftrace's standard library has them.
func TestStringHelpers(t *testing.T) {
	runConstructs(t, []construct{
		{
			name:   "str_concat",
			script: `BEGIN { $a = "hello"; $b = "world"; $c = str_concat($a, $b); printf("%s|%s|%d\n", $c, str_concat("x", comm), sizeof($c)); print(str_concat(str_concat("a", "b"), "c") == "abc"); @[str_concat("k", "v")] = str_concat("", ""); exit(); }`,
			out:    "helloworld|xhawk|11\ntrue\n",
			maps:   "@[kv]: \n",
		},
		{
			name:   "strcap_default_str_length",
			script: `BEGIN { $a = "hello"; printf("%d %d %d %d\n", default_str_length(), strcap($a), strcap(curtask->comm), strcap((int8 *)&curtask->comm)); exit(); }`,
			args:   nil,
			out:    "1024 6 16 4\n",
		},
		{
			name:   "memcmp",
			script: `BEGIN { $a = "hello"; $n = 2; printf("%d %d %d %d %d %d\n", memcmp("abc", "abd", 3), memcmp("abc", "abd", $n), memcmp($a, "help", 4), memcmp(1, 1, 8), memcmp((1, 2), (1, 3), 2) < 0, memcmp("ab", "ab", 3)); exit(); }`,
			out:    "-1 0 -4 0 1 0\n",
		},
		{
			name:   "find",
			script: `BEGIN { @m[2] = (1, "hello"); @k[1, "a"] = 5; let $val; if (find(@m, 2, $val)) { print($val); } print(find(@m, 3, $val)); let $n; print(find(@k, (1, "a"), $n)); print($n); clear(@m); clear(@k); exit(); }`,
			out:    "(1, hello)\nfalse\ntrue\n5\n",
			maps:   "",
		},
	})
}

// TestPath: path() names a struct path with bpf_d_path in an iterator, the
// one program type this kernel lets call it (fentry programs do not load
// here); a size cuts the name at its front, as the kernel writes it.
// Where the kernel refuses the helper, or the path lies behind a pointer
// the verifier does not trust, hawk says so at the call.
func TestPath(t *testing.T) {
	f, err := os.Open("/dev/null")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fd := strconv.Itoa(int(f.Fd()))
	runConstructs(t, []construct{
		{
			name:   "iter_task_file",
			script: `iter:task_file /ctx.task != 0 && ctx.task->tgid == $1 && ctx.fd == $2/ { printf("%s|%s|%d\n", path(ctx.file->f_path), path(&ctx.file->f_path, 8), sizeof(path(ctx.file->f_path, 16))); @[path(ctx.file->f_path)] = 1; }`,
			args:   []string{strconv.Itoa(os.Getpid()), fd},
			out:    "/dev/null|ev/null|16\n",
			maps:   "@[/dev/null]: 1\n",
		},
	})
	for _, c := range []struct{ script, want string }{
		{`BEGIN { print(path(curtask->fs->pwd)); }`, "-e:1:15: error: path() is not available in BEGIN probes"},
		{`iter:task { print(path(ctx.task->fs->root)); }`, "-e:1:24: error: path() takes a path in an object the verifier trusts"},
		{`iter:task { print(path(ctx.task)); }`, "-e:1:24: error: path() takes a struct path or a pointer to one, not struct task_struct *"},
	} {
		out, err := hawkCmd(t, "-e", c.script).CombinedOutput()
		if exitCode(err) != 1 || !strings.Contains(string(out), c.want) {
			t.Errorf("%s: exit %v, output:\n%s", c.script, err, out)
		}
	}
}

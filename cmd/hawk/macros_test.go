package main

import (
	"strings"
	"testing"
)

// macroConstructs are typeof, types passed to macros, macros overloaded by
// their number of arguments, the __builtin_NAME spellings of builtins and
// the builtins they wrap (probetype, usermode, config).
func macroConstructs() []construct {
	return []construct{
		{
			name: "typeof_types",
			script: `struct Foo { char m; int x; }
				BEGIN { let $a: typeof(size_t) = 1; let $b: typeof(size_t*) = &$a; $c = (uint64_t)1; $d = (char)1; $e = (char *)&$d;
				$f = (typeof($d))300; let $g: typeof($f);
				printf("%d %d %d %d %d %d %d %d\n", *$b, sizeof($b), $c, *$e, $f, sizeof($g),
					sizeof(typeof(struct Foo)), sizeof(typeof(struct Foo)*[3])); exit(); }`,
			out: "1 8 1 1 44 1 8 24\n",
		},
		{
			name: "macro_type_parameters",
			script: `struct Foo { char m; }
				macro sof(a, b) { sizeof(a[2]) + sizeof(b*) + sizeof(b) }
				macro cst(a) { (a)300 }
				macro m(t) { sizeof(t) + 2 }
				macro n(z) { m(typeof(z)) }
				macro add(x) { let $y: typeof(x); if (true) { $y = 1 } x + $y }
				BEGIN { printf("%d %d %d %d %d\n", sof(typeof(uint64*), typeof(struct Foo)), cst(typeof(uint8)), n(typeof(uint64*)),
					add(1), add((int16)300)); exit(); }`,
			out: "25 44 10 2 301\n",
		},
		{
			name:   "pointer_cast_of_negative_literal",
			script: `macro cst(a) { (a*)-1 } BEGIN { print(cst(typeof(uint8))); print((uint8 *)-1000); print((uint8 *)(int64)-1); exit(); }`,
			out:    "0xff\n0xfc18\n0xffffffffffffffff\n",
		},
		{
			name: "type_names_and_macro_calls",
			script: `macro uint64_t() { 1 }
				BEGIN { $z = 300; $y = (typeof(uint64_t()))$z; printf("%d %d %d %d\n", sizeof(uint64_t), sizeof(uint64_t()), $y, sizeof(unsigned int)); exit(); }`,
			out: "8 1 44 4\n",
		},
		{
			name: "macro_overloads",
			script: `macro cpu(x) { x } macro f(x) { x } macro f(x, y) { x + y } macro f() { 7 }
				BEGIN { printf("%s %d %d %d %d %d\n", cpu("hi"), cpu() < ncpus, f(1), f(2, 3), f(), f); exit(); }`,
			out: "hi 1 1 5 7 7\n",
		},
		{
			name:   "builtin_wrappers",
			script: `BEGIN { printf("%d %d %d %d %d %d\n", __builtin_comm == comm(), __builtin_cpu == cpu(), __builtin_ncpus == ncpus(), elapsed() > 0, __builtin_elapsed > 0, ppid() == ppid); exit(); }`,
			out:    "1 1 1 1 1 1\n",
		},
		{
			name:    "probetype_and_usermode",
			script:  `BEGIN { printf("%s %s %d %d\n", probetype, __builtin_probetype, usermode(), __builtin_usermode); } tracepoint:syscalls:sys_enter_getpid { printf("%s %d\n", probetype(), usermode); exit(); }`,
			trigger: []string{"/bin/true"},
			re:      `^special special 1 1\n(tracepoint 0\n)+\n\n$`,
		},
		{
			// A uprobe fires in user mode: cs's privilege level is 3.
			name:    "usermode_in_uprobe",
			script:  `uprobe:libc:getenv /comm == "date"/ { printf("%s %d %d\n", probetype, usermode, __builtin_usermode); exit(); }`,
			trigger: []string{"env", "TZ=UTC", "date"},
			out:     "uprobe 1 1\n",
		},
		{
			name:   "config_record",
			script: `config = { max_strlen = 100; stack_mode = perf } BEGIN { printf("%d %s %d %s\n", config().max_strlen, __builtin_config.stack_mode, config.print_maps_on_exit, config.license); exit(); }`,
			out:    "100 perf 1 GPL\n",
		},
		{
			name:   "block_expression_aggregation",
			script: `BEGIN { @a = { let $a = 100; avg($a) }; @c[1] = { $x = 2; sum($x * 3) }; exit(); }`,
			maps:   "@a: 100\n@c[1]: 6\n",
		},
	}
}

// TestMacroConstructs runs macroConstructs on the kernel.
func TestMacroConstructs(t *testing.T) {
	runConstructs(t, macroConstructs())
}

// TestErrorfMacroSites: errorf and warnf in a macro say where the macro
// was called from, each call of the chain with its line and a marker, as
// bpftrace's "expanded from".
func TestErrorfMacroSites(t *testing.T) {
	script := `macro bad(x) { warnf("W %d", x); } macro outer() { bad(2) } BEGIN { outer(); exit() }`
	_, stderr, code := runConstruct(t, construct{script: script})
	if code != 0 {
		t.Fatalf("exit status %d; stderr:\n%s", code, stderr)
	}
	want := "stdin:1:16-32: WARNING: W 2\n" +
		"stdin:1:52-58: WARNING: expanded from\n" + script + "\n" + strings.Repeat(" ", 51) + "~~~~~~\n" +
		"stdin:1:69-76: WARNING: expanded from\n" + script + "\n" + strings.Repeat(" ", 68) + "~~~~~~~\n"
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr:\n%s\nwant it to hold:\n%s", stderr, want)
	}
}

package main

import "testing"

// TestLoopConditionCounters: a while loop whose condition counts down a
// variable declared before it, as bpftrace's struct_walk.bt walks an
// array of structs (while (($i--) > 0) { ... ($c++).b ... }). The counter
// must not make the verifier follow the loop's callback once per value it
// takes (it refused such a loop: "BPF program is too large. Processed
// 1000001 insn").
func TestLoopConditionCounters(t *testing.T) {
	for _, c := range []construct{
		{name: "post-decrement in the condition", script: `BEGIN { $i = 10; while (($i--) > 0) { @a += $i; } printf("%d %d\n", @a, $i); exit(); }`,
			out: "45 -1\n", maps: "@a: 45\n"},
		{name: "pre-increment in the condition", script: `BEGIN { $i = 0; $n = 0; while (++$i < 5) { $n += $i; } printf("%d %d\n", $i, $n); exit(); }`,
			out: "5 10\n"},
		{name: "a pointer stepped with the counter", script: `BEGIN { $p = (int8 *)0; $i = 3; while (($i--) > 0) { $p++; } printf("%d %d\n", (int64)$p, $i); exit(); }`,
			out: "3 -1\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			stdout, stderr, code := runConstruct(t, c)
			if want := c.out + "\n\n" + c.maps; code != 0 || stdout != want {
				t.Errorf("exit %d\nstdout %q, want %q\nstderr:\n%s", code, stdout, want, stderr)
			}
		})
	}
}

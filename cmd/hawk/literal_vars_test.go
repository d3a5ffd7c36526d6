package main

import "testing"

// TestLiteralVariables: a scratch variable that only ever stores literals
// takes the literal's type, as in bpftrace v0.26 (`$x = 1` is an int8, so
// sizeof($x) is 1), and ++, --, += and arithmetic store 64-bit values, so
// counters started at a literal count past that type's range.
func TestLiteralVariables(t *testing.T) {
	runConstructs(t, []construct{
		{name: "sizeof a literal variable", script: `struct Foo { int x; char c; } BEGIN { $x = 1; $y = 300; $n = -1; printf("%d %d %d %d %d\n", sizeof(struct Foo), sizeof(1 == 1), sizeof($x), sizeof($y), sizeof($n)); exit(); }`,
			out: "8 1 1 2 1\n"},
		{name: "a counter started at a literal", script: `BEGIN { $i = 0; while ($i < 300) { $i++; } $d = 0; $d--; $j = 100; $j += 100; $j += 100; printf("%d %d %d %d %d %d\n", $i, sizeof($i), $d, sizeof($d), $j, sizeof($j)); exit(); }`,
			out: "300 8 -1 8 300 8\n"},
		{name: "a literal variable widened by a later store", script: `BEGIN { $x = 1; $x = 70000; $n = -1; printf("%d %d %ld %x\n", $x, sizeof($x), $n, $n); exit(); }`,
			out: "70000 4 -1 ffffffff\n"},
	})
}

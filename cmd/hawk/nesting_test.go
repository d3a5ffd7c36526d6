package main

import (
	"fmt"
	"strings"
	"testing"
)

// mapChain is @m[@m[...@m[0]...]], depth lookups deep, and the statements
// that make it depth: @m[i] = i + 1.
func mapChain(depth int) (init, expr string) {
	var b strings.Builder
	for i := 0; i < depth; i++ {
		fmt.Fprintf(&b, "@m[%d] = %d; ", i, i+1)
	}
	return b.String(), strings.Repeat("@m[", depth) + "0" + strings.Repeat("]", depth)
}

// arithChain is v0 op0 (v1 op1 (... (vn-1 opn-1 1))) over $a = 7, $b = 3
// and $c = -2, with its value: no helper calls, so each level keeps its
// left operand in a register while the right one is evaluated.
func arithChain(depth int) (expr string, value int64) {
	names := []string{"$a", "$b", "$c"}
	vals := []int64{7, 3, -2}
	ops := []string{"-", "*", "+", "^", "-"}
	expr, value = "1", 1
	for i := depth - 1; i >= 0; i-- {
		v, op := i%3, ops[i%5]
		expr = names[v] + " " + op + " (" + expr + ")"
		switch op {
		case "-":
			value = vals[v] - value
		case "*":
			value = vals[v] * value
		case "+":
			value = vals[v] + value
		case "^":
			value = vals[v] ^ value
		}
	}
	return expr, value
}

// printfChain nests printf calls in block expressions in printf's
// arguments: each holds its ring buffer record while the next runs.
func printfChain(depth int) string {
	e := "0"
	for i := 1; i < depth; i++ {
		e = fmt.Sprintf(`{ printf("%%d\n", %s); %d }`, e, i)
	}
	return fmt.Sprintf(`printf("%%d\n", %s);`, e)
}

// TestDeepNestingRuns: expressions nested deeper than there are registers
// to hold each level (map lookups as keys of keys, operands of operands,
// records in the arguments of records) load and compute the right values.
func TestDeepNestingRuns(t *testing.T) {
	init10, lookup10 := mapChain(10)
	mapChain12, _ := mapChain(12)
	init40, lookup40 := mapChain(40)
	// @t[(@t[(...@t[(0, 2)]..., 2)], 2)] with @t[(i, 2)] = i + 1.
	tupleInit := strings.ReplaceAll(strings.ReplaceAll(mapChain12, "@m[", "@t[("), "] =", ", 2)] =")
	tupleLookup := strings.Repeat("@t[(", 12) + "0" + strings.Repeat(", 2)]", 12)
	arith30, value30 := arithChain(30)
	arith20, value20 := arithChain(20)
	var lines []string
	for i := 7; i >= 0; i-- {
		lines = append(lines, fmt.Sprint(i))
	}
	for _, tc := range []struct {
		name, script string
		args         []string
		want         string
	}{
		{"10-deep map lookup", "BEGIN { " + init10 + `printf("%d\n", ` + lookup10 + "); exit(); }", nil, "10"},
		{"40-deep map lookup", "BEGIN { " + init40 + `printf("%d\n", ` + lookup40 + "); exit(); }", nil, "40"},
		{"12-deep lookup in tuple keys", "BEGIN { " + tupleInit + `printf("%d\n", ` + tupleLookup + "); exit(); }", nil, "12"},
		{"30-deep arithmetic", `BEGIN { $a = 7; $b = 3; $c = -2; printf("%d\n", ` + arith30 + "); exit(); }", nil, fmt.Sprint(value30)},
		{"arithmetic in a loop", `BEGIN { $a = 7; $b = 3; $c = -2; $i = 0; while ($i < 2) { $i++; @r = ` + arith20 + `; }
			printf("%d\n", @r); clear(@r); exit(); }`, nil, fmt.Sprint(value20)},
		{"comparisons", `BEGIN { $a = 1; $b = 2; printf("%d\n", (int64)($a == ($a == ($b > ($a == ($a < ($b == ($a == ($a != 1))))))))); exit(); }`, nil, "1"},
		{"8-deep printf", "BEGIN { " + printfChain(8) + " exit(); }", nil, strings.Join(lines, "\n")},
		{"syscall arguments", `tracepoint:syscalls:sys_enter_exit_group /pid == cpid/ { printf("%d\n", ` +
			`args.error_code * (args.error_code + (args.error_code * (args.error_code - (args.error_code + args.error_code))))); exit(); }`,
			[]string{"-c", `/bin/sh -c "exit 7"`}, fmt.Sprint(7 * (7 + 7*(7-(7+7))))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runConstruct(t, construct{script: tc.script, args: tc.args})
			got, _, _ := strings.Cut(stdout, "\n\n")
			if code != 0 || got != tc.want {
				t.Errorf("code %d\nstdout %.500q\nwant %q\nstderr %.2000s", code, stdout, tc.want, stderr)
			}
		})
	}
}

// TestCallbackFramesFit: the largest program hawk accepts whose loop's
// callback spills to a frame of its own (the kernel adds its frames up)
// loads; one more value on the program's stack is refused at compile
// time, at the probe.
func TestCallbackFramesFit(t *testing.T) {
	chain := strings.Repeat("$a + (", 8) + "$a" + strings.Repeat(")", 8)
	loaded := false
	for n := 40; n < 100; n++ {
		script := "BEGIN { $a = 1; $i = 0; @x = " + strings.Repeat("nsecs + (", n) + "1" + strings.Repeat(")", n) +
			"; while ($i < 1) { $i++; @r = " + chain + "; } clear(@x); exit(); }"
		stdout, stderr, code := runConstruct(t, construct{script: script})
		if code == 0 && strings.HasSuffix(stdout, "\n\n@r: 9\n") {
			loaded = true
			continue
		}
		if !loaded || code != 1 || !strings.HasPrefix(stderr, "-e:1:1: error: this probe needs ") ||
			!strings.Contains(stderr, " bytes of stack, more than the kernel's 512\n") {
			t.Fatalf("%d levels: code %d\nstdout %.300q\nstderr %.2000s", n, code, stdout, stderr)
		}
		return
	}
	t.Fatal("no program was too large")
}

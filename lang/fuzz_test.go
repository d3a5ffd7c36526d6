package lang

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseCheck feeds arbitrary text to the parser and checker: whatever
// the input, they return diagnostics and never panic.
func FuzzParseCheck(f *testing.F) {
	// Real scripts: the test scripts and the examples.
	seeds, _ := filepath.Glob("testdata/*/*.bt")
	examples, _ := filepath.Glob("../examples/*.bt")
	seeds = append(seeds, examples...)
	for _, s := range seeds {
		text, err := os.ReadFile(s)
		if err == nil {
			f.Add(string(text))
		}
	}
	for _, s := range []string{
		`BEGIN { printf("%d\n", 1 + 2 * 3); exit(); }`,
		`tracepoint:syscalls:sys_enter_openat /comm == "cat"/ { @[str(args.filename)] = count(); }`,
		`i:s:1 { @x[1, "a"] += pid; $y = @x[1, "a"] > 2 ? 1 : 0; }`,
		"#!/bin/hawk\nEND { @a = sum(-1); }",
		// Tuples that double at each step, and maps typed only through
		// reads before their assignments (lang.MaxValueSize,
		// MaxSettleWalks).
		`BEGIN { $a = (1, "x"); $b = ($a, $a); $c = ($b, $b); $d = ($c, $c); @t[$d] = ($d, $d); }`,
		`BEGIN { @c3 = @c2; @c2 = @c1; @c1 = (@c0, @c1).0; @c0 = @c0 + 1; }`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if d := probeGrammarDiffers(text); d != "" {
			t.Fatal(d)
		}
		prog, err := Parse(NewSource("fuzz", text))
		if prog == nil {
			if err == nil {
				t.Fatal("no program and no error")
			}
			_ = err.Error()
			return
		}
		_, cerr := Check(prog, testEnv{}, Config{Params: []string{"1", "x"}})
		if err := Merge(err, cerr); err != nil {
			_ = err.Error()
		}
	})
}

package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// BenchmarkStartupHello measures a whole run of the first acceptance
// one-liner: start, compile, load, BEGIN, print, exit, unload.
func BenchmarkStartupHello(b *testing.B) {
	kerneltest.Require(b)
	for b.Loop() {
		if out, err := exec.Command(hawkBin, "-e", `BEGIN { printf("hello %d\n", 1+2); exit(); }`).CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
	}
}

// BenchmarkCompileOneLiner measures parse, check and code generation alone.
func BenchmarkCompileOneLiner(b *testing.B) {
	for b.Loop() {
		if _, _, code := hawkRun("", "-d", "asm", "-e", `tracepoint:syscalls:sys_enter_openat /str(args->filename) == "/etc/hostname"/ { printf("%s %s\n", comm, str(args->filename)); exit(); }`); code != 0 {
			b.Fatal("compile failed")
		}
	}
}

// BenchmarkEmitElf measures --emit-elf of a script of 100 probes, each
// with a printf and two maps: compiling, and writing the object with its
// manifest.
func BenchmarkEmitElf(b *testing.B) {
	var script strings.Builder
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&script, "tracepoint:syscalls:sys_enter_openat /pid == %d/ { printf(\"%%s %%d open %d\\n\", str(args.filename), args.dfd); @m%d[comm, pid] = count(); @h%d = hist(args.flags); }\n", i, i, i, i)
	}
	obj := filepath.Join(b.TempDir(), "bench.o")
	for b.Loop() {
		if _, stderr, code := hawkRun("", "--emit-elf", obj, "-e", script.String()); code != 0 {
			b.Fatal(stderr)
		}
	}
}

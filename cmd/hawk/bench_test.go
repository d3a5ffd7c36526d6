package main

import (
	"os/exec"
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

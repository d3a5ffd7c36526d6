package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// needSystemHeaders skips (or, in CI, fails) a test when the C library's
// and the kernel's headers are not installed (libc6-dev, linux-libc-dev).
func needSystemHeaders(t *testing.T) {
	t.Helper()
	for _, h := range []string{"/usr/include/stdio.h", "/usr/include/linux/icmp.h"} {
		if _, err := os.Stat(h); err != nil {
			kerneltest.Missing(t, "no %s: install libc6-dev and linux-libc-dev", h)
		}
	}
}

// TestHeaderConstants: names from the system's C headers, read by hawk's
// own preprocessor: macros that name other macros (AF_INET is PF_INET),
// that need _GNU_SOURCE (O_TMPFILE), that come from nested includes
// (errno.h → asm-generic/errno-base.h; sys/syscall.h → asm/unistd_64.h),
// an enum constant of glibc's (SOCK_STREAM), and an ioctl number made by
// function-like macros and sizeof.
func TestHeaderConstants(t *testing.T) {
	needSystemHeaders(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "mine.h"), []byte("#define MINE (AF_INET * 100)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		construct
		flags []string
	}{
		{construct: construct{name: "system headers", script: `#include <sys/socket.h>
#include <errno.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <netinet/ip_icmp.h>
#include <sys/syscall.h>
#include <linux/fs.h>
BEGIN {
	printf("%d %d %d %d %d %d\n", AF_INET, EBADF, MAP_SHARED, O_TMPFILE, ICMP_ECHO, __NR_openat);
	printf("%d %d %ld %d\n", SOCK_STREAM, O_CREAT, FS_IOC_GETFLAGS, EPERM + ENOENT);
	exit();
}`, out: "2 9 1 4259840 8 257\n1 64 2148034049 3\n"}},
		{construct: construct{name: "-I and --include", script: `#include "mine.h"
BEGIN { printf("%d %d\n", MINE, UINT16_MAX); exit(); }`, out: "200 65535\n"},
			flags: []string{"--include", "sys/socket.h", "--include=stdint.h", "-I", dir}},
		{construct: construct{name: "a #define over header macros", script: `#include <sys/socket.h>
#define FAMILIES (AF_INET | AF_INET6 << 8)
BEGIN { printf("%d\n", FAMILIES); exit(); }`, out: "2562\n"}},
		{construct: construct{name: "string macros", script: `#define WHO "hawk" " here"
#define FMT "%s %d\n"
BEGIN { printf(FMT, WHO, strlen(WHO)); exit(); }`, out: "hawk here 9\n"}},
		{construct: construct{name: "BTF enum constants still resolve", script: `#include <sys/socket.h>
BEGIN { printf("%d %d\n", TCP_ESTABLISHED, AF_INET6); exit(); }`, out: "1 10\n"}},
		{construct: construct{name: "the built-in table fills in", script: `#include <linux/sched.h>
BEGIN { printf("%d %d\n", TASK_DEAD, CLONE_VM); exit(); }`, out: "128 256\n"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := hawkCmd(t, append(append([]string{"-q"}, c.flags...), "-e", c.script)...)
			var out, errw strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &errw
			err := cmd.Run()
			if want := c.out + "\n\n"; err != nil || out.String() != want {
				t.Errorf("%v\nstdout %q, want %q\nstderr:\n%s", err, out.String(), want, errw.String())
			}
		})
	}
}

// TestMissingHeader: a header found nowhere is an error at its #include,
// naming the directories searched; so is a --include.
func TestMissingHeader(t *testing.T) {
	code, _, stderr := hawkOut(t, "-I", "/nonexistent", "-e", "#include <lol/no.h>\nBEGIN { exit(); }")
	want := "-e:1:1: error: header <lol/no.h> not found (searched: /nonexistent, /usr/local/include"
	if code == 0 || !strings.HasPrefix(stderr, want) {
		t.Errorf("exit %d, stderr:\n%s\nwant it to begin %q", code, stderr, want)
	}
	code, _, stderr = hawkOut(t, "--include", "lol.h", "-e", "BEGIN { exit(); }")
	if code == 0 || !strings.Contains(stderr, `error: --include lol.h: header "lol.h" not found`) {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

// TestIncludeFlags: -I and --include are spelled as bpftrace spells them,
// and may be repeated.
func TestIncludeFlags(t *testing.T) {
	o, err := parseArgs([]string{"-I", "a", "-Ib", "--include", "x.h", "--include=y.h", "-e", "BEGIN{}"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(o.includeDirs, " ") != "a b" || strings.Join(o.includes, " ") != "x.h y.h" {
		t.Errorf("includeDirs %q, includes %q", o.includeDirs, o.includes)
	}
	for _, args := range [][]string{{"-e", "BEGIN{}", "-I"}, {"-e", "BEGIN{}", "--include"}} {
		if _, err := parseArgs(args); err == nil || !strings.Contains(err.Error(), "needs a") {
			t.Errorf("%q: error %v", args, err)
		}
	}
}

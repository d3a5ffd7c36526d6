package object_test

import (
	"os"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/codegen/object"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/internal/runtest"
	"github.com/hawktrace/hawk/lang"
)

// runObject compiles text, goes through an object file, and runs what
// Read returns in the background. It returns once the probes are
// attached.
func runObject(t *testing.T, text string, params ...string) *runtest.Running {
	t.Helper()
	kerneltest.Require(t)
	script, err := hawk.Compile(lang.NewSource("test.bt", text), hawk.Config{Params: params})
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	file := filepath.Join(t.TempDir(), "test.o")
	if err := os.WriteFile(file, write(t, script.Out), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out, err := object.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	return runtest.Start(t, out)
}

func TestKernelBegin(t *testing.T) {
	s := runObject(t, `BEGIN { printf("hi %d\n", 42); @c = count(); exit(); }`)
	s.Wait(t)
	got := s.Stdout.String()
	if !strings.Contains(got, "hi 42\n") || !strings.Contains(got, "@c: 1\n") {
		t.Errorf("stdout %q", got)
	}
	if s.Code != 0 {
		t.Errorf("exit code %d", s.Code)
	}
}

// TestKernelLoops runs callbacks (bpf_loop, for_each_map_elem), which need
// the BTF function info of .BTF.ext.
func TestKernelLoops(t *testing.T) {
	s := runObject(t, `BEGIN { $i = 0; while ($i < 5) { $i++; } @m[7] = 8;
		for ($kv : @m) { printf("kv %d %d\n", $kv.0, $kv.1); } printf("i %d\n", $i); exit(); }`)
	s.Wait(t)
	if got := s.Stdout.String(); !strings.Contains(got, "kv 7 8\ni 5\n") {
		t.Errorf("stdout %q", got)
	}
}

// TestKernelTracepoint reads a tracepoint's fields from a program loaded
// from an object.
func TestKernelTracepoint(t *testing.T) {
	goruntime.LockOSThread()
	defer goruntime.UnlockOSThread()
	s := runObject(t, `tracepoint:syscalls:sys_enter_openat /tid == $1/ { printf("open %s\n", str(args.filename)); @n = count(); exit(); }`,
		strconv.Itoa(unix.Gettid()))
	// The probe is attached: one open ends the run.
	if fd, err := unix.Openat(unix.AT_FDCWD, "/dev/null", unix.O_RDONLY, 0); err == nil {
		unix.Close(fd)
	}
	s.Wait(t)
	if got := s.Stdout.String(); !strings.Contains(got, "open /dev/null\n") || !strings.Contains(got, "@n: 1\n") {
		t.Errorf("stdout %q", got)
	}
}

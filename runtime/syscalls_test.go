package runtime_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
)

// TestSyscallDispatcher: several probes on sys_enter run from one
// dispatcher, each body on its own syscalls, in script order, with its
// own predicate and `probe`; exit() stops those after it. Before, a
// second program on sys_enter sent them all to the perf tracepoints.
func TestSyscallDispatcher(t *testing.T) {
	kerneltest.Require(t)
	pid := os.Getpid()
	script, err := hawk.Compile(lang.NewSource("-e", fmt.Sprintf(`
		t:syscalls:sys_enter_getppid /pid == %[1]d/ { printf("a\n"); }
		t:syscalls:sys_enter_getpgid, t:syscalls:sys_enter_getppid /pid == %[1]d/ { printf("b %%s\n", probe); }
		t:syscalls:sys_enter_getppid /pid == 0/ { printf("never\n"); }
		t:syscalls:sys_enter_getppid /pid == %[1]d/ { printf("c\n"); exit(); }
		t:syscalls:sys_enter_getppid /pid == %[1]d/ { printf("after exit\n"); }`, pid)), hawk.Config{})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, p := range script.Out.Manifest.Programs {
		names[p.Name] = true
	}
	if len(names) != 1 {
		t.Errorf("programs %v, want one dispatcher", names)
	}
	var stdout kerneltest.Buffer
	s, err := runtime.Load(script.Out, runtime.Options{Stdout: &stdout, Stderr: io.Discard,
		Attached: func() { unix.Getpgid(0); unix.Getppid() }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	want := "b tracepoint:syscalls:sys_enter_getpgid\na\nb tracepoint:syscalls:sys_enter_getppid\nc\n\n\n"
	if got := stdout.String(); got != want {
		t.Errorf("output %q, want %q", got, want)
	}
}

// TestSyscallDispatcherSplit: a dispatcher for every syscall
// (sys_enter_*, whose `probe` differs per syscall: one function each) is
// split into programs of at most the kernel's 256 functions; it loaded
// as one ("too many subprograms"), and before dispatchers it took 330
// perf tracepoints, 7 s to close.
func TestSyscallDispatcherSplit(t *testing.T) {
	kerneltest.Require(t)
	script, err := hawk.Compile(lang.NewSource("-e", `t:syscalls:sys_enter_* { @[probe] = count(); }`), hawk.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(script.Out.Spec.Programs); n < 2 || n > 3 {
		t.Errorf("%d programs for %d syscall probes", n, len(script.Out.Manifest.Programs))
	}
	s, err := runtime.Load(script.Out, runtime.Options{Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

// TestRawSyscallsRaw: raw_syscalls:sys_enter and sys_exit run from the
// BTF raw tracepoints (no RCU grace period to close, as syscount.bt's
// did), with the ids and return values of the perf tracepoints.
func TestRawSyscallsRaw(t *testing.T) {
	kerneltest.Require(t)
	pid := os.Getpid()
	script, err := hawk.Compile(lang.NewSource("-e", fmt.Sprintf(`
		tracepoint:raw_syscalls:sys_enter /pid == %[1]d && args.id == 110/ { @e = count(); }
		tracepoint:raw_syscalls:sys_exit /pid == %[1]d && args->id == 110/ { @r = sum(args.ret); }`, pid)), hawk.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range script.Out.Manifest.Programs {
		if p.RawSyscall == "" {
			t.Errorf("%s runs from its perf tracepoint", p.Text)
		}
	}
	var stdout kerneltest.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := runtime.Load(script.Out, runtime.Options{Stdout: &stdout, Stderr: io.Discard,
		Attached: func() { unix.Getppid(); unix.Getppid(); cancel() }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("\n\n@e: 2\n@r: %d\n", 2*os.Getppid())
	if got := stdout.String(); got != want {
		t.Errorf("output %q, want %q", got, want)
	}
}

// TestSyscallProgramMerged: one program serves the syscalls of a probe
// whose fields come from the same places (here the return value), with
// the values of each syscall.
func TestSyscallProgramMerged(t *testing.T) {
	kerneltest.Require(t)
	pid := os.Getpid()
	script, err := hawk.Compile(lang.NewSource("-e", fmt.Sprintf(`
		t:syscalls:sys_exit_getppid, t:syscalls:sys_exit_getpgid /pid == %d/ { @r = sum(args.ret); @n = count(); }`, pid)), hawk.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(script.Out.Manifest.Programs); n != 1 {
		t.Errorf("%d programs, want 1", n)
	}
	var stdout kerneltest.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := runtime.Load(script.Out, runtime.Options{Stdout: &stdout, Stderr: io.Discard,
		Attached: func() { unix.Getppid(); unix.Getpgid(0); cancel() }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	pgid, _ := unix.Getpgid(0)
	want := fmt.Sprintf("\n\n@n: 2\n@r: %d\n", os.Getppid()+pgid)
	if got := stdout.String(); got != want {
		t.Errorf("output %q, want %q", got, want)
	}
}

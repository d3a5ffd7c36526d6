package codegen_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/testenv"
	"github.com/hawktrace/hawk/lang"
)

// generateWith compiles text with codegen options opts.
func generateWith(t *testing.T, text string, opts codegen.Options) *codegen.Output {
	t.Helper()
	out, err := generateOpts(testenv.Env{}, "-e", text, lang.Config{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSyscallPrologue: a probe that does nothing is `r0 = 0; exit`, as
// bpftrace's (it was 7 instructions: the syscall filter and the compat
// check); the compat check (2 instructions, 3 on sys_enter) is left out
// where the kernel runs no 32-bit processes (NoIA32).
func TestSyscallPrologue(t *testing.T) {
	for _, tc := range []struct {
		text string
		opts codegen.Options
		want int
	}{
		{`t:syscalls:sys_enter_read { }`, codegen.Options{}, 2},
		{`t:syscalls:sys_exit_openat { }`, codegen.Options{}, 2},
		{`t:syscalls:sys_enter_read { } BEGIN { exit(); }`, codegen.Options{}, 2},
		// Number, compat check, count (the exit keeps r0: raw tracepoints
		// ignore it, and the peephole pass drops r0 = 0).
		{`t:syscalls:sys_enter_read { @ = count(); }`, codegen.Options{}, 2 + 3 + 10},
		{`t:syscalls:sys_enter_read { @ = count(); }`, codegen.Options{NoIA32: true}, 2 + 10},
		// sys_exit: the task, its compat check, its registers, the number.
		{`t:syscalls:sys_exit_openat { @ = count(); }`, codegen.Options{}, 1 + 2 + 4 + 10},
		{`t:syscalls:sys_exit_openat { @ = count(); }`, codegen.Options{NoIA32: true}, 1 + 4 + 10},
	} {
		out := generateWith(t, tc.text, tc.opts)
		p := out.Manifest.Programs[0]
		if got := len(out.Spec.Programs[p.Name].Instructions); got != tc.want {
			t.Errorf("%s %+v: %d instructions, want %d:\n%v", tc.text, tc.opts, got, tc.want, out.Spec.Programs[p.Name].Instructions)
		}
	}
}

// TestSyscallDispatchers: the syscall programs that share a raw
// tracepoint run from one dispatcher there (one program, several
// functions), one per probe under DispatchPerProbe (the REPL's); a
// program alone on its raw tracepoint is its own. Before, a second
// program on sys_enter sent them all to the perf tracepoints.
func TestSyscallDispatchers(t *testing.T) {
	const text = `t:syscalls:sys_enter_openat { @a = count(); }
		t:syscalls:sys_enter_read, t:syscalls:sys_enter_openat { @b[probe] = count(); }
		t:syscalls:sys_exit_openat { @c = count(); }`
	for _, tc := range []struct {
		opts  codegen.Options
		names []string // each program's kernel program
	}{
		{codegen.Options{}, []string{"hawk_se0", "hawk_se0", "hawk_se0", "hawk_tp3"}},
		{codegen.Options{DispatchPerProbe: true}, []string{"hawk_tp0", "hawk_se0", "hawk_se0", "hawk_tp3"}},
	} {
		out := generateWith(t, text, tc.opts)
		var names []string
		for _, p := range out.Manifest.Programs {
			names = append(names, p.Name)
			if out.Spec.Programs[p.Name] == nil {
				t.Errorf("%+v: %s runs from %s, which the collection lacks", tc.opts, p.Text, p.Name)
			}
			if (p.Func != "") != strings.HasPrefix(p.Name, "hawk_s") {
				t.Errorf("%+v: %s in %s has function %q", tc.opts, p.Text, p.Name, p.Func)
			}
		}
		if !slices.Equal(names, tc.names) {
			t.Errorf("%+v: programs %v, want %v", tc.opts, names, tc.names)
		}
		if len(out.Spec.Programs) != len(slices.Compact(slices.Clone(tc.names))) {
			t.Errorf("%+v: %d programs in the collection", tc.opts, len(out.Spec.Programs))
		}
	}
}

// TestSyscallProgramsMerged: a probe reading args.* from the raw syscall
// tracepoints is one program for the syscalls whose fields come from the
// same places (args.ret of sys_exit_open and sys_exit_openat), one each
// otherwise (the filename is open's first argument, openat's second).
// Before, each syscall had its own.
func TestSyscallProgramsMerged(t *testing.T) {
	out := generateWith(t, `t:syscalls:sys_enter_open, t:syscalls:sys_enter_openat { @[str(args.filename)] = count(); }
		t:syscalls:sys_exit_open, t:syscalls:sys_exit_openat { @r = hist(args.ret); }
		t:syscalls:sys_exit_open, t:syscalls:sys_exit_openat { @p[probe] = count(); }`, codegen.Options{})
	var got []int
	for _, p := range out.Manifest.Programs {
		got = append(got, len(p.Points))
	}
	if want := []int{1, 1, 2, 1, 1}; !slices.Equal(got, want) {
		t.Errorf("attach points per program: %v, want %v", got, want)
	}
}

package codegen_test

import (
	"testing"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/testenv"
	"github.com/hawktrace/hawk/lang"
)

// generateWith compiles text with codegen options opts.
func generateWith(t *testing.T, text string, opts codegen.Options) *codegen.Output {
	t.Helper()
	prog, err := lang.Parse(lang.NewSource("-e", text))
	if err != nil {
		t.Fatal(err)
	}
	info, err := lang.Check(prog, testenv.Env{}, lang.Config{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := codegen.Generate(prog, info, opts)
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
		// Number, compat check, count.
		{`t:syscalls:sys_enter_read { @ = count(); }`, codegen.Options{}, 2 + 3 + 11},
		{`t:syscalls:sys_enter_read { @ = count(); }`, codegen.Options{NoIA32: true}, 2 + 11},
		{`t:syscalls:sys_exit_openat { @ = count(); }`, codegen.Options{}, 3 + 2 + 11},
		{`t:syscalls:sys_exit_openat { @ = count(); }`, codegen.Options{NoIA32: true}, 3 + 11},
	} {
		out := generateWith(t, tc.text, tc.opts)
		p := out.Manifest.Programs[0]
		if got := len(out.Spec.Programs[p.Name].Instructions); got != tc.want {
			t.Errorf("%s %+v: %d instructions, want %d:\n%v", tc.text, tc.opts, got, tc.want, out.Spec.Programs[p.Name].Instructions)
		}
	}
}

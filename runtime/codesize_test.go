package runtime_test

import (
	"io"
	"testing"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
)

// TestCodeSize holds hawk to its promise of code as tight as LLVM's: for
// each script of BPFTRACE-NOTES.md's cost list, the program the kernel
// runs (xlated instructions, as `bpftool prog dump xlated` counts them,
// wide loads as two) is no larger than bpftrace's. bpftrace 0.17's counts
// were measured on this machine's kernel (Linux 6.18) with bpftool.
//
// bpftrace 0.17 does not check map updates: a full map drops keys
// silently. hawk checks each update that adds keys (fullCheckSize
// instructions, off the steady-state path: a never-taken jump, and an
// atomic count when the map is full), as bpftrace's latest release does
// with a whole runtime-error event; the budget allows for the check.
func TestCodeSize(t *testing.T) {
	const fullCheckSize = 5 // jne; ld_imm64 (two); mov; atomic add
	kerneltest.Require(t)
	const probe = "tracepoint:syscalls:sys_enter_getppid"
	for _, tc := range []struct {
		name, script string
		bpftrace     int
	}{
		{"count", probe + ` { @ = count(); }`, 30},
		{"count by comm", probe + ` { @[comm] = count(); }`, 31},
		{"hist", probe + ` { @[pid] = hist(nsecs); }`, 61},
		{"printf", probe + ` { printf("%s %d\n", comm, pid); }`, 27},
		{"syscount", `tracepoint:raw_syscalls:sys_enter { @syscall[args->id] = count(); @process[comm] = count(); }`, 55},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// On the perf tracepoint, as bpftrace's programs are: the raw
			// syscall path adds its syscall-number and compat checks.
			script, err := hawk.Compile(lang.NewSource("-e", tc.script), hawk.Config{PerfSyscalls: true})
			if err != nil {
				t.Fatal(err)
			}
			s, err := runtime.Load(script.Out, runtime.Options{Stdout: io.Discard, Stderr: io.Discard})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			n, err := s.XlatedSize(script.Out.Manifest.Programs[0].Name)
			if err != nil {
				t.Fatal(err)
			}
			checks := fullCheckSize * len(script.Out.Manifest.Sites)
			t.Logf("%s: hawk %d (%d of them checking for full maps), bpftrace 0.17 %d instructions", tc.name, n, checks, tc.bpftrace)
			if n-checks > tc.bpftrace {
				t.Errorf("%d instructions without the checks, more than bpftrace's %d", n-checks, tc.bpftrace)
			}
		})
	}
}

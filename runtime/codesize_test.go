package runtime_test

import (
	"io"
	"testing"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
)

// syscountBT and opensnoopBT are the code of bpftrace 0.17's syscount.bt
// and opensnoop.bt tools (comments left out).
const (
	syscountBT = `BEGIN
{
	printf("Counting syscalls... Hit Ctrl-C to end.\n");
}
tracepoint:raw_syscalls:sys_enter
{
	@syscall[args->id] = count();
	@process[comm] = count();
}
END
{
	printf("\nTop 10 syscalls IDs:\n");
	print(@syscall, 10);
	clear(@syscall);
	printf("\nTop 10 processes:\n");
	print(@process, 10);
	clear(@process);
}
`
	opensnoopBT = `BEGIN
{
	printf("Tracing open syscalls... Hit Ctrl-C to end.\n");
	printf("%-6s %-16s %4s %3s %s\n", "PID", "COMM", "FD", "ERR", "PATH");
}
tracepoint:syscalls:sys_enter_open,
tracepoint:syscalls:sys_enter_openat
{
	@filename[tid] = args->filename;
}
tracepoint:syscalls:sys_exit_open,
tracepoint:syscalls:sys_exit_openat
/@filename[tid]/
{
	$ret = args->ret;
	$fd = $ret >= 0 ? $ret : -1;
	$errno = $ret >= 0 ? 0 : - $ret;
	printf("%-6d %-16s %4d %3d %s\n", pid, comm, $fd, $errno,
	    str(@filename[tid]));
	delete(@filename[tid]);
}
END
{
	clear(@filename);
}
`
)

// TestCodeSize holds hawk to its promise of code as tight as LLVM's: for
// each case of the bench (the scripts of BPFTRACE-NOTES.md's cost list and
// issue 16), the programs the kernel holds for the script, BEGIN and END
// included (xlated instructions, as `bpftool prog dump xlated` counts
// them, wide loads as two, summed over every program loaded), are no
// larger than bpftrace's. bpftrace 0.17's counts were measured on this
// machine's kernel (Linux 6.18, with IA32 emulation) from its programs'
// ids in /proc/PID/fdinfo while it ran; it holds no program for BEGIN or
// END once they ran. hawk runs as it does by default: syscall tracepoints
// from the BTF raw tracepoints sys_enter and sys_exit, with the syscall's
// number and compat checks.
//
// bpftrace 0.17 does not check map updates: a full map drops keys
// silently. hawk counts each refused update that adds keys, as bpftrace's
// latest release reports it; the counts below include that check.
//
// A case hawk does not meet yet has its own count, which hawk must not
// grow past (over): the gap is logged. count_comm's is the syscall
// prologue's 5 instructions (number and compat checks) over a body
// smaller than bpftrace's. printf meets it with its record built on the
// stack (codegen/output.go), the reader's wake word (2, which halve what
// a printf costs the traced thread: codegen/wakeup.go) included.
func TestCodeSize(t *testing.T) {
	kerneltest.Require(t)
	const probe = "tracepoint:syscalls:sys_enter_getppid"
	for _, tc := range []struct {
		name, script   string
		bpftrace, over int
	}{
		{"empty", probe + ` { }`, 2, 0},
		{"count", probe + ` { @ = count(); }`, 30, 0},
		{"count_comm", probe + ` { @[comm] = count(); }`, 31, 32},
		{"lat_hist", probe + ` { @[pid] = hist(nsecs); }`, 61, 0},
		{"printf", probe + ` { printf("%s %d\n", comm, pid); }`, 27, 0},
		{"uprobe", `uprobe:/bin/bash:readline { @[comm] = count(); }`, 31, 0},
		{"syscount", syscountBT, 55, 0},
		{"opensnoop", opensnoopBT, 254, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			script, err := hawk.Compile(lang.NewSource(tc.name+".bt", tc.script), hawk.Config{})
			if err != nil {
				t.Fatal(err)
			}
			s, err := runtime.Load(script.Out, runtime.Options{Stdout: io.Discard, Stderr: io.Discard})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			n := 0
			for _, p := range script.Out.Manifest.Programs {
				if p.User != nil {
					continue // runs in user space: no program
				}
				size, err := s.XlatedSize(p.Name)
				if err != nil {
					t.Fatal(err)
				}
				n += size
			}
			limit := max(tc.bpftrace, tc.over)
			t.Logf("%s: hawk %d, bpftrace 0.17 %d instructions (%.2fx)", tc.name, n, tc.bpftrace, float64(n)/float64(tc.bpftrace))
			if n > limit {
				t.Errorf("%d instructions, more than %d (bpftrace 0.17: %d)", n, limit, tc.bpftrace)
			}
		})
	}
}

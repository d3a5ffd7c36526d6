package hawk_test

import (
	"bytes"
	"io"
	"os"
	goruntime "runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
)

// vmlinuxMaps counts this process's mappings of the kernel's BTF.
// cilium/ebpf maps /sys/kernel/btf/vmlinux once each time it parses it
// (btf.LoadKernelSpec) and unmaps it only once the spec is collected.
func vmlinuxMaps(t *testing.T) int {
	t.Helper()
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(maps, []byte(" /sys/kernel/btf/vmlinux\n"))
}

// btfReads returns how many times compiling src, then compiling and
// loading it into the kernel (Verify), parse the kernel's BTF, with a
// cache of their own, and whether a program of it attaches by BTF
// (tp_btf, fentry, iterators), whose target the loader finds there.
func btfReads(t *testing.T, src string) (compiled, loaded int, byBTF bool) {
	t.Helper()
	kerneltest.Require(t)
	if _, err := os.Stat("/sys/kernel/btf/vmlinux"); err != nil {
		kerneltest.Missing(t, "no kernel BTF: %v", err)
	}
	// No collection while counting, so that no parse is unmapped before
	// it is counted; what earlier tests left is collected first.
	goruntime.GC()
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	for i := 0; i < 100 && vmlinuxMaps(t) > 0; i++ {
		goruntime.GC()
		time.Sleep(time.Millisecond) // cleanups run on their own goroutine
	}
	before := vmlinuxMaps(t)
	script, err := hawk.Compile(lang.NewSource("t.bt", src), hawk.Config{BTF: btf.NewCache()})
	if err != nil {
		t.Fatal(err)
	}
	compiled = vmlinuxMaps(t) - before
	if _, err := script.Verify(runtime.Options{Stdout: io.Discard, Stderr: io.Discard}); err != nil {
		t.Fatal(err)
	}
	for _, p := range script.Out.Spec.Programs {
		byBTF = byBTF || p.Type == ebpf.Tracing && p.AttachTo != ""
	}
	return compiled, vmlinuxMaps(t) - before, byBTF
}

// TestBTFReadOnce: the checker and the loader share one parse of the
// kernel's BTF: the checker's for the iterator's context, the loader's
// (cilium/ebpf's) for its attach target.
func TestBTFReadOnce(t *testing.T) {
	if _, n, _ := btfReads(t, `iter:task /ctx.task != 0/ { @[ctx.task->tgid] = count(); }`); n != 1 {
		t.Errorf("compiling and loading an iterator parsed the kernel's BTF %d times, want 1", n)
	}
}

// TestNoBTFForSyscallArgs: typing the integer args of tracepoints reads no
// BTF (lang's table of C types), and syscall tracepoints run as raw
// tracepoint programs, which attach by name: neither compiling opensnoop
// and syscount nor loading them parses the kernel's BTF (loading did, once,
// while they were tp_btf programs).
func TestNoBTFForSyscallArgs(t *testing.T) {
	for name, src := range map[string]string{
		"opensnoop": `tracepoint:syscalls:sys_enter_open, tracepoint:syscalls:sys_enter_openat { @filename[tid] = args->filename; }
tracepoint:syscalls:sys_exit_open, tracepoint:syscalls:sys_exit_openat /@filename[tid]/ {
	$ret = args->ret; $fd = $ret >= 0 ? $ret : -1; $errno = $ret >= 0 ? 0 : - $ret;
	printf("%-6d %-16s %4d %3d %s\n", pid, comm, $fd, $errno, str(@filename[tid])); delete(@filename[tid]); }
END { clear(@filename); }`,
		"syscount": `tracepoint:raw_syscalls:sys_enter { @syscall[args->id] = count(); @process[comm] = count(); }`,
		"kill":     `tracepoint:syscalls:sys_enter_kill { @[args->pid, args->sig] = count(); }`,
		"args": `tracepoint:syscalls:sys_enter_kill { @[args->pid, args->sig] = count(); }
tracepoint:syscalls:sys_enter_lseek { @o[args->offset, args->whence] = count(); }
tracepoint:syscalls:sys_enter_read { @r[args->fd, args->count] = count(); }`,
	} {
		t.Run(name, func(t *testing.T) {
			compiled, loaded, byBTF := btfReads(t, src)
			if compiled != 0 || loaded != 0 || byBTF {
				t.Errorf("compiling parsed the kernel's BTF %d times, compiling and loading %d, a program attaches by BTF: %v; want 0, 0, false", compiled, loaded, byBTF)
			}
		})
	}
}

// TestNoBTFForRawTracepoint: a raw tracepoint named without a pattern,
// whose program reads no kernel object, is found in tracefs: neither
// compiling nor loading it parses the kernel's BTF (indexing it to list
// the raw tracepoints took ~300 ms).
func TestNoBTFForRawTracepoint(t *testing.T) {
	compiled, loaded, _ := btfReads(t, `rawtracepoint:sys_enter { @[comm] = count(); }`)
	if compiled != 0 || loaded != 0 {
		t.Errorf("compiling parsed the kernel's BTF %d times, compiling and loading %d, want 0", compiled, loaded)
	}
}

package kernel

import (
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/features"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk/runtime/tracefs"
	"github.com/hawktrace/hawk/runtime/usersym"
)

// Feature is one capability of the running kernel, found by trying it.
type Feature struct {
	Name string // what was tried: "kprobes", "fentry/fexit", "raw tracepoints"
	OK   bool   // whether the kernel did it
	// Detail says, when !OK, what the kernel lacks in one short phrase that
	// names it ("no kprobe PMU and no kprobe_events in tracefs"); when OK it
	// is optional.
	Detail string
}

// featureProgName names every program and map the feature probes create,
// so that a test can tell that none stays loaded.
const featureProgName = "hawk_feat"

// featureProbe tries one feature: try returns why it fails, or nil. since
// is the first Linux release that has the feature, said when the kernel
// does not support it at all.
type featureProbe struct {
	name  string
	since string
	try   func() error
}

// featureProbes lists the features Features reports, in the order it
// reports them, with what one run of them shares.
func featureProbes() []featureProbe {
	// Detaching a perf-event uprobe waits 50 to 150 ms, under a lock that
	// every detach of a trace event (the tracepoints' too) takes in turn.
	// One uretprobe with a USDT semaphore proves uprobes, uretprobes and
	// usdt at once, for one wait, and through a uprobe_multi link (Linux
	// 6.6), whose detach takes no such lock, where the kernel has them;
	// only when it fails do the three try alone, by perf events, to tell
	// which one fails.
	userProbes := sync.OnceValue(func() error {
		if features.HaveBPFLinkUprobeMulti() == nil && tryUprobeMulti(usdtTarget) == nil {
			return nil
		}
		return tryUprobe(true, usdtTarget, true)
	})
	userProbe := func(ret bool, fn func() int, semaphore bool) func() error {
		return func() error {
			if userProbes() == nil {
				return nil
			}
			return tryUprobe(ret, fn, semaphore)
		}
	}
	return []featureProbe{
		{"BTF (vmlinux)", "5.4", tryBTF},
		{"tracepoints", "4.7", tryTracepoint},
		{"raw tracepoints", "4.17", tryRawTracepoint},
		{"tp_btf", "5.5", tryTpBTF},
		{"kprobes", "4.1", func() error { return tryKprobe(false) }},
		{"kretprobes", "4.1", func() error { return tryKprobe(true) }},
		{"uprobes", "4.3", userProbe(false, uprobeTarget, false)},
		{"uretprobes", "4.3", userProbe(true, uprobeTarget, false)},
		{"usdt", "4.20", userProbe(false, usdtTarget, true)},
		{"fentry/fexit", "5.5", tryFentry},
		{"perf events (software)", "4.9", trySoftwarePerf},
		{"perf events (hardware)", "4.9", tryHardwarePerf},
		{"watchpoints", "4.9", tryWatchpoint},
		{"BPF iterators", "5.8", tryTaskIter},
		{"ring buffer", "5.8", func() error { return haveMapType(ebpf.RingBuf) }},
		{"test runs of raw tracepoints (BEGIN/END)", "5.10", tryTestRun},
		{"stacks (bpf_get_stack, stack trace maps)", "4.18", tryStacks},
		{"bpf_send_signal", "5.3", tryHelpers(asm.FnSendSignal)},
		{"bpf_probe_read_kernel/user", "5.5", tryHelpers(asm.FnProbeReadKernel, asm.FnProbeReadUser)},
		{"bpf_ktime_get_tai_ns", "6.1", tryHelpers(asm.FnKtimeGetTaiNs)},
		{"bpf_loop", "5.17", tryHelpers(asm.FnLoop)},
		{"bpf_jiffies64", "5.5", tryHelpers(asm.FnJiffies64)},
		{"bpf_get_func_ip", "5.15", tryHelpers(asm.FnGetFuncIp)},
		{"mmapable arrays (BPF_F_MMAPABLE)", "5.5", func() error {
			return featureCheck("creating an mmapable array", "no BPF_F_MMAPABLE arrays", features.HaveMapFlag(features.BPF_F_MMAPABLE))
		}},
		{"batch map ops (BPF_MAP_LOOKUP_BATCH)", "5.6", tryBatchLookup},
	}
}

// Features probes the running kernel; it needs root. Each probe loads (and,
// where cheap and harmless, attaches and detaches) a minimal program, and
// nothing stays loaded. The probes run concurrently, so that the slow ones,
// detaching a perf-event tracepoint or uprobe (an RCU grace period each),
// overlap the rest. It mounts tracefs where it is missing, as hawk does to
// attach probes.
func Features() []Feature {
	RaiseMemlock()
	_ = tracefs.Ensure() // as hawk does before it attaches; tracepoints report what fails
	probes := featureProbes()
	out := make([]Feature, len(probes))
	var wg sync.WaitGroup
	for i, p := range probes {
		wg.Go(func() {
			out[i] = Feature{Name: p.name, OK: true}
			if err := p.try(); err != nil {
				detail := foldLines(err.Error())
				if errors.Is(err, ebpf.ErrNotSupported) && !strings.Contains(detail, "Linux") {
					detail += "; needs Linux " + p.since
				}
				out[i] = Feature{Name: p.name, Detail: detail}
			}
		})
	}
	wg.Wait()
	return out
}

// foldLines folds a message onto one line.
func foldLines(s string) string { return strings.Join(strings.Fields(s), " ") }

// tryProgram loads a minimal program (return 0) from spec and, when attach is
// not nil, attaches it to target; it closes both before it returns. kind
// names the program in errors: "a kprobe program".
func tryProgram(kind string, spec ebpf.ProgramSpec, target string, attach func(*ebpf.Program) (io.Closer, error)) error {
	spec.Name = featureProgName
	spec.License = "GPL"
	if spec.Instructions == nil {
		spec.Instructions = asm.Instructions{asm.Mov.Imm(asm.R0, 0), asm.Return()}
	}
	prog, err := loadProgram(&spec)
	if err != nil {
		var verr *ebpf.VerifierError
		if errors.As(err, &verr) && len(verr.Log) > 0 {
			return fmt.Errorf("the verifier rejects %s: %s", kind, verr.Log[len(verr.Log)-1])
		}
		// Nothing in the verifier's log: the kernel refused the program first.
		return probeFailure("loading "+kind, " before the verifier", err)
	}
	defer prog.Close()
	if attach == nil {
		return nil
	}
	l, err := attach(prog)
	if err != nil {
		return probeFailure("attaching "+target, "", err)
	}
	return l.Close()
}

// loadProgram loads spec. One that attaches to a kernel function or
// tracepoint (AttachTo) finds it in the process's kernel BTF (SharedBTF),
// which cilium/ebpf would otherwise read afresh for each program.
func loadProgram(spec *ebpf.ProgramSpec) (*ebpf.Program, error) {
	if spec.AttachTo == "" {
		return ebpf.NewProgram(spec)
	}
	coll, err := ebpf.NewCollectionWithOptions(&ebpf.CollectionSpec{Programs: map[string]*ebpf.ProgramSpec{spec.Name: spec}},
		ebpf.CollectionOptions{Cache: SharedBTF()})
	if err != nil {
		return nil, err
	}
	defer coll.Close()
	return coll.DetachProgram(spec.Name), nil
}

// probeFailure says what failed and why, by the errno's name when there is
// one: "attaching tracepoint:a:b fails with ENOENT", with when after it
// ("before the verifier") if not empty. For EPERM it says what
// may be the cause: no root, or lockdown in confidentiality mode, which
// forbids kprobes, perf events and reading kernel memory; integrity mode
// forbids no BPF loads, so for those it says that lockdown is not the cause.
func probeFailure(what, when string, err error) error {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return fmt.Errorf("%s: %w", what, err)
	}
	msg := what + " fails with " + unix.ErrnoName(errno) + when
	if errno == unix.EPERM || errno == unix.EACCES {
		mode, _ := readLockdown()
		switch {
		case os.Geteuid() != 0:
			msg += ": not root"
		case errno == unix.EACCES:
		case mode == "confidentiality":
			msg += ": lockdown is confidentiality"
		case mode == "integrity" && strings.HasPrefix(what, "loading"):
			msg += "; lockdown is integrity, which allows it"
		}
	}
	return &detailError{msg, err}
}

// detailError is an error with a message of its own that still unwraps to err.
type detailError struct {
	msg string
	err error
}

func (e *detailError) Error() string { return e.msg }
func (e *detailError) Unwrap() error { return e.err }

func tryBTF() error {
	spec, err := SharedBTF().Kernel()
	if err != nil {
		return err
	}
	var task *btf.Struct
	if err := spec.TypeByName("task_struct", &task); err != nil {
		return fmt.Errorf("no struct task_struct in the kernel's BTF: %w", err)
	}
	return nil
}

func tryTracepoint() error {
	return tryProgram("a tracepoint program", ebpf.ProgramSpec{Type: ebpf.TracePoint},
		"tracepoint:syscalls:sys_enter_getppid", func(p *ebpf.Program) (io.Closer, error) {
			return link.Tracepoint("syscalls", "sys_enter_getppid", p, nil)
		})
}

func tryRawTracepoint() error {
	return tryProgram("a raw tracepoint program", ebpf.ProgramSpec{Type: ebpf.RawTracepoint},
		"rawtracepoint:sys_enter", func(p *ebpf.Program) (io.Closer, error) {
			return link.AttachRawTracepoint(link.RawTracepointOptions{Name: "sys_enter", Program: p})
		})
}

func tryTpBTF() error {
	spec := ebpf.ProgramSpec{Type: ebpf.Tracing, AttachType: ebpf.AttachTraceRawTp, AttachTo: "sched_switch"}
	return tryProgram("a tp_btf program", spec, "tp_btf:sched_switch", func(p *ebpf.Program) (io.Closer, error) {
		return link.AttachTracing(link.TracingOptions{Program: p, AttachType: ebpf.AttachTraceRawTp})
	})
}

// tryKprobe loads a kprobe program, which works whether or not the kernel
// can create kprobes, then attaches it to vfs_read.
func tryKprobe(ret bool) error {
	kind, attach := "kprobe", link.Kprobe
	if ret {
		kind, attach = "kretprobe", link.Kretprobe
	}
	err := tryProgram("a kprobe program", ebpf.ProgramSpec{Type: ebpf.Kprobe}, kind+":vfs_read",
		func(p *ebpf.Program) (io.Closer, error) { return attach("vfs_read", p, nil) })
	if err != nil && !KprobesAvailable() {
		return errors.New("no kprobe PMU and no kprobe_events in tracefs")
	}
	return err
}

// hasPath reports whether path exists.
func hasPath(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// uprobeTarget is where the uprobe probes attach: a function of this
// binary that nothing calls. usdtTarget is another, for probes with a
// semaphore, since the kernel refuses two uprobes at one place with
// different semaphores.
var uprobeTarget, usdtTarget = func() int { return 1 }, func() int { return 2 }

// usdtSemaphore is a USDT semaphore: initialized, so that it lies in the
// file-backed data of this binary, as ref_ctr_offset needs. semaphoreMu
// keeps probes from counting in it at the same time.
var (
	usdtSemaphore uint16 = 1
	semaphoreMu   sync.Mutex
)

// tryUprobe attaches a uprobe, or a uretprobe, to fn in this binary. With
// semaphore, usdtSemaphore is its USDT semaphore (ref_ctr_offset, as
// semaphore-gated USDT probes need), and the kernel must count the probe in
// it while the probe is attached.
func tryUprobe(ret bool, fn func() int, semaphore bool) error {
	kind := "uprobe"
	if ret {
		kind = "uretprobe"
	}
	bin, off, err := mappedFileOffset(reflect.ValueOf(fn).Pointer())
	if err != nil {
		return fmt.Errorf("finding a function of hawk for a %s: %w", kind, err)
	}
	opts := &link.UprobeOptions{Address: off}
	if semaphore {
		semBin, semOff, err := mappedFileOffset(uintptr(unsafe.Pointer(&usdtSemaphore)))
		if err != nil || semBin != bin {
			return fmt.Errorf("finding a USDT semaphore in %s: %v", bin, err)
		}
		opts.RefCtrOffset = semOff
		kind += " with a USDT semaphore"
		semaphoreMu.Lock()
		defer semaphoreMu.Unlock()
	}
	ex, err := link.OpenExecutable(bin)
	if err != nil {
		return err
	}
	before := usdtSemaphore
	return tryProgram("a uprobe program", ebpf.ProgramSpec{Type: ebpf.Kprobe}, kind+" on "+bin,
		func(p *ebpf.Program) (io.Closer, error) {
			probe := ex.Uprobe
			if ret {
				probe = ex.Uretprobe
			}
			l, err := probe(featureProgName, p, opts)
			if err == nil && semaphore && usdtSemaphore != before+1 {
				l.Close()
				return nil, errors.New("the kernel ignores its ref_ctr_offset: the semaphore did not count it")
			}
			return l, err
		})
}

// tryUprobeMulti attaches a uretprobe with a USDT semaphore to fn in this
// binary through a uprobe_multi link, and checks that the kernel counts it
// in the semaphore, as tryUprobe does.
func tryUprobeMulti(fn func() int) error {
	bin, off, err := mappedFileOffset(reflect.ValueOf(fn).Pointer())
	if err != nil {
		return err
	}
	semBin, semOff, err := mappedFileOffset(uintptr(unsafe.Pointer(&usdtSemaphore)))
	if err != nil || semBin != bin {
		return fmt.Errorf("finding a USDT semaphore in %s: %v", bin, err)
	}
	ex, err := link.OpenExecutable(bin)
	if err != nil {
		return err
	}
	semaphoreMu.Lock()
	defer semaphoreMu.Unlock()
	before := usdtSemaphore
	spec := ebpf.ProgramSpec{Type: ebpf.Kprobe, AttachType: ebpf.AttachTraceUprobeMulti}
	return tryProgram("a uprobe_multi program", spec, "a uprobe_multi link on "+bin,
		func(p *ebpf.Program) (io.Closer, error) {
			l, err := ex.UretprobeMulti(nil, p, &link.UprobeMultiOptions{Addresses: []uint64{off}, RefCtrOffsets: []uint64{semOff}})
			if err == nil && usdtSemaphore != before+1 {
				l.Close()
				return nil, errors.New("the kernel ignores its ref_ctr_offset: the semaphore did not count it")
			}
			return l, err
		})
}

// mappedFileOffset finds the file mapped at addr in this process and addr's
// offset in it.
func mappedFileOffset(addr uintptr) (string, uint64, error) {
	return usersym.FileOffset(uint32(os.Getpid()), uint64(addr))
}

// tryFentry loads an fentry and an fexit program on vfs_read; attaching
// them would patch vfs_read, so it only loads them.
func tryFentry() error {
	for _, at := range []ebpf.AttachType{ebpf.AttachTraceFEntry, ebpf.AttachTraceFExit} {
		kind := "an fentry program"
		if at == ebpf.AttachTraceFExit {
			kind = "an fexit program"
		}
		spec := ebpf.ProgramSpec{Type: ebpf.Tracing, AttachType: at, AttachTo: "vfs_read"}
		if err := tryProgram(kind, spec, "", nil); err != nil {
			return err
		}
	}
	return nil
}

// tryPerfEvent opens a perf event and attaches a perf_event program to it.
func tryPerfEvent(what string, attr unix.PerfEventAttr, pid, cpu int) error {
	fd, err := openPerfEvent(what, attr, pid, cpu)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	return attachToPerfEvent(what, fd)
}

// openPerfEvent opens a perf event; what names it in errors.
func openPerfEvent(what string, attr unix.PerfEventAttr, pid, cpu int) (int, error) {
	fd, err := OpenPerfEvent(attr, pid, cpu)
	if err != nil {
		return -1, probeFailure("perf_event_open("+what+")", "", err)
	}
	return fd, nil
}

// attachToPerfEvent attaches a perf_event program to the perf event fd by a
// BPF link, as hawk attaches profile and interval probes, and detaches it.
func attachToPerfEvent(what string, fd int) error {
	return tryProgram("a perf_event program", ebpf.ProgramSpec{Type: ebpf.PerfEvent}, what,
		func(p *ebpf.Program) (io.Closer, error) {
			return link.AttachRawLink(link.RawLinkOptions{Target: fd, Program: p, Attach: ebpf.AttachPerfEvent})
		})
}

func trySoftwarePerf() error {
	attr := unix.PerfEventAttr{Type: unix.PERF_TYPE_SOFTWARE, Config: unix.PERF_COUNT_SW_CPU_CLOCK, Sample: 1e9}
	return tryPerfEvent("cpu-clock", attr, -1, 0)
}

func tryHardwarePerf() error {
	attr := unix.PerfEventAttr{Type: unix.PERF_TYPE_HARDWARE, Config: unix.PERF_COUNT_HW_CPU_CYCLES, Sample: 1e12}
	fd, err := openPerfEvent("cycles", attr, -1, 0)
	if NoPMU(err) {
		return &detailError{"no hardware PMU: " + err.Error(), err}
	}
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	return attachToPerfEvent("cycles", fd)
}

// tryTaskIter attaches a task iterator and reads it to the end.
func tryTaskIter() error {
	spec := ebpf.ProgramSpec{Type: ebpf.Tracing, AttachType: ebpf.AttachTraceIter, AttachTo: "task"}
	return tryProgram("a task iterator", spec, "iter:task", func(p *ebpf.Program) (io.Closer, error) {
		it, err := link.AttachIter(link.IterOptions{Program: p})
		if err != nil {
			return nil, err
		}
		r, err := it.Open()
		if err == nil {
			_, err = io.Copy(io.Discard, r)
			r.Close()
		}
		if err != nil {
			it.Close()
			return nil, fmt.Errorf("reading the iterator: %w", err)
		}
		return it, nil
	})
}

// tryTestRun runs a raw tracepoint program once with BPF_PROG_TEST_RUN, as
// hawk runs BEGIN and END.
func tryTestRun() error {
	return tryProgram("a raw tracepoint program", ebpf.ProgramSpec{Type: ebpf.RawTracepoint}, "BPF_PROG_TEST_RUN",
		func(p *ebpf.Program) (io.Closer, error) {
			_, err := p.Run(&ebpf.RunOptions{})
			return io.NopCloser(nil), err // running attaches nothing
		})
}

func tryStacks() error {
	if err := haveMapType(ebpf.StackTrace); err != nil {
		return err
	}
	return tryHelpers(asm.FnGetStackid, asm.FnGetStack)()
}

// haveMapType checks with cilium/ebpf's features package that the kernel
// creates maps of type mt.
func haveMapType(mt ebpf.MapType) error {
	return featureCheck("creating a "+mt.String()+" map", "no "+mt.String()+" maps", features.HaveMapType(mt))
}

// featureCheck turns the result of a check of cilium/ebpf's features package
// into a failure to report: lacks when the kernel lacks the feature, else
// that doing it failed.
func featureCheck(doing, lacks string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ebpf.ErrNotSupported):
		return &detailError{lacks, err}
	}
	return probeFailure(doing, "", err)
}

// tryHelpers checks that kprobe programs, which hawk also uses for uprobes,
// may call the helpers.
func tryHelpers(fns ...asm.BuiltinFunc) func() error {
	return func() error {
		for _, fn := range fns {
			name := bpfHelperName(fn)
			err := features.HaveProgramHelper(ebpf.Kprobe, fn)
			if err := featureCheck("loading a kprobe program that calls "+name, "kprobe programs cannot call "+name, err); err != nil {
				return err
			}
		}
		return nil
	}
}

// bpfHelperName spells a helper as the kernel does: FnGetStack is bpf_get_stack.
func bpfHelperName(fn asm.BuiltinFunc) string {
	name := strings.TrimPrefix(fn.String(), "Fn")
	var b strings.Builder
	b.WriteString("bpf")
	for _, r := range name {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// tryBatchLookup reads an empty hash map with BPF_MAP_LOOKUP_BATCH.
func tryBatchLookup() error {
	m, err := ebpf.NewMap(&ebpf.MapSpec{Name: featureProgName, Type: ebpf.Hash, KeySize: 4, ValueSize: 4, MaxEntries: 1})
	if err != nil {
		return probeFailure("creating a hash map", "", err)
	}
	defer m.Close()
	var cursor ebpf.MapBatchCursor
	_, err = m.BatchLookup(&cursor, make([]uint32, 1), make([]uint32, 1), nil)
	if errors.Is(err, ebpf.ErrKeyNotExist) {
		return nil
	}
	if err == nil {
		return errors.New("BPF_MAP_LOOKUP_BATCH on an empty map did not say it ended")
	}
	return err
}

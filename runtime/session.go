package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"syscall"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/runtime/dwunwind"
	"github.com/hawktrace/hawk/runtime/kernel"
	"github.com/hawktrace/hawk/runtime/output"
	"github.com/hawktrace/hawk/runtime/tracefs"
	"github.com/hawktrace/hawk/runtime/usersym"
)

// Options configure a session.
type Options struct {
	Stdout io.Writer // printf output and maps; os.Stdout when nil
	Stderr io.Writer // the banner and warnings; os.Stderr when nil
	// Format is text (bpftrace's) or JSON (one object a line).
	Format output.Format
	// Buffer says when output is written out (-B).
	Buffer output.BufferMode
	// Quiet hides the "Attached N probes" banner.
	Quiet bool
	// Pid is the process -p traces: uprobes, usdt, perf events and
	// watchpoints attach to it alone, other probes filter on it (see
	// codegen.Options.PidFilter), and the run ends when it exits. 0 for
	// none.
	Pid int
	// Cpid is the child process -c started, which cpid reads; the run
	// ends when it exits. 0 for none.
	Cpid int
	// NoUprobeMulti attaches every uprobe through a perf event of its own,
	// never through uprobe_multi links (--no-feature uprobe_multi).
	NoUprobeMulti bool
	// Attached is called once every probe is attached, before events are
	// read: -c starts its command then.
	Attached func()
	// Ending is called once the run begins to end (exit(), the end of
	// ctx, of the traced process or of the iteration), before the probes
	// are detached, END runs and the maps print.
	Ending func()
	// Closing is called once the run's output (END's, the maps) is
	// flushed, before the probes slow to close (perf-event tracepoints,
	// kprobes, uprobes) are closed; Run returns once they are.
	Closing func()
	// DryRun runs BEGIN and attaches every probe, then detaches and
	// returns without reading or printing anything (its output, the
	// banner, the maps) or running END (--dry-run, as bpftrace v0.26).
	DryRun bool
	// Verbose prints each program's kernel id once loaded, and the full
	// verifier log when a program is refused.
	Verbose bool
	// ProgramOptions are the program options of an object, whose getopt()
	// reads them when it loads (codegen.Manifest.Options): "name=value"
	// or "name" for --name=value and --name. An option the object does
	// not read, or a value of the wrong type, fails the load with a
	// *lang.OptionError. A script compiled from source took its options
	// at compile time: it has none to give here.
	ProgramOptions []string
	// Mode says which probes run: the script's (ModeRun), its test probes
	// or its bench probes.
	Mode Mode
	// NoWarnings drops warnf() and the run-time warnings (--no-warnings).
	NoWarnings bool
	// DwarfPids are the processes, besides Pid, whose binaries dw_ustack
	// unwinds (--dwarf-pid); DwarfBinaries are binaries that will run,
	// read with the libraries they load (-c's command).
	DwarfPids     []int
	DwarfBinaries []string
	// Writer, when set, receives the script's output (printf, print,
	// time, cat, join, system, the maps at exit, errorf and warnf, lost
	// events) in place of the text or JSON writer Format, Stdout and
	// Buffer would make: the Go API's (hawk.Start) turns each call into
	// an event. Messages that are not the script's output (-v, the total
	// of lost events) still go to Stderr.
	Writer output.Writer
	// BTF holds the kernel's and its modules' BTF, read at most once:
	// where attach targets (tp_btf, fentry), kernel functions and
	// variables are looked up. Give the cache the checker's kernel.Env
	// used, so that nothing is read twice; nil for the process's
	// (kernel.SharedBTF).
	BTF *btf.Cache

	// start is the boot-clock time `elapsed` counts from: now when 0. A
	// Live session's scripts share one.
	start uint64
}

// withDefaults fills in the writers left nil: the process's standard
// output and error.
func (o Options) withDefaults() Options {
	if o.Stdout == nil {
		o.Stdout = os.Stdout
	}
	if o.Stderr == nil {
		o.Stderr = os.Stderr
	}
	return o
}

// retryLogSize is the verifier log hawk asks for when a refusal came
// without one.
const retryLogSize = 64 << 20

// Session is a loaded script: its maps and verified programs in the kernel.
type Session struct {
	out    *codegen.Output
	man    *codegen.Manifest
	opts   Options
	coll   *ebpf.Collection
	w      output.Writer // renders the script's output
	stderr io.Writer

	dec          *decoder
	decodeMu     sync.Mutex        // held while the decoder and its caches are used
	usyms        *usersym.Resolver // user-space symbols, made on first use
	uprobeBins   []string          // the binaries uprobes trace, found with usyms
	multi        map[string]bool   // programs attached through uprobe_multi links
	mu           sync.Mutex
	attached     []attachment
	lost         uint64       // lost events reported so far
	emptied      map[int]bool // maps without keys zero() or clear() emptied, by index
	siteReported map[int]bool // places whose problem was reported, by Sites index
	closed       bool
	dw           *dwunwind.Tables // dw_ustack's unwind tables, when the script has one
	// pending are the records of BEGIN and END blocks run in user space,
	// which the event loop handles before the ring buffer's (runUser).
	pending [][]byte
}

// Load creates the maps and loads the programs of a compiled script. The
// programs are verified but nothing is attached yet.
func Load(out *codegen.Output, opts Options) (*Session, error) {
	s, err := load(out, opts, nil)
	if err != nil {
		return nil, err
	}
	s.announce()
	return s, nil
}

// LoadContext is Load that gives up when ctx is done, and then returns
// ctx's error at once. The kernel cannot be told to stop verifying a
// program: a signal only makes it start again (cilium/ebpf retries the
// EAGAIN the verifier returns then), so the load is abandoned to finish
// in the background, where what it loaded is closed as soon as it
// returns. A process that exits ends the verification at once: the kernel
// kills the thread that loads, and closes what it loaded.
func LoadContext(ctx context.Context, out *codegen.Output, opts Options) (*Session, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	type result struct {
		s   *Session
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := load(out, opts, nil)
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, r.err
		}
		r.s.announce()
		return r.s, nil
	case <-ctx.Done():
		go func() {
			if r := <-done; r.s != nil {
				r.s.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

// load loads a compiled script whose maps named in shared are not created
// but taken from there (a Live session's maps).
func load(out *codegen.Output, opts Options, shared map[string]*ebpf.Map) (*Session, error) {
	opts = opts.withDefaults()
	kernel.RaiseMemlock() // only on kernels before 5.11
	spec := out.Spec.Copy()
	if err := setRodata(spec.Maps[out.Manifest.RodataMap], out.Manifest, opts); err != nil {
		return nil, err
	}
	if err := tracefs.Ensure(); err != nil && needsTracefs(out.Manifest) {
		return nil, err
	}
	cache := kernel.BTFCache(opts.BTF)
	if err := resolveBTFRefs(spec, cache); err != nil {
		return nil, err
	}
	multi := useUprobeMulti(spec, out.Manifest, !opts.NoUprobeMulti)
	mmapableWakeMap(spec, out.Manifest)
	fitRingbuf(spec, out.Manifest)
	dw := dwTables(spec, opts)
	coll, err := ebpf.NewCollectionWithOptions(spec, ebpf.CollectionOptions{MapReplacements: shared, Cache: cache})
	var ve *ebpf.VerifierError
	if err != nil && (!errors.As(err, &ve) || len(ve.Log) == 0) && !errors.Is(err, os.ErrPermission) {
		// Some refusals (EFAULT) come without the verifier's log: load again
		// with a log big enough to say why.
		coll, err = ebpf.NewCollectionWithOptions(spec, ebpf.CollectionOptions{
			MapReplacements: shared,
			Cache:           cache,
			Programs:        ebpf.ProgramOptions{LogLevel: ebpf.LogLevelBranch, LogSizeStart: retryLogSize},
		})
	}
	if errors.Is(err, os.ErrPermission) && !kernel.Privileged() {
		return nil, kernel.ErrPrivileges
	}
	if err != nil {
		return nil, loadError(out, err, opts.Verbose)
	}
	if err := fillDwTables(coll, dw); err != nil {
		coll.Close()
		return nil, err
	}
	s := &Session{
		out: out, man: out.Manifest, opts: opts, coll: coll, multi: multi,
		w:      opts.Writer,
		stderr: opts.Stderr,
	}
	if s.w == nil {
		s.w = output.New(opts.Format, opts.Stdout, opts.Stderr, opts.Buffer)
	}
	if opts.NoWarnings {
		s.w = output.NoWarnings(s.w)
	}
	s.dw = dw
	return s, nil
}

// announce prints, with -v, each program's kernel id and what the verifier
// did.
func (s *Session) announce() {
	if !s.opts.Verbose {
		return
	}
	announced := map[string]bool{}
	for _, p := range s.man.Programs {
		if p.User != nil {
			s.warnf("Program %s (%s) runs in user space", p.Name, p.Text)
			continue
		}
		if announced[p.Name] {
			continue // a dispatcher's
		}
		announced[p.Name] = true
		if info, err := s.coll.Programs[p.Name].Info(); err == nil {
			if id, ok := info.ID(); ok {
				s.warnf("Program %s (%s) loaded with id %d%s", p.Name, p.Text, id, verifierStats(info))
			}
		}
	}
}

// verifierStats says how big a loaded program is and how much work the
// verifier did on it, where the kernel tells.
func verifierStats(info *ebpf.ProgramInfo) string {
	var parts []string
	if insns, err := info.Instructions(); err == nil {
		parts = append(parts, fmt.Sprintf("%d instructions", len(insns)))
	}
	if n, ok := info.VerifiedInstructions(); ok {
		parts = append(parts, fmt.Sprintf("verifier processed %d", n))
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, ", ")
}

// setRodata stores what only the running machine knows: the boot-clock
// time `elapsed` counts from, the number of possible CPUs, the process -p
// traces, the child -c started, an object's program options and, where
// nsecs(sw_tai) reads it, the TAI clock's distance from the boot clock.
func setRodata(rodata *ebpf.MapSpec, man *codegen.Manifest, opts Options) error {
	data := append([]byte(nil), rodata.Contents[0].Value.([]byte)...)
	if err := setOptions(data, man, opts.ProgramOptions); err != nil {
		return err
	}
	ncpus, err := ebpf.PossibleCPU()
	if err != nil {
		return fmt.Errorf("counting CPUs: %w", err)
	}
	start := opts.start
	if start == 0 {
		start = uint64(bootNanos())
	}
	ne.PutUint64(data[codegen.RodataStartTimeOffset:], start)
	ne.PutUint64(data[codegen.RodataNcpusOffset:], uint64(ncpus))
	ne.PutUint64(data[codegen.RodataTargetPidOffset:], uint64(opts.Pid))
	ne.PutUint64(data[codegen.RodataCpidOffset:], uint64(opts.Cpid))
	dev, ino := pidNamespace()
	ne.PutUint64(data[codegen.RodataPidNsDevOffset:], dev)
	ne.PutUint64(data[codegen.RodataPidNsInoOffset:], ino)
	if man.TaiDeltaOffset > 0 {
		ne.PutUint64(data[man.TaiDeltaOffset:], uint64(taiDelta()))
	}
	rodata.Contents[0].Value = data
	return nil
}

// initPidNamespace is the inode number of the initial pid namespace
// (the kernel's PROC_PID_INIT_INO).
const initPidNamespace = 0xEFFFFFFC

// pidNamespace returns the device and inode numbers of hawk's pid
// namespace, which pid and tid translate to, or zeros in the initial
// namespace (or when /proc cannot say), where they need no translation.
func pidNamespace() (dev, ino uint64) {
	var st syscall.Stat_t
	if err := syscall.Stat("/proc/self/ns/pid", &st); err != nil || st.Ino == initPidNamespace {
		return 0, 0
	}
	return st.Dev, st.Ino
}

func needsTracefs(m *codegen.Manifest) bool {
	for _, p := range m.Programs {
		if p.Kind.String() == "tracepoint" {
			return true
		}
	}
	return false
}

// Close detaches every probe and releases every map and program, so that
// nothing of the script stays in the kernel. It is safe to call twice.
func (s *Session) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.detach(func(attachment) bool { return true })
	s.decodeMu.Lock() // no read is under way
	s.coll.Close()
	s.decodeMu.Unlock()
	return nil
}

func (s *Session) warnf(format string, args ...any) {
	fmt.Fprintf(s.stderr, format+"\n", args...)
}

// ProgramIDs returns the kernel ids of the session's programs.
func (s *Session) ProgramIDs() []ebpf.ProgramID {
	var ids []ebpf.ProgramID
	for _, p := range s.coll.Programs {
		if info, err := p.Info(); err == nil {
			if id, ok := info.ID(); ok {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// decoder returns the session's decoder, which caches user names.
func (s *Session) decoder() *decoder {
	if s.dec == nil {
		s.dec = &decoder{s: s}
	}
	return s.dec
}

// XlatedSize returns how many instructions the kernel runs for a program
// (wide loads count two), after its own rewriting and inlining.
func (s *Session) XlatedSize(program string) (int, error) {
	p := s.coll.Programs[program]
	if p == nil {
		return 0, fmt.Errorf("no program %s", program)
	}
	info, err := p.Info()
	if err != nil {
		return 0, err
	}
	insns, err := info.Instructions()
	if err != nil {
		return 0, err
	}
	return int(insns.Size() / 8), nil
}

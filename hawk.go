// Package hawk compiles bpftrace scripts to eBPF and runs them, with no
// LLVM and no C toolchain. It is the API other programs embed; the hawk
// command is built on it.
//
//	script, err := hawk.Compile(lang.NewSource("trace.bt", text), hawk.Config{})
//	code, err := script.Run(ctx, runtime.Options{})
//
// Run prints as the hawk command does. Start runs a script in the
// background instead, for a Go program to read its maps as Go values and
// take its output as events (start.go, values.go, events.go):
//
//	r, err := hawk.Start(ctx, script, hawk.StartOptions{OnEvent: handle})
//	counts, err := r.Map("@counts") // a hawk.Map, at any time
//	code, err := r.Stop()
//
// The pipeline reads as a sentence: parse, check, generate, then load,
// attach and print.
package hawk

import (
	"context"
	"errors"
	"os"
	"regexp"
	"syscall"

	"github.com/cilium/ebpf/btf"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
	"github.com/hawktrace/hawk/runtime/kernel"
)

// Version is hawk's version.
const Version = "0.1.0"

// Config holds the settings of a script.
type Config struct {
	// Params are the positional parameters $1, $2, ...
	Params []string
	// MaxStrlen overrides max_strlen: the size of strings, NUL included.
	MaxStrlen int
	// Environ holds KEY=VALUE environment variables: BPFTRACE_* ones set
	// config variables.
	Environ []string
	// Env tells the checker about the system; nil reads it from tracefs.
	Env lang.Env
	// Unsafe allows system() and signal().
	Unsafe bool
	// Pid is the process -p traces, 0 for none: uprobes and usdt probes
	// whose binary is * or empty attach to its binaries (kernel.Binaries).
	Pid int
	// PidFilter makes the probes that cannot attach to one process
	// (tracepoints, kprobes, ...) filter on the pid runtime.Options.Pid
	// names (-p).
	PidFilter bool
	// AnyPidNamespace compiles pid and tid for whatever pid namespace the
	// script runs in (codegen.Options.PidNamespace), not only hawk's
	// current one: for objects (--emit-elf) that run elsewhere.
	AnyPidNamespace bool
	// KernelBeginEnd keeps BEGIN and END blocks in the kernel as programs
	// even when user space can do all they do
	// (codegen.Options.KernelBeginEnd).
	KernelBeginEnd bool
	// Child says a command runs beside the script (-c): cpid is its pid.
	Child bool
	// PerfSyscalls attaches syscall tracepoints to their perf tracepoints,
	// not to the raw sys_enter and sys_exit (codegen.Options).
	PerfSyscalls bool
	// IncludeDirs are searched for #include'd headers before the system's
	// directories (-I); Includes are headers read as if the script began
	// by including them (--include).
	IncludeDirs, Includes []string
	// HelperErrors warns of map reads that find no entry (-k,
	// codegen.Options).
	HelperErrors bool
	// Options are the program's named options, which getopt() reads:
	// "name=value" or "name" for --name=value and --name
	// (lang.Config.Options).
	Options []string
	// OptionsAtLoad compiles getopt() to read its option's value when the
	// program loads (runtime.Options.ProgramOptions) rather than as a
	// constant: for objects (--emit-elf, --aot), which take their options
	// where they run. Options is then not read.
	OptionsAtLoad bool
	// ProbeFilter, when set, keeps only the attach points whose name it
	// finds a match in, BEGIN and END besides (--probe-filter,
	// lang.FilterProbes).
	ProbeFilter *regexp.Regexp
	// UnwindTargets says the run names the processes dw_ustack unwinds
	// (-p, -c, --dwarf-pid), or the program runs elsewhere, later
	// (lang.Config.UnwindTargets).
	UnwindTargets bool
	// CountHits makes every probe count the runs of its action, which
	// runtime.Session.Counters reads (codegen.Options.CountHits): what
	// --metrics exports as hawk_probe_hits_total.
	CountHits bool
	// BTF holds the kernel's and its modules' BTF, read at most once,
	// for the checker (kernel.Env.BTF) and then the loader
	// (Script.BTF, runtime.Options.BTF): nil for the process's cache
	// (kernel.SharedBTF), which keeps what it read for the life of the
	// process. A long-running program that wants that memory back, or
	// whose kernel may load a module again (new BTF ids), gives each
	// script a btf.NewCache() of its own. Not read when Env is set.
	BTF *btf.Cache
}

// Script is a compiled script.
type Script struct {
	Prog *lang.Program
	Info *lang.Info
	Out  *codegen.Output
	// BTF is the cache of kernel BTF the script was checked with
	// (Config.BTF), which Run, Verify and Start load it with when their
	// runtime.Options name none.
	BTF *btf.Cache
}

// Compile parses, checks and compiles a script. Errors in the script come
// back as lang.Diagnostics.
func Compile(src *lang.Source, cfg Config) (*Script, error) {
	return compile(context.Background(), src, cfg)
}

// CompileContext is Compile that gives up when ctx is done: it returns
// ctx's error at once. The stage under way (parsing, checking or
// generating) finishes in the background, and the next does not start.
func CompileContext(ctx context.Context, src *lang.Source, cfg Config) (*Script, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	type result struct {
		s   *Script
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := compile(ctx, src, cfg)
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		return r.s, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Check parses and checks a script without generating its code: the
// Script has no Out. Its probes' attach points are expanded (what -l
// lists). Errors are as Compile's.
func Check(src *lang.Source, cfg Config) (*Script, error) {
	return check(context.Background(), src, cfg)
}

// check runs the stages of Check, checking ctx before each.
func check(ctx context.Context, src *lang.Source, cfg Config) (*Script, error) {
	cfg.BTF = kernel.BTFCache(cfg.BTF)
	if cfg.Env == nil {
		cfg.Env = &kernel.Env{Pid: cfg.Pid, Unsafe: cfg.Unsafe, BTF: cfg.BTF}
	}
	prog, err := lang.ParseFiles(src)
	if prog == nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	info, cerr := lang.Check(prog, cfg.Env, lang.Config{MaxStrlen: cfg.MaxStrlen, Params: cfg.Params, Environ: cfg.Environ, Unsafe: cfg.Unsafe, Child: cfg.Child,
		IncludeDirs: cfg.IncludeDirs, Includes: cfg.Includes, Options: cfg.Options, OptionsAtLoad: cfg.OptionsAtLoad,
		UnwindTargets: cfg.UnwindTargets})
	var optErr *lang.OptionError
	if err == nil && errors.As(cerr, &optErr) {
		// The script is sound; the command line's options are not.
		return &Script{Prog: prog, Info: info, BTF: cfg.BTF}, cerr
	}
	if err := lang.Merge(err, cerr); err != nil {
		return &Script{Prog: prog, Info: info, BTF: cfg.BTF}, err
	}
	if err := lang.FilterProbes(prog, cfg.ProbeFilter); err != nil {
		return &Script{Prog: prog, Info: info, BTF: cfg.BTF}, err
	}
	return &Script{Prog: prog, Info: info, BTF: cfg.BTF}, nil
}

// compile runs the stages of Compile, checking ctx before each.
func compile(ctx context.Context, src *lang.Source, cfg Config) (*Script, error) {
	checked, err := check(ctx, src, cfg)
	if checked == nil || err != nil {
		return checked, err
	}
	prog, info := checked.Prog, checked.Info
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out, err := codegen.Generate(prog, info, codegen.Options{PidFilter: cfg.PidFilter, PerfSyscalls: cfg.PerfSyscalls || !haveKernelBTF(),
		NoIA32: tracesSyscalls(prog) && !kernel.IA32Emulation(), HelperErrors: cfg.HelperErrors, CountHits: cfg.CountHits,
		PidNamespace: cfg.AnyPidNamespace || !initialPidNamespace(), KernelBeginEnd: cfg.KernelBeginEnd})
	if err != nil {
		return &Script{Prog: prog, Info: info, BTF: checked.BTF}, err
	}
	return &Script{Prog: prog, Info: info, Out: out, BTF: checked.BTF}, nil
}

// initialPidNamespace reports whether hawk runs in the initial pid
// namespace (the kernel's PROC_PID_INIT_INO), where pid and tid need no
// translation; true when /proc cannot say.
func initialPidNamespace() bool {
	var st syscall.Stat_t
	return syscall.Stat("/proc/self/ns/pid", &st) != nil || st.Ino == 0xEFFFFFFC
}

// tracesSyscalls reports whether prog has a syscall tracepoint, whose
// program may run from a raw syscall tracepoint.
func tracesSyscalls(prog *lang.Program) bool {
	for _, p := range prog.Probes {
		for _, ap := range p.Points {
			if ap.Kind == lang.ProbeTracepoint && ap.Args[0] == "syscalls" {
				return true
			}
		}
	}
	return false
}

// haveKernelBTF reports whether the kernel describes itself in BTF, which
// the raw syscall tracepoints need.
func haveKernelBTF() bool {
	_, err := os.Stat("/sys/kernel/btf/vmlinux")
	return err == nil
}

// Run loads the script, runs it until exit() or until ctx is done, prints
// its maps, and leaves nothing in the kernel. It returns the script's exit
// code. When ctx is done before BEGIN runs (while the programs load),
// nothing runs and Run returns ctx's error at once (runtime.LoadContext,
// Session.Run).
func (s *Script) Run(ctx context.Context, opts runtime.Options) (int, error) {
	opts = s.loadOptions(opts)
	sess, err := runtime.LoadContext(ctx, s.Out, opts)
	if err != nil {
		return 0, err
	}
	defer sess.Close()
	return sess.Run(ctx)
}

// Verify loads every program of the script into the kernel, which runs the
// verifier on each, attaches nothing, and unloads them. It returns how many
// programs the kernel accepted.
func (s *Script) Verify(opts runtime.Options) (int, error) {
	opts = s.loadOptions(opts)
	sess, err := runtime.Load(s.Out, opts)
	if err != nil {
		return 0, err
	}
	defer sess.Close()
	return len(s.Out.Manifest.Programs), nil
}

// loadOptions returns opts with the script's BTF cache when they name
// none, so that loading reads no BTF that checking read.
func (s *Script) loadOptions(opts runtime.Options) runtime.Options {
	if opts.BTF == nil {
		opts.BTF = s.BTF
	}
	return opts
}

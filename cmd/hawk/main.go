// hawk runs for seconds, and its GOMAXPROCS need not follow a container's
// CPU limit as it changes: without the goroutine that would watch it, a
// run starts one thread fewer (BEGIN { exit(); }: 710 -> 673 page faults,
// issue 16). The limit at start is still taken (containermaxprocs).
//go:debug updatemaxprocs=0

// Command hawk runs bpftrace scripts: one-liners (-e), files, or stdin.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	goruntime "runtime"
	"slices"
	"syscall"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/aot"
	"github.com/hawktrace/hawk/internal/outfile"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
	"github.com/hawktrace/hawk/runtime/kernel"
	"github.com/hawktrace/hawk/runtime/metrics"
)

// Exit codes.
const (
	exitOK       = 0
	exitUser     = 1 // an error in the script or the command line
	exitInternal = 2 // a fault of hawk's own
)

// BEGIN and END programs run on the thread that asks the kernel to run
// them. Keeping the main goroutine on the process's first thread makes
// them see tid == pid there, as bpftrace's do.
func init() { goruntime.LockOSThread() }

func main() {
	growStack()
	// An executable that --aot wrote runs the program it carries.
	obj, err := aot.Self()
	if err != nil {
		fmt.Fprintf(os.Stderr, "hawk: error: %v\n", err)
		os.Exit(exitInternal)
	}
	if obj != nil {
		os.Exit(runEmbedded(os.Args[0], os.Args[1:], obj, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer recoverInternal(stderr, &code)
	color, colorSet := os.LookupEnv(colorEnv)
	stderr = colorStderr(color, colorSet, stdout, stderr)
	if len(args) > 0 {
		if sub, ok := subcommands[args[0]]; ok {
			return sub(args[1:], stdout, stderr)
		}
	}
	o, err := parseArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "hawk: %v\n", err)
		if u, ok := err.(*usageError); ok && u.synopsis {
			fmt.Fprint(stderr, synopsis())
		}
		fmt.Fprintf(stderr, "Run 'hawk -h' for help.\n")
		return exitUser
	}
	if o.help {
		fmt.Fprint(stdout, usage())
		return exitOK
	}
	return execute(o, stdin, stdout, stderr)
}

// runEmbedded is run for an executable that --aot wrote, named name,
// which runs the compiled script obj.
func runEmbedded(name string, args []string, obj []byte, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer recoverInternal(stderr, &code)
	o, err := parseEmbeddedArgs(args, obj)
	if err != nil {
		fmt.Fprintf(stderr, "hawk: %v\nRun '%s -h' for help.\n", err, name)
		return exitUser
	}
	if o.help {
		fmt.Fprint(stdout, embeddedUsage(name))
		return exitOK
	}
	return execute(o, stdin, stdout, stderr)
}

// recoverInternal turns a panic into a report of hawk's own fault.
func recoverInternal(stderr io.Writer, code *int) {
	if r := recover(); r != nil {
		fmt.Fprintf(stderr, "hawk: internal error: %v\n", r)
		*code = exitInternal
	}
}

// execute does what the command line o asks for.
func execute(o *options, stdin io.Reader, stdout, stderr io.Writer) int {
	switch {
	case o.version:
		fmt.Fprint(stdout, versionLine())
		return exitOK
	case o.replIfTerminal && !isTerminal(stdin):
		fmt.Fprintf(stderr, "hawk: %s\nRun 'hawk -h' for help.\n", noProgram)
		return exitUser
	case o.repl || o.replIfTerminal:
		if err := kernel.CheckPrivileges(); err != nil {
			fmt.Fprintf(stderr, "hawk: error: %v\n", err)
			return exitUser
		}
		return runREPL(o, stdin, stdout, stderr) // which handles Ctrl-C itself
	}
	// From here until BEGIN runs, Ctrl-C and SIGTERM end hawk at once.
	stopper := watchSignals()
	defer stopper.stop()
	switch {
	case o.info:
		noCollectionsForInfo()
		if err := kernel.WriteInfo(stdout); err != nil {
			return report(stderr, err)
		}
		if err := kernel.WriteLinkFeatures(stdout, o.noFeature); err != nil {
			return report(stderr, err)
		}
		return exitOK
	case o.list:
		return list(o, stdin, stdout, stderr)
	}
	if needsPrivileges(o) {
		if err := kernel.CheckPrivileges(); err != nil {
			fmt.Fprintf(stderr, "hawk: error: %v\n", err)
			return exitUser
		}
	}
	if o.pid != 0 {
		if err := syscall.Kill(o.pid, 0); err != nil && err != syscall.EPERM {
			fmt.Fprintf(stderr, "hawk: -p %d: %v\n", o.pid, err)
			return exitUser
		}
	}
	script, code := compile(o, stdin, stdout, stderr)
	if script == nil {
		return code
	}
	if o.emitELF != "" {
		if err := writeObject(o.emitELF, script.Out, scriptFiles(o, script)...); err != nil {
			fmt.Fprintf(stderr, "hawk: error: --emit-elf: %v\n", err)
			return exitUser
		}
		return exitOK
	}
	if o.aot != "" {
		if err := writeAOT(o.aot, script.Out, scriptFiles(o, script)...); err != nil {
			fmt.Fprintf(stderr, "hawk: error: --aot: %v\n", err)
			return exitUser
		}
		return exitOK
	}

	out, closeOut, err := openOutput(o, stdout, scriptFiles(o, script)...)
	if err != nil {
		fmt.Fprintf(stderr, "hawk: error: -o: %v\n", err)
		return exitUser
	}
	defer closeOut()
	prof, err := openProfile(o, script)
	if err != nil {
		fmt.Fprintf(stderr, "hawk: error: --pprof: %v\n", err)
		return exitUser
	}
	defer prof.close()
	opts := runtime.Options{Stdout: out, Stderr: stderr, Quiet: o.quiet, Verbose: o.verbose,
		Format: o.format, Buffer: o.buffer, NoWarnings: o.noWarnings,
		NoUprobeMulti: slices.Contains(o.noFeature, "uprobe_multi"),
		BTF:           script.BTF} // what checking read, nothing twice
	if script.Prog == nil {
		// An object reads its program options when it loads.
		opts.ProgramOptions = o.options
	}
	if o.verify {
		n, err := script.Verify(opts)
		if err != nil {
			return report(stderr, err)
		}
		if !o.quiet {
			fmt.Fprintf(stderr, "Verified %d program%s\n", n, plural(n))
		}
		return exitOK
	}
	opts.Pid, opts.DryRun = o.pid, o.dryRun
	opts.DwarfPids = o.dwarfPids
	opts.Mode = o.runMode()
	// A reader that goes away (hawk ... | head) makes writes fail with
	// EPIPE instead of killing hawk, which then detaches and ends.
	signal.Ignore(syscall.SIGPIPE)
	metricsSrv, err := listenMetrics(o, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "hawk: error: %v\n", err)
		return exitUser
	}
	defer metricsSrv.Close()
	exitCode, err := runScript(stopper, script, opts, o.command, metricsSrv, prof)
	if code, ok := stopper.interrupted(err); ok {
		return code
	}
	if err != nil {
		return report(stderr, err)
	}
	return exitCode
}

// needsPrivileges reports whether what the command line asks for loads
// programs into the kernel: all but printing a stage (-d) and writing an
// object (--emit-elf) or an executable (--aot).
func needsPrivileges(o *options) bool {
	return o.debug == "" && o.emitELF == "" && o.aot == ""
}

// compiled says whether the script is compiled for an object (--emit-elf)
// or an executable (--aot) that runs elsewhere, later.
func (o *options) compiled() bool { return o.emitELF != "" || o.aot != "" }

// compile reads and compiles the script, or reads a compiled object
// (--emit-elf's), and prints the -d stage asked for. A nil script comes
// with the exit code.
func compile(o *options, stdin io.Reader, stdout, stderr io.Writer) (*hawk.Script, int) {
	if out, err := readObject(o); out != nil || err != nil {
		if err != nil {
			fmt.Fprintf(stderr, "hawk: error: %v\n", err)
			return nil, exitUser
		}
		if len(o.params) > 0 {
			fmt.Fprintf(stderr, "hawk: error: %s is compiled: its positional parameters were fixed by --emit-elf; give program options instead (-- --NAME=VALUE)\n", o.file)
			return nil, exitUser
		}
		if o.wants("asm") {
			codegen.Fprint(stdout, out)
			return nil, exitOK
		}
		return &hawk.Script{Out: out}, exitOK
	}
	src, err := readSource(o, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "hawk: %v\n", err)
		return nil, exitUser
	}
	script, err := hawk.Compile(src, compileConfig(o))
	if o.wants("ast") && script != nil {
		lang.Fprint(stdout, script.Prog, script.Info)
	}
	if err != nil {
		return nil, report(stderr, err)
	}
	if w := script.Info.Warnings; len(w) > 0 && !o.noWarnings {
		fmt.Fprintln(stderr, w.Error())
	}
	if o.wants("asm") {
		codegen.Fprint(stdout, script.Out)
	}
	if o.debug != "" {
		return nil, exitOK
	}
	return script, exitOK
}

// compileConfig is how the command line sets up the compiling of a
// script, for a run and for -l.
func compileConfig(o *options) hawk.Config {
	return hawk.Config{Params: o.params, Environ: os.Environ(), Unsafe: o.unsafe, Pid: o.pid, HelperErrors: o.helperErrors, PidFilter: o.pid != 0 || o.compiled(), AnyPidNamespace: o.compiled(), Child: o.command != "" || o.compiled(),
		// An object may run where the kernel has no BTF for the raw syscall
		// tracepoints.
		PerfSyscalls: o.compiled(), IncludeDirs: o.includeDirs, Includes: o.includes, Options: o.options, OptionsAtLoad: o.compiled(), ProbeFilter: o.probeFilter,
		// Printing a stage or verifying unwinds nothing: no process needed.
		UnwindTargets: o.pid != 0 || o.command != "" || len(o.dwarfPids) > 0 || o.compiled() || o.debug != "" || o.verify,
		CountHits:     o.metrics != ""}
}

// runScript loads the script and runs it, with the command -c names when
// there is one: started before loading, held until every probe is
// attached. Signals end the run once BEGIN is about to run (stopper).
// metricsSrv (--metrics, or nil) serves the maps while the script runs;
// at exit the profile --pprof asks for is written (prof, nil without).
func runScript(stopper *stopper, script *hawk.Script, opts runtime.Options, command string, metricsSrv *metrics.Server, prof *profileFile) (int, error) {
	if command != "" {
		c, err := startChild(command)
		if err != nil {
			return 0, err
		}
		defer c.stop()
		opts.Cpid = c.Pid()
		opts.DwarfBinaries = []string{c.path}
		opts.Attached = c.release
	}
	opts.Ending = stopper.ending
	sess, err := runtime.Load(script.Out, opts)
	if err != nil {
		return 0, err
	}
	defer sess.Close()
	// The metrics stop being served before the session closes.
	metricsSrv.Serve(sess)
	defer metricsSrv.Close()
	if !opts.DryRun { // which runs nothing: a signal ends it at once
		stopper.running()
	}
	code, err := sess.Run(stopper.ctx)
	if err == nil && !opts.DryRun {
		err = prof.write(sess)
	}
	return code, err
}

// readSource returns the program text from -e, a file, or stdin.
func readSource(o *options, stdin io.Reader) (*lang.Source, error) {
	switch {
	case o.hasProg:
		return lang.NewSource("-e", o.program), nil
	case o.file == "-":
		return lang.ReadScript("stdin", stdin)
	}
	return lang.ReadScriptFile(o.file)
}

// openOutput opens the file -o names: what output goes to (stdout
// without -o), and how to close it. It never writes over the files in
// keep (outfile.Create).
func openOutput(o *options, stdout io.Writer, keep ...string) (io.Writer, func(), error) {
	if o.outFile == "" {
		return stdout, func() {}, nil
	}
	f, err := outfile.Create(o.outFile, 0o666, keep...)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

// scriptFiles lists the files the script was read from: its file and
// those it imported. -o and --emit-elf never write over them.
func scriptFiles(o *options, script *hawk.Script) []string {
	var files []string
	if o.file != "" && o.file != "-" {
		files = append(files, o.file)
	}
	if script == nil || script.Prog == nil {
		return files
	}
	seen := map[string]bool{o.file: true, "-e": true, "stdin": true}
	for _, it := range script.Prog.Items {
		if name := it.Start().Filename; !seen[name] {
			seen[name] = true
			files = append(files, name)
		}
	}
	return files
}

// report prints err and returns the exit code it deserves.
func report(stderr io.Writer, err error) int {
	var diags lang.Diagnostics
	if errors.As(err, &diags) {
		fmt.Fprintln(stderr, diags.Error())
		return exitUser
	}
	var optErr *lang.OptionError
	if errors.As(err, &optErr) {
		fmt.Fprintln(stderr, optErr.Error()) // ERROR: ... / HINT: ...
		return exitUser
	}
	if positioned := refusedAt(err); positioned != nil {
		fmt.Fprintln(stderr, positioned.Error()) // file:line:col: error: ...
		return exitUser
	}
	var loadErr *runtime.LoadError
	if errors.As(err, &loadErr) && loadErr.Positioned() {
		fmt.Fprintln(stderr, loadErr.Error()) // file:line:col: error: ...
		return exitInternal
	}
	fmt.Fprintf(stderr, "hawk: error: %v\n", err)
	var attachErr *runtime.AttachError
	if errors.As(err, &attachErr) || errors.Is(err, lang.ErrNoProbesToAttach) || errors.Is(err, os.ErrPermission) || errors.Is(err, os.ErrNotExist) || errors.Is(err, exec.ErrNotFound) || errors.Is(err, syscall.ESRCH) {
		return exitUser
	}
	return exitInternal
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

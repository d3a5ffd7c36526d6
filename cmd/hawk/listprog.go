package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/kernel"
	"github.com/hawktrace/hawk/runtime/listing"
)

// list answers -l: the probes a pattern matches, the definitions of the
// kernel types it names (`-lv 'struct task_struct'`), or the probes of the
// program given with -e or as a FILE.
func list(o *options, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &kernel.Env{Pid: o.pid, Unsafe: o.unsafe}
	if !o.hasProg && o.file == "" {
		if w := listWarning(o.pattern); w != "" {
			fmt.Fprintln(stderr, w)
		}
		if err := listing.List(stdout, o.pattern, listing.Options{Verbose: o.verbose, Env: env, Pid: o.pid}); err != nil {
			fmt.Fprintf(stderr, "hawk: error: %v\n", err)
			return exitUser
		}
		return exitOK
	}
	src, err := readSource(o, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "hawk: %v\n", err)
		return exitUser
	}
	cfg := compileConfig(o)
	cfg.Env = env
	script, err := hawk.Check(src, cfg)
	if err != nil {
		return report(stderr, err)
	}
	lines, err := programProbes(script.Prog, listing.Options{Verbose: o.verbose, Env: env, Pid: o.pid})
	for _, l := range lines {
		fmt.Fprintln(stdout, l)
	}
	if err != nil {
		fmt.Fprintf(stderr, "hawk: error: %v\n", err)
		return exitUser
	}
	return exitOK
}

// programProbes lists the probes a checked program attaches to, spelled
// as -l spells them, in the order of its probes: the checker has expanded
// their patterns. BEGIN, END and the other probes that name nothing of
// the kernel's or a binary's are left out, as bpftrace leaves them out.
func programProbes(prog *lang.Program, opts listing.Options) ([]string, error) {
	var lines []string
	for _, p := range prog.Probes {
		for _, ap := range p.Points {
			pattern, ok := listPattern(ap)
			if !ok {
				continue
			}
			more, err := listing.Lines(pattern, opts)
			if err != nil {
				return lines, err
			}
			if len(more) == 0 && byAddress(ap) {
				// An attach point listing does not know by name (an
				// address, a function and an offset): as written.
				more = []string{pattern}
			}
			lines = append(lines, more...)
		}
	}
	return lines, nil
}

// listPattern is the -l pattern that lists attach point ap alone: a
// timer's or perf event's kind and unit (`interval:ms`, which lists as
// `interval:ms:`), else the kind and every part.
func listPattern(ap *lang.AttachPoint) (string, bool) {
	switch ap.Kind {
	case lang.ProbeBegin, lang.ProbeEnd, lang.ProbeWatchpoint, lang.ProbeInvalid:
		return "", false
	case lang.ProbeInterval, lang.ProbeProfile, lang.ProbeSoftware, lang.ProbeHardware:
		if len(ap.Args) == 0 {
			return "", false
		}
		return ap.Kind.String() + ":" + ap.Args[0], true
	}
	return ap.Kind.String() + ":" + strings.Join(ap.Args, ":"), true
}

// byAddress reports whether ap is a probe of code at an address or an
// offset, which listing does not find by name.
func byAddress(ap *lang.AttachPoint) bool {
	switch ap.Kind {
	case lang.ProbeKprobe, lang.ProbeKretprobe, lang.ProbeUprobe, lang.ProbeUretprobe:
		return true
	}
	return false
}

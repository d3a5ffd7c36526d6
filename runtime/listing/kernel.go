package listing

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/kernel"
	"github.com/hawktrace/hawk/runtime/tracefs"
)

// tracepointProbes lists tracepoint:CATEGORY:NAME; -lv prints the fields
// of each as its format file declares them, without the common_ ones.
func tracepointProbes(l *lister, q query) ([]probe, error) {
	names, err := tracepointNames()
	if err != nil {
		return nil, err
	}
	search := q.targeted()
	var out []probe
	for _, name := range names {
		if !kernel.Match(search, name) {
			continue
		}
		p := probe{name: name}
		if l.verbose {
			cat, event, _ := strings.Cut(name, ":")
			p.args = l.tracepointFields(cat, event)
		}
		out = append(out, p)
	}
	return out, nil
}

// tracepointNames lists the kernel's tracepoints as CATEGORY:NAME, from
// tracefs's available_events (which leaves out the ftrace category, whose
// events cannot be attached to), else from its events directory.
func tracepointNames() ([]string, error) {
	if err := tracefs.Ensure(); err != nil {
		return nil, err
	}
	if text, err := os.ReadFile(filepath.Join(tracefs.Path, "available_events")); err == nil {
		return strings.Fields(string(text)), nil
	}
	var f tracefs.Formats
	names, err := f.Tracepoints("*", "*")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		if !strings.HasPrefix(n, "ftrace:") {
			out = append(out, n)
		}
	}
	return out, nil
}

// tracepointFields returns the declarations of a tracepoint's fields as
// its format file writes them ("char prev_comm[16]", "__data_loc char[]
// name"), without the common_ ones: what bpftrace prints, byte for byte.
func (l *lister) tracepointFields(category, name string) []string {
	f, err := l.env.TracepointFormat(category, name)
	if err != nil {
		return nil
	}
	decls := make([]string, len(f.Fields))
	for i, fl := range f.Fields {
		decls[i] = fl.Decl
	}
	return decls
}

// rawTracepointProbes lists rawtracepoint:MODULE:NAME; -lv prints the
// tracepoint's arguments from BTF.
func rawTracepointProbes(l *lister, q query) ([]probe, error) {
	tps, err := l.env.RawTracepointsByModule(q.targeted())
	if err != nil {
		return nil, err
	}
	out := make([]probe, len(tps))
	for i, tp := range tps {
		out[i].name = tp.String()
		if l.verbose {
			if tf, err := l.env.RawTracepointArgs(tp.String()); err == nil {
				out[i].args = declare(tf.Fields)
			}
		}
	}
	return out, nil
}

// fentryLister returns the lister of fentry:MODULE:FUNC, or of fexit;
// -lv prints the function's arguments from BTF, and for fexit its return
// value (as "TYPE retval") unless it returns void.
func fentryLister(exit bool) func(*lister, query) ([]probe, error) {
	return func(l *lister, q query) ([]probe, error) {
		if len(q.parts) > 2 && q.parts[1] == "bpf" {
			return nil, nil // fentry:bpf:PROG, on BPF programs: not listed
		}
		funcs, err := l.env.BTFFuncs(q.targeted())
		if err != nil {
			return nil, err
		}
		out := make([]probe, len(funcs))
		for i, f := range funcs {
			out[i].name = f.String()
			if !l.verbose {
				continue
			}
			tf, err := l.env.KernelFuncArgs(f.String())
			if err != nil {
				continue
			}
			out[i].args = declare(tf.Fields)
			if exit && tf.Retval != nil {
				out[i].args = append(out[i].args, declare([]lang.TracepointField{*tf.Retval})...)
			}
		}
		return out, nil
	}
}

// kprobeLister returns the lister of kprobe:FUNC (kprobe:MODULE:FUNC when
// the pattern names a module), or of kretprobe. -lv prints, when BTF
// describes the function, its arguments as arg0, arg1, ... for kprobe,
// and its return type as "TYPE retval", or "void", for kretprobe.
func kprobeLister(ret bool) func(*lister, query) ([]probe, error) {
	return func(l *lister, q query) ([]probe, error) {
		funcs, err := kernel.KernelFuncs(q.suffix)
		if err != nil {
			return nil, err
		}
		withModule := len(q.parts) > 2
		out := make([]probe, len(funcs))
		for i, f := range funcs {
			out[i].name = f.Name
			if withModule {
				out[i].name = f.String()
			}
			if !l.verbose {
				continue
			}
			tf, err := l.env.KernelFuncArgs(f.String())
			switch {
			case err != nil:
			case ret && tf.Retval != nil:
				out[i].args = declare([]lang.TracepointField{*tf.Retval})
			case ret:
				out[i].args = []string{"void"}
			default:
				for j, field := range tf.Fields {
					out[i].args = append(out[i].args, field.CType+" arg"+strconv.Itoa(j))
				}
			}
		}
		return out, nil
	}
}

// iterProbes lists iter:NAME for the iterators both the kernel and hawk
// can walk (lang.IterAttachable); -lv prints the arguments of the iterator's
// context after its struct bpf_iter_meta *.
func iterProbes(l *lister, q query) ([]probe, error) {
	all, err := l.env.Iterators(q.suffix)
	if err != nil {
		return nil, err
	}
	var iters []string
	for _, name := range all {
		if lang.IterAttachable(name) {
			iters = append(iters, name)
		}
	}
	out := make([]probe, len(iters))
	for i, name := range iters {
		out[i].name = name
		if l.verbose {
			if tf, err := l.env.KernelFuncArgs("bpf_iter_" + name); err == nil && len(tf.Fields) > 0 {
				out[i].args = declare(tf.Fields[1:])
			}
		}
	}
	return out, nil
}

// declare spells fields as C declarations, "TYPE NAME", as bpftrace -lv
// does: "struct task_struct * prev", "bool preempt".
func declare(fields []lang.TracepointField) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.CType + " " + f.Name
	}
	return out
}

// softwareProbes lists software:EVENT:, by name and by alias.
func softwareProbes(l *lister, q query) ([]probe, error) {
	return perfProbes(lang.SoftwareEvents, q), nil
}

// hardwareProbes lists hardware:EVENT:, by name and by alias.
func hardwareProbes(l *lister, q query) ([]probe, error) {
	return perfProbes(lang.HardwareEvents, q), nil
}

func perfProbes(events []lang.PerfEvent, q query) []probe {
	var names []string
	for _, e := range events {
		names = append(names, e.Name)
		if e.Alias != "" {
			names = append(names, e.Alias)
		}
	}
	return counted(names, q.suffix)
}

// timerProbes lists interval:UNIT: or profile:UNIT:.
func timerProbes(l *lister, q query) ([]probe, error) {
	return counted([]string{"hz", "ms", "s", "us"}, q.suffix), nil
}

// counted lists the probes NAME: that take a count after the colon and
// match pattern, which may end with that colon or leave it out.
func counted(names []string, pattern string) []probe {
	var out []probe
	for _, n := range names {
		if kernel.Match(pattern, n+":") || kernel.Match(pattern+":", n+":") {
			out = append(out, probe{name: n + ":"})
		}
	}
	return out
}

package kernel

import (
	"errors"
	"strings"

	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/tracefs"
	"github.com/hawktrace/hawk/runtime/usdt"
)

// AttachTargets implements lang.Env: it lists the kernel functions
// (kallsyms for kprobes, BTF for fentry and fexit), raw tracepoints, a
// binary's functions or its USDT probes that args names.
func (e *Env) AttachTargets(kind lang.ProbeKind, args []string) ([][]string, error) {
	switch kind {
	case lang.ProbeKprobe, lang.ProbeKretprobe:
		return kernelTargets(args, KernelFuncs)
	case lang.ProbeFentry, lang.ProbeFexit:
		return kernelTargets(args, e.BTFFuncs)
	case lang.ProbeRawtracepoint:
		if len(args) == 1 && tracefs.HasEvent(args[0]) {
			// A tracepoint with an event is a raw tracepoint: no need to
			// index the kernel's BTF (hundreds of ms) to find its name.
			return [][]string{args}, nil
		}
		return kernelTargets(args, e.RawTracepointsByModule)
	case lang.ProbeUprobe, lang.ProbeUretprobe:
		sym, off := lang.SplitFunc(args[1])
		if sym == "" {
			if err := e.checkUserAddress(args[0], off); err != nil {
				return nil, err
			}
			return [][]string{args}, nil
		}
		funcs, err := UserFuncs(args[0], sym)
		if err != nil || len(funcs) == 0 {
			return nil, err
		}
		if !lang.HasWildcard(args[1]) {
			if err := e.checkUserOffset(args[0], sym, off); err != nil {
				return nil, err
			}
			return [][]string{args}, nil
		}
		var out [][]string
		for _, f := range funcs {
			out = append(out, []string{args[0], f})
		}
		return out, nil
	case lang.ProbeUsdt:
		return usdtTargets(args)
	}
	return [][]string{args}, nil
}

// kernelTargets lists what a kernel attach point names, FUNC[+OFF] or
// MODULE:FUNC, from a list of the kernel's functions or raw tracepoints:
// the attach point itself if it names one that exists, each match of a
// pattern, none if nothing matches.
func kernelTargets(args []string, list func(pattern string) ([]KernelFunc, error)) ([][]string, error) {
	last := args[len(args)-1]
	sym, _ := lang.SplitFunc(last)
	pattern := sym
	if len(args) == 2 {
		pattern = args[0] + ":" + sym
	}
	funcs, err := list(pattern)
	if err != nil || len(funcs) == 0 {
		return nil, err
	}
	if !lang.HasWildcard(last) {
		return [][]string{args}, nil
	}
	return funcTargets(funcs, len(args) == 2), nil
}

// funcTargets turns kernel functions into attach point parts, with their
// module when the pattern named one.
func funcTargets(funcs []KernelFunc, withModule bool) [][]string {
	var out [][]string
	for _, f := range funcs {
		if withModule {
			out = append(out, []string{f.Module, f.Name})
		} else {
			out = append(out, []string{f.Name})
		}
	}
	return out
}

// usdtTargets lists the USDT probes of a binary that args names, as
// usdt:BINARY:PROVIDER:NAME parts, each once.
func usdtTargets(args []string) ([][]string, error) {
	bin, provider, name := args[0], "", args[1]
	if len(args) == 3 {
		provider, name = args[1], args[2]
	}
	names, err := usdt.Names(bin, provider, name)
	if errors.Is(err, usdt.ErrNoProbes) {
		return nil, nil
	}
	var out [][]string
	for _, n := range names {
		p, nm, _ := strings.Cut(n, ":")
		out = append(out, []string{bin, p, nm})
	}
	return out, err
}

// ProbeArgs implements lang.Env from the kernel's BTF.
func (e *Env) ProbeArgs(kind lang.ProbeKind, args []string) (*lang.TracepointFormat, error) {
	name := args[len(args)-1]
	if kind == lang.ProbeRawtracepoint {
		return e.RawTracepointArgs(name)
	}
	if len(args) == 2 {
		name = args[0] + ":" + name
	}
	return e.KernelFuncArgs(name)
}

// USDT implements lang.Env from the binary's ELF notes.
func (e *Env) USDT(binary, provider, name string) ([]lang.USDTProbe, error) {
	probes, err := usdt.Find(binary, provider, name)
	if errors.Is(err, usdt.ErrNoProbes) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]lang.USDTProbe, len(probes))
	for i, p := range probes {
		out[i] = lang.USDTProbe{Provider: p.Provider, Name: p.Name, Path: p.Path, Offset: p.Offset, SemaphoreOffset: p.SemaphoreOffset}
		if p.ArgsErr != nil {
			out[i].ArgsErr = p.ArgsErr.Error()
		}
		for _, a := range p.Args {
			la := lang.USDTArg{Size: a.Size, Signed: a.Signed, Kind: lang.USDTArgKind(a.Kind), Const: a.Const,
				RegOffset: -1, RegSize: a.RegSize, Offset: a.Offset, IndexOffset: -1, Scale: a.Scale}
			if a.Reg != "" {
				la.RegOffset = a.RegOffset
			}
			if a.Index != "" {
				la.IndexOffset = a.IndexOffset
			}
			out[i].Args = append(out[i].Args, la)
		}
	}
	return out, nil
}

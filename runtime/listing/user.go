package listing

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hawktrace/hawk/runtime/kernel"
	"github.com/hawktrace/hawk/runtime/usdt"
)

// uprobeProbes lists uprobe:BINARY:FUNC (or uretprobe): the functions of
// BINARY's symbol tables. BINARY is a path, a program in $PATH or a
// library name, as kernel.FindBinary resolves it, or a glob of paths;
// uprobe:BINARY alone lists all its functions.
func uprobeProbes(l *lister, q query) ([]probe, error) {
	paths, err := l.binaries(q, "uprobe:BINARY:FUNCTION")
	if err != nil {
		return nil, err
	}
	pattern := "*"
	if len(q.parts) > 2 {
		pattern = strings.Join(q.parts[2:], ":")
	}
	var out []probe
	for _, path := range paths {
		funcs, err := kernel.UserFuncs(path, pattern)
		if err != nil {
			if len(paths) == 1 {
				return nil, err
			}
			continue
		}
		for _, f := range funcs {
			out = append(out, probe{name: path + ":" + f})
		}
	}
	return out, nil
}

// usdtProbes lists usdt:BINARY:PROVIDER:NAME, each probe once however
// many sites it has: all of BINARY's for usdt:BINARY, those of any
// provider called NAME for usdt:BINARY:NAME.
func usdtProbes(l *lister, q query) ([]probe, error) {
	paths, err := l.binaries(q, "usdt:BINARY[:PROVIDER]:NAME")
	if err != nil {
		return nil, err
	}
	provider, name := "*", "*"
	switch {
	case len(q.parts) == 3:
		name = q.parts[2]
	case len(q.parts) > 3:
		provider, name = q.parts[2], strings.Join(q.parts[3:], ":")
	}
	var out []probe
	for _, path := range paths {
		names, err := usdt.Names(path, provider, name)
		if err != nil {
			if errors.Is(err, usdt.ErrNoProbes) || len(paths) > 1 {
				continue
			}
			return nil, err
		}
		for _, n := range names {
			out = append(out, probe{name: path + ":" + n})
		}
	}
	return out, nil
}

// binaries resolves the binary a uprobe or usdt pattern names, by
// kernel.Binaries: a file, the ELF files a glob matches, or with -p
// (l.pid) and * or no binary, the binaries of that process.
func (l *lister) binaries(q query, form string) ([]string, error) {
	if len(q.parts) < 2 || q.parts[1] == "" && l.pid == 0 {
		return nil, fmt.Errorf("%s:%s names no binary: write %s", q.parts[0], q.suffix, form)
	}
	return kernel.Binaries(q.parts[1], l.pid)
}

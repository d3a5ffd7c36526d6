package listing

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hawktrace/hawk/runtime/kernel"
	"github.com/hawktrace/hawk/runtime/usdt"
)

// uprobeProbes lists uprobe:BINARY:FUNC (or uretprobe): the functions of
// BINARY's symbol tables. BINARY is a path, a program in $PATH or a
// library name, as kernel.FindBinary resolves it, or a glob of paths;
// uprobe:BINARY alone lists all its functions.
func uprobeProbes(l *lister, q query) ([]probe, error) {
	paths, err := binaries(q, "uprobe:BINARY:FUNCTION")
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
	paths, err := binaries(q, "usdt:BINARY[:PROVIDER]:NAME")
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

// binaries resolves the binary a uprobe or usdt pattern names: by
// kernel.FindBinary, or for a glob, the ELF files it matches.
func binaries(q query, form string) ([]string, error) {
	if len(q.parts) < 2 || q.parts[1] == "" {
		return nil, fmt.Errorf("%s:%s names no binary: write %s", q.parts[0], q.suffix, form)
	}
	target := q.parts[1]
	if !hasWildcard(target) {
		path, err := kernel.FindBinary(target)
		if err != nil {
			return nil, err
		}
		return []string{path}, nil
	}
	matches, err := filepath.Glob(target)
	if err != nil {
		return nil, fmt.Errorf("bad binary pattern %q: %w", target, err)
	}
	var out []string
	for _, m := range matches {
		if kernel.IsELF(m) {
			out = append(out, m)
		}
	}
	return out, nil
}

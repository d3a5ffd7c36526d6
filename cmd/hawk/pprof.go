package main

import (
	"fmt"
	"os"
	"slices"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/internal/outfile"
	"github.com/hawktrace/hawk/runtime"
	"github.com/hawktrace/hawk/runtime/stackprof"
)

// profileFile is the file --pprof writes the script's stack counts to at
// exit, as a pprof profile (stackprof). It is opened before the run, so
// that a path that cannot be written fails at once, not after the trace.
type profileFile struct {
	f       *os.File
	written bool
}

// openProfile opens the file --pprof names, nil without --pprof. The
// script must have a map that counts stacks, else there is nothing to
// write.
func openProfile(o *options, script *hawk.Script) (*profileFile, error) {
	if o.pprof == "" {
		return nil, nil
	}
	if !slices.ContainsFunc(script.Out.Manifest.Maps, runtime.StackKeyed) {
		return nil, fmt.Errorf("the script has no count() or sum() map keyed by a kstack or ustack, such as @[kstack] = count()")
	}
	f, err := outfile.Create(o.pprof, 0o666, scriptFiles(o, script)...)
	if err != nil {
		return nil, err
	}
	return &profileFile{f: f}, nil
}

// write writes the profile of the session's maps as they are now.
func (p *profileFile) write(sess *runtime.Session) error {
	if p == nil {
		return nil
	}
	if err := stackprof.Write(p.f, sess); err != nil {
		return fmt.Errorf("--pprof: %w", err)
	}
	if err := p.f.Close(); err != nil {
		return fmt.Errorf("--pprof: %w", err)
	}
	p.written = true
	return nil
}

// close closes the file, and removes it when no profile was written in
// it: the run failed, or was a --dry-run.
func (p *profileFile) close() {
	if p == nil || p.written {
		return
	}
	p.f.Close()
	os.Remove(p.f.Name())
}

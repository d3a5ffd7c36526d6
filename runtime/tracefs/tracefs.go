// Package tracefs finds, and when needed mounts, the kernel's tracing file
// system, and reads tracepoint formats from it.
package tracefs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk/lang"
)

// Path is where tracefs is mounted.
const Path = "/sys/kernel/tracing"

// Privileges says what tracing needs, for the messages that refuse it.
const Privileges = "root, or CAP_BPF and CAP_PERFMON and read access to " + Path

var (
	mountOnce sync.Once
	mountErr  error
)

// Ensure mounts tracefs at Path when it is not mounted yet. A fresh machine
// often lacks the mount; hawk runs as root and mounts it, as bpftrace does.
func Ensure() error {
	mountOnce.Do(func() {
		_, err := os.Stat(filepath.Join(Path, "events"))
		switch {
		case err == nil:
			return
		case errors.Is(err, os.ErrPermission):
			// Mounted (or not), but this user may not look: root's 0700.
			mountErr = fmt.Errorf("cannot read %s: tracing needs %s", Path, Privileges)
			return
		}
		err = unix.Mount("tracefs", Path, "tracefs", 0, "")
		switch {
		case errors.Is(err, unix.EPERM):
			mountErr = fmt.Errorf("tracefs is not mounted at %s, and mounting it needs root", Path)
		case err != nil && !errors.Is(err, unix.EBUSY):
			mountErr = fmt.Errorf("tracefs is not mounted at %s and mounting it failed: %w", Path, err)
		}
	})
	return mountErr
}

// Formats reads tracepoint formats from tracefs, remembering those it read.
// It implements lang.Env.
type Formats struct {
	mu    sync.Mutex
	cache map[string]*lang.TracepointFormat
}

// Tracepoints lists the tracepoints matching category:name, where both
// may be glob patterns.
func (f *Formats) Tracepoints(category, name string) ([]string, error) {
	if err := Ensure(); err != nil {
		return nil, err
	}
	return lang.GlobTracepoints(os.DirFS(filepath.Join(Path, "events")), category, name, fs.DirEntry.IsDir)
}

// TracepointFormat returns the format of tracepoint category:name.
func (f *Formats) TracepointFormat(category, name string) (*lang.TracepointFormat, error) {
	key := category + ":" + name
	f.mu.Lock()
	defer f.mu.Unlock()
	if tf, ok := f.cache[key]; ok {
		return tf, nil
	}
	if err := Ensure(); err != nil {
		return nil, err
	}
	text, err := os.ReadFile(filepath.Join(Path, "events", category, name, "format"))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("tracepoint %s not found", key)
		}
		return nil, fmt.Errorf("reading the format of tracepoint %s: %w", key, err)
	}
	tf, err := lang.ParseTracepointFormat(category, name, string(text))
	if err != nil {
		return nil, err
	}
	if f.cache == nil {
		f.cache = map[string]*lang.TracepointFormat{}
	}
	f.cache[key] = tf
	return tf, nil
}

// HasEvent reports whether some category of tracefs has a tracepoint
// named name (not a pattern): a glob of one directory, without reading
// any format.
func HasEvent(name string) bool {
	if name == "" || lang.HasWildcard(name) || strings.ContainsAny(name, `/\`) || Ensure() != nil {
		return false
	}
	found, _ := filepath.Glob(filepath.Join(Path, "events", "*", name))
	return len(found) > 0
}

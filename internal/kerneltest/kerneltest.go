// Package kerneltest decides whether tests that load programs into the
// kernel run: they need root. Without it they skip, unless
// HAWK_TEST_KERNEL=1 says they must run, as in CI: then they fail.
package kerneltest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cilium/ebpf"
)

// Required reports whether kernel tests must run (HAWK_TEST_KERNEL=1).
func Required() bool { return os.Getenv("HAWK_TEST_KERNEL") == "1" }

// Missing skips a test that lacks a tool or file it needs, or fails it
// where everything must run (HAWK_TEST_KERNEL=1, as in CI).
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if Required() {
		t.Fatalf(format, args...)
	}
	t.Skipf(format+" (set HAWK_TEST_KERNEL=1 to make this a failure)", args...)
}

// Require skips t when it cannot load programs, or fails it when
// HAWK_TEST_KERNEL=1.
func Require(t testing.TB) {
	t.Helper()
	if os.Geteuid() == 0 {
		return
	}
	if Required() {
		t.Fatal("HAWK_TEST_KERNEL=1 but the test is not running as root, so it cannot load BPF programs")
	}
	t.Skip("kernel test: needs root (set HAWK_TEST_KERNEL=1 to make this a failure)")
}

// Buffer is a bytes.Buffer that a process may write while a test reads it.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written so far.
func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// AssertUnloaded fails t unless the programs with these ids leave the
// kernel within a few seconds (the kernel frees them after an RCU grace
// period).
func AssertUnloaded(t testing.TB, ids []ebpf.ProgramID) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for _, id := range ids {
		for {
			p, err := ebpf.NewProgramFromID(id)
			if errors.Is(err, os.ErrNotExist) {
				break
			}
			if err == nil {
				p.Close()
			}
			if time.Now().After(deadline) {
				t.Fatalf("program %d is still in the kernel", id)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// AssertMapsUnloaded fails t unless the maps with these ids leave the
// kernel within a few seconds (it frees them after their programs, after
// an RCU grace period).
func AssertMapsUnloaded(t testing.TB, ids []ebpf.MapID) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for _, id := range ids {
		for {
			m, err := ebpf.NewMapFromID(id)
			if errors.Is(err, os.ErrNotExist) {
				break
			}
			if err == nil {
				m.Close()
			}
			if time.Now().After(deadline) {
				t.Fatalf("map %d is still in the kernel", id)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// Reset empties the buffer.
func (s *Buffer) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.Reset()
}

// StickyLinks makes a sticky world-writable directory, as /tmp is, and in
// it two symbolic links to target, a file holding "precious\n": foreign,
// which another user (nobody, 65534) owns, and own, the test's. Changing
// a link's owner needs root.
func StickyLinks(t testing.TB) (target, foreign, own string) {
	t.Helper()
	dir := t.TempDir()
	target = filepath.Join(dir, "victim")
	sticky := filepath.Join(dir, "tmp")
	foreign, own = filepath.Join(sticky, "foreign"), filepath.Join(sticky, "own")
	for _, err := range []error{
		os.WriteFile(target, []byte("precious\n"), 0o644),
		os.Mkdir(sticky, 0o755),
		os.Chmod(sticky, os.ModeSticky|0o777),
		os.Symlink(target, foreign),
		os.Lchown(foreign, 65534, 65534),
		os.Symlink(target, own),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return target, foreign, own
}

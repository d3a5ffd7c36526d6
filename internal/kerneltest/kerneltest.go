// Package kerneltest decides whether tests that load programs into the
// kernel run: they need root. Without it they skip, unless
// HAWK_TEST_KERNEL=1 says they must run, as in CI: then they fail.
package kerneltest

import (
	"bytes"
	"os"
	"sync"
	"testing"
)

// Required reports whether kernel tests must run (HAWK_TEST_KERNEL=1).
func Required() bool { return os.Getenv("HAWK_TEST_KERNEL") == "1" }

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

package kernel

import (
	"encoding/binary"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// watchedByTest is the variable the test's own watchpoint watches.
var watchedByTest uint64

// countWatchedWrites sets a hardware watchpoint on watchedByTest for this
// thread, without a program, writes the variable n times and returns how
// many writes the watchpoint counted.
func countWatchedWrites(t *testing.T, n int) uint64 {
	t.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	attr := unix.PerfEventAttr{Type: unix.PERF_TYPE_BREAKPOINT, Sample: 1, Bp_type: hwBreakpointW,
		Ext1: uint64(uintptr(unsafe.Pointer(&watchedByTest))), Ext2: hwBreakpointLen8}
	fd, err := OpenPerfEvent(attr, 0, -1)
	if err != nil {
		t.Fatalf("setting a watchpoint: %v", err)
	}
	defer unix.Close(fd)
	for range n {
		atomic.AddUint64(&watchedByTest, 1)
	}
	var buf [8]byte
	if _, err := unix.Read(fd, buf[:]); err != nil {
		t.Fatal(err)
	}
	return binary.NativeEndian.Uint64(buf[:])
}

// TestFeatureWatchpointFires: the watchpoints feature says yes only where
// a watchpoint fires, and where one is set but never fires (this machine's
// hypervisor keeps the debug registers), it says so.
func TestFeatureWatchpointFires(t *testing.T) {
	kerneltest.Require(t)
	err := tryWatchpoint()
	hits := countWatchedWrites(t, 5)
	t.Logf("a watchpoint counted %d of 5 writes; the feature probe: %v", hits, err)
	switch {
	case hits == 5 && err != nil:
		t.Errorf("watchpoints fire here, but the feature probe says %v", err)
	case hits == 0 && (err == nil || !strings.HasPrefix(err.Error(), WatchpointNeverFires+": ")):
		t.Errorf("watchpoints never fire here, but the feature probe says %v, want %q first", err, WatchpointNeverFires)
	}
	if err != nil && strings.ContainsAny(err.Error(), "\n\r") {
		t.Errorf("detail %q is more than a line", err)
	}
}

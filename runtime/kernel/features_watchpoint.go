package kernel

import (
	"encoding/binary"
	"fmt"
	"runtime"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// WatchpointNeverFires begins the detail of the watchpoints feature when the
// kernel sets a hardware watchpoint and attaches a program to it, but a
// write to the watched variable does not fire it: a hypervisor that does
// not pass the CPU's debug registers through to its guests does that.
// hawk's watchpoint probes then attach and run, and never fire.
const WatchpointNeverFires = "attaches, but never fires"

// watchTarget is the variable the watchpoint probe watches and writes.
var watchTarget uint64

// watchWrites is how many times the probe writes watchTarget: a watchpoint
// that works counts each.
const watchWrites = 3

// hwBreakpointW and hwBreakpointLen8 are the kernel's HW_BREAKPOINT_W and
// HW_BREAKPOINT_LEN_8.
const (
	hwBreakpointW    = 2
	hwBreakpointLen8 = 8
)

// tryWatchpoint sets a hardware watchpoint on watchTarget for this thread,
// attaches a perf_event program to it as hawk attaches watchpoint probes,
// then writes the variable from this thread and reads the event's count:
// a watchpoint that opens and attaches but counts no write never fires,
// and the error says so (WatchpointNeverFires).
func tryWatchpoint() error {
	// The event follows this thread alone (pid 0), which must be the one
	// that writes.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	attr := unix.PerfEventAttr{
		Type:    unix.PERF_TYPE_BREAKPOINT,
		Sample:  1,
		Bp_type: hwBreakpointW,
		Ext1:    uint64(uintptr(unsafe.Pointer(&watchTarget))),
		Ext2:    hwBreakpointLen8,
	}
	const what = "a watchpoint"
	fd, err := openPerfEvent(what, attr, 0, -1)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	if err := attachToPerfEvent(what, fd); err != nil {
		return err
	}
	return watchpointFires(fd)
}

// watchpointFires writes watchTarget and reads the count of the watchpoint
// event fd, which is set on it: every write must count.
func watchpointFires(fd int) error {
	for range watchWrites {
		atomic.AddUint64(&watchTarget, 1)
	}
	var buf [8]byte
	n, err := unix.Read(fd, buf[:])
	if err != nil {
		return probeFailure("reading the watchpoint's count", "", err)
	}
	if n != len(buf) {
		return fmt.Errorf("reading the watchpoint's count: %d bytes, want 8", n)
	}
	switch hits := binary.NativeEndian.Uint64(buf[:]); {
	case hits == 0:
		return fmt.Errorf("%s: %d writes to the watched variable fired it 0 times; the CPU's debug registers do not work here, as under some hypervisors", WatchpointNeverFires, watchWrites)
	case hits < watchWrites:
		return fmt.Errorf("%d writes to the watched variable fired the watchpoint %d times", watchWrites, hits)
	}
	return nil
}

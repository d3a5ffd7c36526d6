package runtime

import (
	"os"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk/codegen"
)

// ringWaiter waits for the ring buffer through Go's network poller. A
// goroutine blocked in a system call (the ring buffer reader's own
// epoll_wait) makes the Go runtime's monitor thread wake every 20 µs to
// take its processor back, and each wake is a nanosleep: a script tracing
// nanosleep then traces hawk's own monitor, whose events wake hawk again.
// Parked on the poller, the reader's goroutine holds no system call and the
// monitor sleeps.
type ringWaiter struct {
	f  *os.File
	rc syscall.RawConn
}

// newRingWaiter returns a waiter on the ring buffer map, or nil where the
// poller cannot take its descriptor (then the reader blocks as before).
func newRingWaiter(m *ebpf.Map) *ringWaiter {
	fd, err := unix.FcntlInt(uintptr(m.FD()), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil
	}
	f := os.NewFile(uintptr(fd), "ringbuf")
	rc, err := f.SyscallConn()
	if err != nil || f.SetReadDeadline(time.Time{}) != nil {
		f.Close()
		return nil
	}
	return &ringWaiter{f: f, rc: rc}
}

// wait returns once ready reports true, or at the deadline, or when
// wake is called.
func (w *ringWaiter) wait(deadline time.Time, ready func() bool) {
	w.f.SetReadDeadline(deadline)
	w.rc.Read(func(uintptr) bool { return ready() })
}

// wake ends a wait now.
func (w *ringWaiter) wake() { w.f.SetReadDeadline(time.Now()) }

func (w *ringWaiter) Close() error { return w.f.Close() }

// A reader that sleeps until each record wakes it costs the traced
// thread an irq_work and a thread wake-up per record whenever it keeps up.
// Instead, while records flow the reader stays awake and programs submit
// them without a wake-up (codegen/wakeup.go): once the ring buffer is
// empty, the reader looks again after lingerTime, lingerTurns times; then
// it tells programs to wake it, looks once more after lingerTime (a
// program may have read the word just before it changed: its record is
// in the ring buffer by then), and only then sleeps until a record wakes
// it. A record therefore waits at most lingerTime for the reader (plus the
// time to format what came before it): 1 ms, far below what a person
// notices, yet at a million events a second a batch of a thousand
// records per wake-up. Each look is a timer wake-up: a lone record costs
// the reader its wake-up and two of them.
const (
	lingerTime  = time.Millisecond
	lingerTurns = 1
)

// Flags of bpf_ringbuf_submit the reader asks programs for.
const (
	submitWakeIfCaughtUp = 0 // the kernel's default
	submitNoWakeup       = 1 // BPF_RB_NO_WAKEUP
)

// wakeWord is the reader's end of the wake map: the flags with which
// programs submit records, in memory shared with them.
type wakeWord struct {
	mem  []byte
	word *uint64
}

// mmapableWakeMap makes the wake map of spec mmapable, so that the
// reader can set its word without a system call.
func mmapableWakeMap(spec *ebpf.CollectionSpec, man *codegen.Manifest) {
	if ms := spec.Maps[man.WakeMap]; ms != nil {
		ms.Flags |= unix.BPF_F_MMAPABLE
	}
}

// newWakeWord maps the wake map's word, or returns nil when there is none
// (no program reads it, or it is not mmapable): then records wake the
// reader as the kernel does by default.
func newWakeWord(m *ebpf.Map) *wakeWord {
	if m == nil {
		return nil
	}
	mem, err := unix.Mmap(m.FD(), 0, os.Getpagesize(), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return nil
	}
	return &wakeWord{mem: mem, word: (*uint64)(unsafe.Pointer(&mem[0]))}
}

// set stores the flags programs submit with. The store is a full
// barrier (an exchange), so a read of the ring buffer after it sees every
// record whose program read the old flags.
func (w *wakeWord) set(flags uint64) { atomic.StoreUint64(w.word, flags) }

// Close unmaps the word, setting it back to the kernel's default.
func (w *wakeWord) Close() error {
	w.set(submitWakeIfCaughtUp)
	return unix.Munmap(w.mem)
}

// fitRingbuf raises the event ring buffer of spec to one page where
// codegen chose less (codegen.MinRingbufSize assumes 4 KiB pages): the
// kernel wants a power of two number of pages.
func fitRingbuf(spec *ebpf.CollectionSpec, man *codegen.Manifest) {
	if ms := spec.Maps[man.RingbufMap]; ms != nil && ms.MaxEntries < uint32(os.Getpagesize()) {
		ms.MaxEntries = uint32(os.Getpagesize())
	}
}

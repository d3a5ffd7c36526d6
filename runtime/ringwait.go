package runtime

import (
	"os"
	"syscall"
	"time"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
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

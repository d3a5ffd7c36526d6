package runtime

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// endWithProcess calls finish when the process -p traces, or the child -c
// started, exits: hawk ends with it. The returned stop ends the watch.
func (s *Session) endWithProcess(finish func()) (stop func(), err error) {
	pid := s.opts.target()
	if pid == 0 {
		return func() {}, nil
	}
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return nil, fmt.Errorf("watching process %d: %w", pid, err)
	}
	wake, err := unix.Eventfd(0, unix.EFD_CLOEXEC)
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}, {Fd: int32(wake), Events: unix.POLLIN}}
		for {
			if _, err := unix.Poll(fds, -1); err != unix.EINTR {
				break
			}
		}
		if fds[0].Revents != 0 {
			finish()
		}
	}()
	return func() {
		unix.Write(wake, []byte{1, 0, 0, 0, 0, 0, 0, 0})
		<-done
		unix.Close(fd)
		unix.Close(wake)
	}, nil
}

// target is the process the run traces: the child -c started, or the
// process -p names; 0 for none.
func (o Options) target() int {
	if o.Cpid != 0 {
		return o.Cpid
	}
	return o.Pid
}

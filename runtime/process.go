package runtime

import (
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk/lang"
)

// endWithProcess calls finish when the process -p traces, or the child -c
// started, exits: hawk ends with it. The returned stop ends the watch.
func (s *Session) endWithProcess(finish func()) (stop func(), err error) {
	pid := s.opts.Pid
	if s.opts.Cpid != 0 {
		pid = s.opts.Cpid
	}
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

// hasIter reports whether the script runs an iterator.
func (s *Session) hasIter() bool {
	for _, p := range s.man.Programs {
		if p.Kind == lang.ProbeIter {
			return true
		}
	}
	return false
}

package repl

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// screen is the terminal while .watch draws on it: the alternate screen,
// as top uses, redrawn in place every interval and left when the watch
// ends, giving back the session's screen as it was. It ends the watch
// when Enter (or q) is pressed.
type screen struct {
	ctx    context.Context
	cancel context.CancelFunc
	out    *REPL
	header string
	in     *os.File // where the terminal's keys are read
	done   sync.WaitGroup
}

// Escape sequences .watch draws with.
const (
	enterAlternate = "\x1b[?1049h\x1b[H\x1b[2J"
	leaveAlternate = "\x1b[?1049l"
	home           = "\x1b[H"
	clearLine      = "\x1b[K"
	clearBelow     = "\x1b[J"
)

// openScreen switches to the alternate screen and reads the terminal's
// keys until ctx is done or Enter is pressed, which ends the screen's
// context.
func (r *REPL) openScreen(ctx context.Context, w watchArgs) *screen {
	s := &screen{out: r, header: w.header(), in: r.cfg.Input}
	if s.in == nil {
		s.in = os.Stdin
	}
	s.ctx, s.cancel = context.WithCancel(ctx)
	fmt.Fprint(r.cfg.Stdout, enterAlternate)
	s.done.Add(1)
	go s.readKeys()
	return s
}

// readKeys waits for Enter or q on the terminal, polling so that it never
// holds a read the line editor should get once the watch ends. Other keys
// are dropped: liner keeps the terminal raw (no echo, no line buffering)
// between prompts, so they show nothing either.
func (s *screen) readKeys() {
	defer s.done.Done()
	fd := int(s.in.Fd())
	buf := make([]byte, 64)
	for s.ctx.Err() == nil {
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, 50)
		if err == unix.EINTR || n == 0 {
			continue
		}
		if err != nil || fds[0].Revents&(unix.POLLERR|unix.POLLHUP|unix.POLLNVAL) != 0 {
			return
		}
		n, err = unix.Read(fd, buf)
		if err != nil || n == 0 {
			return
		}
		if bytes.ContainsAny(buf[:n], "\r\nq") {
			s.cancel()
			return
		}
	}
}

// draw redraws the screen: the header, then the block, cut to the
// terminal's height. The last line is not ended, so that the screen
// never scrolls.
func (s *screen) draw(block []byte) {
	lines := append([]string{s.header, ""}, strings.Split(strings.TrimRight(string(block), "\n"), "\n")...)
	if rows := s.rows(); rows > 2 && len(lines) > rows {
		more := len(lines) - (rows - 1)
		lines = append(lines[:rows-1], fmt.Sprintf("... %d more lines: top N shows fewer entries", more))
	}
	var b strings.Builder
	b.WriteString(home)
	for i, l := range lines {
		if i > 0 {
			b.WriteString("\r\n")
		}
		b.WriteString(l + clearLine)
	}
	b.WriteString(clearBelow)
	fmt.Fprint(s.out.cfg.Stdout, b.String())
}

// rows is the terminal's height, 0 when not known. The keys may come
// through a pipe (cmd/hawk's keyWatch): the terminal is then standard
// input's file descriptor, or standard output's.
func (s *screen) rows() int {
	for _, fd := range []int{int(s.in.Fd()), 0, 1} {
		if ws, err := unix.IoctlGetWinsize(fd, unix.TIOCGWINSZ); err == nil {
			return int(ws.Row)
		}
	}
	return 0
}

// close stops reading keys and gives the session's screen back.
func (s *screen) close() {
	s.cancel()
	s.done.Wait()
	fmt.Fprint(s.out.cfg.Stdout, leaveAlternate)
}

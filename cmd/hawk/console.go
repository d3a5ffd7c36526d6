package main

import (
	"io"
	"os"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// console shares the terminal between the line editor and the output of
// running probes. While a line is edited, output clears the prompt's
// line, is written there, and the editor draws the prompt and the text
// typed so far again below it: liner redraws on SIGWINCH, which the
// console sends to hawk itself.
type console struct {
	mu        sync.Mutex
	prompting bool
	redrawing bool // a redraw is due: writes until then need no other
}

// redrawDelay gathers the writes of a burst of output into one redraw.
const redrawDelay = 10 * time.Millisecond

// writer returns a writer to f that shares the terminal.
func (c *console) writer(f io.Writer) io.Writer { return &consoleWriter{c: c, w: f} }

// setPrompting says whether a line is being edited.
func (c *console) setPrompting(on bool) {
	c.mu.Lock()
	c.prompting = on
	c.mu.Unlock()
}

type consoleWriter struct {
	c *console
	w io.Writer
}

func (w *consoleWriter) Write(p []byte) (int, error) {
	w.c.mu.Lock()
	defer w.c.mu.Unlock()
	if !w.c.prompting {
		return w.w.Write(p)
	}
	buf := make([]byte, 0, len(p)+8)
	buf = append(buf, "\r\x1b[K"...) // to the start of the prompt's line, cleared
	buf = append(buf, p...)
	if len(p) > 0 && p[len(p)-1] != '\n' {
		buf = append(buf, '\n') // the prompt comes back on a line of its own
	}
	if _, err := w.w.Write(buf); err != nil {
		return 0, err
	}
	if !w.c.redrawing {
		w.c.redrawing = true
		time.AfterFunc(redrawDelay, w.c.redraw)
	}
	return len(p), nil
}

// redraw has liner draw the prompt and the line typed again.
func (c *console) redraw() {
	c.mu.Lock()
	c.redrawing = false
	c.mu.Unlock()
	unix.Kill(os.Getpid(), syscall.SIGWINCH)
}

// isTerminal reports whether f is a terminal.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	_, err := unix.IoctlGetTermios(int(file.Fd()), unix.TCGETS)
	return err == nil
}

package main

import (
	"bufio"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hawktrace/hawk/internal/benchproc"
)

// sample is what one run of a tracer cost, from its launch to its exit:
// wall time, CPU time (user and system, from the rusage wait4 returns)
// and peak resident memory.
type sample struct {
	wall, cpu time.Duration
	rssKiB    int64
	resent    int // SIGINTs sent again because the first went unheeded
}

// tail keeps the last bytes a process wrote, for its error message.
type tail struct {
	mu sync.Mutex
	b  []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > 4096 {
		t.b = t.b[len(t.b)-4096:]
	}
	return len(p), nil
}

// lastLine is the last non-empty line written: a tracer's error.
func (t *tail) lastLine() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := strings.Split(strings.TrimSpace(string(t.b)), "\n")
	return lines[len(lines)-1]
}

// finish waits for cmd, started at start, and returns its sample. A run
// is an error when the process exits with a status other than 0, or is
// killed by a signal other than SIGINT (which the harness sends).
func finish(cmd *exec.Cmd, start time.Time, errs *tail) (sample, error) {
	err := cmd.Wait()
	wall := time.Since(start)
	st := cmd.ProcessState
	if st == nil {
		return sample{}, err
	}
	ws := st.Sys().(syscall.WaitStatus)
	if !(ws.Exited() && ws.ExitStatus() == 0) && !(ws.Signaled() && ws.Signal() == syscall.SIGINT) {
		return sample{}, fmt.Errorf("%s: %s", st, errs.lastLine())
	}
	u := st.SysUsage().(*syscall.Rusage)
	return sample{wall: wall, cpu: time.Duration(u.Utime.Nano() + u.Stime.Nano()), rssKiB: u.Maxrss}, nil
}

// runOnce runs argv to its end.
func runOnce(argv []string) (sample, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	var errs tail
	cmd.Stdout, cmd.Stderr = io.Discard, &errs
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return sample{}, err
	}
	return finish(cmd, start, &errs)
}

// readiness says which line of a tracer's output shows it has attached.
type readiness int

const (
	// anyLine: the first line on stdout or stderr (a one-liner without
	// BEGIN: hawk's "Attached N probes" banner on stderr, bpftrace 0.17's
	// "Attaching N probes..." on stdout).
	anyLine readiness = iota
	// scriptLine: the first stdout line that is not a banner, which a
	// tool's BEGIN prints once every probe is attached.
	scriptLine
)

// isBanner reports whether a line is a tracer's own attach banner.
func isBanner(line string) bool {
	return strings.HasPrefix(line, "Attaching ") || strings.HasPrefix(line, "Attached ")
}

// running is a tracer started in the background, read until it ends.
type running struct {
	cmd   *exec.Cmd
	start time.Time
	errs  tail
	ready chan struct{}
	once  sync.Once
	wg    sync.WaitGroup
}

// startTracer launches argv and reads its output; ready closes at the
// line that shows it attached.
func startTracer(argv []string, when readiness) (*running, error) {
	r := &running{cmd: exec.Command(argv[0], argv[1:]...), ready: make(chan struct{})}
	stdout, err := r.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := r.cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	r.start = time.Now()
	if err := r.cmd.Start(); err != nil {
		return nil, err
	}
	r.wg.Add(2)
	go r.read(stdout, when == anyLine || when == scriptLine, when == scriptLine)
	go r.read(stderr, when == anyLine, false)
	return r, nil
}

// read reads one stream to its end, signalling ready at its first line
// (skipping banners when skip is set) if signal is set.
func (r *running) read(f io.Reader, signal, skip bool) {
	defer r.wg.Done()
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 64<<10), 1<<20)
	for s.Scan() {
		line := s.Text()
		r.errs.Write([]byte(line + "\n"))
		if signal && strings.TrimSpace(line) != "" && !(skip && isBanner(line)) {
			r.once.Do(func() { close(r.ready) })
		}
	}
	io.Copy(io.Discard, f)
}

// waitReady waits until the tracer attached, or fails when it ends or
// takes longer than limit.
func (r *running) waitReady(limit time.Duration) error {
	exited := make(chan struct{})
	go func() { r.wg.Wait(); close(exited) }()
	select {
	case <-r.ready:
		return nil
	case <-exited:
		return fmt.Errorf("ended before it attached: %s", r.errs.lastLine())
	case <-time.After(limit):
		return fmt.Errorf("not attached after %v: %s", limit, r.errs.lastLine())
	}
}

// interrupt sends SIGINT and waits for the tracer's exit (sending SIGINT
// again while it does not heed it, killing it after limit). The wall
// time leaves out the time between the first SIGINT and the one heeded.
func (r *running) interrupt(limit time.Duration) (sample, error) {
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	in, err := benchproc.Interrupt(r.cmd.Process, done, limit)
	if err != nil {
		r.cmd.Wait()
		return sample{}, err
	}
	s, err := finish(r.cmd, r.start, &r.errs)
	s.wall -= in.Ignored
	s.resent = in.Resent
	return s, err
}

// kill ends a tracer the harness gave up on.
func (r *running) kill() {
	r.cmd.Process.Kill()
	r.wg.Wait()
	r.cmd.Wait()
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// clipOutput shortens s to about n bytes, keeping its start and end.
func clipOutput(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n*2/3] + fmt.Sprintf("\n... (%d bytes) ...\n", len(s)-n) + s[len(s)-n/3:]
}

// limitedRun is what runLimited saw of one run of hawk.
type limitedRun struct {
	code           int
	stdout, stderr cappedBuffer
	elapsed        time.Duration
	cpu            time.Duration // user and system time
	maxRSS         int64
	killed         string // why it was killed, if it was
}

// runLimited runs hawk with args and stdin (endless zeros when zeros),
// killing it when it has used twice badInputTime of processor time or
// holds twice badInputMemory, or when it is still running after runLimit
// (a hang: its wall time is not its own on a busy machine, so this limit
// is generous), and returns what it did.
func runLimited(t *testing.T, args []string, stdin []byte, zeros bool) *limitedRun {
	t.Helper()
	r := &limitedRun{}
	cmd := exec.Command(hawkBin, args...)
	cmd.Stdout, cmd.Stderr = &r.stdout, &r.stderr
	switch {
	case zeros:
		zero, err := os.Open("/dev/zero")
		if err != nil {
			t.Fatal(err)
		}
		defer zero.Close()
		cmd.Stdin = zero
	case stdin != nil:
		cmd.Stdin = bytes.NewReader(stdin)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), runLimit)
	defer cancel()
	go func() {
		for tick := time.NewTicker(10 * time.Millisecond); ; {
			select {
			case <-ctx.Done():
				if ctx.Err() == context.DeadlineExceeded {
					r.killed = fmt.Sprintf("still running after %v", runLimit)
					cmd.Process.Kill()
				}
				return
			case <-tick.C:
				if rss := processRSS(cmd.Process.Pid); rss > 2*badInputMemory {
					r.killed = fmt.Sprintf("holding %d MB", rss>>20)
					cmd.Process.Kill()
					return
				}
				if cpu := processCPU(cmd.Process.Pid); cpu > 2*badInputTime {
					r.killed = fmt.Sprintf("used %v of processor time", cpu)
					cmd.Process.Kill()
					return
				}
			}
		}
	}()
	err := cmd.Wait()
	cancel()
	r.elapsed = time.Since(start)
	r.code = exitCode(err)
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss << 10 // kilobytes on Linux
		r.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return r
}

// processRSS returns the resident memory of process pid, or 0.
func processRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/statm", pid))
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(b))
	if len(fields) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(fields[1], 10, 64)
	return pages * int64(os.Getpagesize())
}

// processCPU returns the user and system time process pid has used, or 0.
func processCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: the fields are
	// counted after it. utime and stime are the 14th and 15th, in clock
	// ticks of 1/100 s (USER_HZ).
	_, rest, ok := strings.Cut(string(b), ") ")
	fields := strings.Fields(rest)
	if !ok || len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// cappedBuffer keeps the first 4 MB written to it, and counts the rest.
type cappedBuffer struct {
	b       bytes.Buffer
	dropped int
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	const limit = 4 << 20
	n := len(p)
	if room := max(limit-c.b.Len(), 0); n > room {
		c.dropped += n - room
		p = p[:room]
	}
	c.b.Write(p)
	return n, nil
}

func (c *cappedBuffer) String() string {
	if c.dropped > 0 {
		return c.b.String() + fmt.Sprintf("\n... %d more bytes", c.dropped)
	}
	return c.b.String()
}

// TestProcessCPU: processCPU reads a process's processor time, which
// runLimited kills a runaway hawk by: spinning, the test sees its own
// grow by 50 ms (within 10 s of wall time, however busy the machine).
func TestProcessCPU(t *testing.T) {
	before := processCPU(os.Getpid())
	for deadline := time.Now().Add(10 * time.Second); processCPU(os.Getpid()) < before+50*time.Millisecond; {
		if time.Now().After(deadline) {
			t.Fatalf("processor time %v, then %v after spinning for 10 s", before, processCPU(os.Getpid()))
		}
		for end := time.Now().Add(10 * time.Millisecond); time.Now().Before(end); {
		}
	}
}

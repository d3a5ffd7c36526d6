// Package throughput measures what a printf costs when a tracer traces a
// busy syscall loop: it runs n getppid calls under
//
//	tracepoint:syscalls:sys_enter_getppid /pid == PID/ { printf(...) }
//
// and counts the events printed and those the tracer reports as lost. The
// printfbench command reports the costs; a kernel test checks that no
// event goes unaccounted.
package throughput

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// Result is what one run measured.
type Result struct {
	Events, Printed, Lost int
	// Base is the untraced loop's time, Traced the traced one's.
	Base, Traced time.Duration
	// CPU is the tracer's user and system time over its whole run.
	CPU time.Duration
}

// Unaccounted is how many events were neither printed nor reported lost.
func (r *Result) Unaccounted() int { return max(0, r.Events-r.Printed-r.Lost) }

// loop makes n getppid calls and returns how long they took.
func loop(n int) time.Duration {
	start := time.Now()
	for i := 0; i < n; i++ {
		syscall.Getppid()
	}
	return time.Since(start)
}

var lostRE = regexp.MustCompile(`Lost (\d+) events`)

// Run traces n getppid calls of this process with tracer (hawk's binary,
// or bpftrace) and a printf per call.
func Run(tracer string, n int) (*Result, error) {
	// The loop runs on one thread, so that pid filters it from Go's
	// other threads' calls (there are none of getppid).
	base := loop(n)
	script := fmt.Sprintf(`tracepoint:syscalls:sys_enter_getppid /pid == %d/ { printf("%%d %%d\n", tid, nsecs); }`, os.Getpid())
	cmd := exec.Command(tracer, "-e", script)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	// Wait until the probe is attached: a first event comes through.
	lines := make(chan int)
	var lostOut atomic.Int64 // bpftrace 0.17 reports lost events on stdout
	first := make(chan struct{})
	go func() {
		r := bufio.NewReaderSize(stdout, 1<<20)
		count, signaled := 0, false
		for {
			line, err := r.ReadSlice('\n')
			if m := lostRE.FindSubmatch(line); m != nil {
				k, _ := strconv.Atoi(string(m[1]))
				lostOut.Add(int64(k))
			} else if len(line) > 0 && bytes.IndexByte(line, ' ') > 0 {
				count++
				if !signaled {
					close(first)
					signaled = true
				}
			}
			if err == io.EOF {
				break
			}
		}
		lines <- count
	}()
	deadline := time.After(30 * time.Second)
	for attached := false; !attached; {
		syscall.Getppid()
		select {
		case <-first:
			attached = true
		case <-deadline:
			cmd.Process.Kill()
			return nil, fmt.Errorf("%s printed nothing in 30s: %s", tracer, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	traced := loop(n)
	time.Sleep(200 * time.Millisecond) // let the reader catch up
	cmd.Process.Signal(os.Interrupt)
	printed := <-lines
	if err := cmd.Wait(); err != nil && !strings.Contains(err.Error(), "exit status") {
		return nil, err
	}
	usage := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	lost := int(lostOut.Load())
	for _, m := range lostRE.FindAllStringSubmatch(stderr.String(), -1) {
		k, _ := strconv.Atoi(m[1])
		lost += k
	}
	return &Result{Events: n, Printed: printed, Lost: lost, Base: base, Traced: traced,
		CPU: time.Duration(usage.Utime.Nano() + usage.Stime.Nano())}, nil
}

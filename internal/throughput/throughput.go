// Package throughput measures what a tracer adds to each event of a busy
// syscall loop: it times n getppid calls of this process untraced, then
// under a script (a Case) that traces them,
//
//	BEGIN { printf("ready\n"); }
//	tracepoint:syscalls:sys_enter_getppid /pid == PID/ { BODY }
//
// and reports the time added per call. The loop starts once the tracer
// printed "ready" (BEGIN runs after every probe is attached) and runs on
// one locked OS thread, as fast as it can: the highest rate this load
// generator reaches. It is timed in chunks of 1,000 calls by the thread's
// CPU clock (CLOCK_THREAD_CPUTIME_ID: the time the calling thread spent,
// in user space and in the kernel, where the tracer's program runs; time
// it waited for a CPU does not count, so a shared machine's preemptions
// do not either), and a loop's cost per call is its median chunk's. The
// untraced chunks are timed before the tracer starts and after it ended.
// The thread is pinned to one CPU throughout (sched_setaffinity), and a
// run reports its traced chunks' spread.
// A printing case counts the events printed and those the tracer reports
// lost: every event must be one or the other. A counting case checks from
// the maps printed at exit that its probe saw every call, so a figure
// cannot come from a probe that never fired.
//
// The compare command (bench/compare) puts hawk's figures beside
// bpftrace's; printfbench reports the printf case alone; a kernel test
// checks that no printf event goes unaccounted.
package throughput

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk/internal/benchproc"
	"github.com/hawktrace/hawk/internal/benchtab"
)

// Case is one workload: the body of the probe on the traced calls.
type Case struct {
	Name string
	Body string
	// Prints: the body prints one line per event, ending " PID".
	Prints bool
	// Counts: the maps printed at exit count every event.
	Counts bool
}

// Cases are the per-event cases of issue 16, in the table's order.
var Cases = []Case{
	{Name: "empty"},
	{Name: "count", Body: "@ = count();", Counts: true},
	{Name: "count_comm", Body: "@[comm] = count();", Counts: true},
	{Name: "lat_hist", Body: "@[pid] = hist(nsecs);", Counts: true},
	Printf,
}

// Printf is the printing case.
var Printf = Case{Name: "printf", Body: `printf("%s %d\n", comm, pid);`, Prints: true}

// Script is the case's script tracing process pid.
func (c Case) Script(pid int) string {
	return fmt.Sprintf("BEGIN { printf(\"ready\\n\"); }\ntracepoint:syscalls:sys_enter_getppid /pid == %d/ { %s }\n", pid, c.Body)
}

// Result is what one run measured.
type Result struct {
	Case          Case
	Events        int // getppid calls traced
	Printed, Lost int // printing cases: events printed and reported lost
	Counted       int // counting cases: the events the maps counted
	// Base is the untraced loop's CPU time per call, Traced the traced
	// one's (each the median chunk's, in ns).
	Base, Traced float64
	// CPU is the tracer's user and system time over its whole run.
	CPU time.Duration
	// Spread is the traced chunks' interquartile range per call, in ns:
	// how far apart the middle half of them lie.
	Spread float64
}

// Unaccounted is how many events were neither printed nor reported lost.
func (r *Result) Unaccounted() int { return max(0, r.Events-r.Printed-r.Lost) }

// Overhead is the time the tracer added to each traced call, in ns.
func (r *Result) Overhead() float64 { return r.Traced - r.Base }

// chunk is how many calls are timed together.
const chunk = 1000

// threadCPU returns the CPU time the calling thread has used.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		panic(err) // Linux has had the clock since 2.6.12
	}
	return time.Duration(ts.Nano())
}

// loop makes n getppid calls (at least one chunk's) on the calling
// thread, which must be locked to its OS thread, and returns the CPU time
// per call of each chunk, in ns.
func loop(n int) []float64 {
	var per []float64
	for done := 0; done < n; done += chunk {
		k := min(chunk, n-done)
		start := threadCPU()
		for i := 0; i < k; i++ {
			syscall.Getppid()
		}
		per = append(per, float64(threadCPU()-start)/float64(k))
	}
	return per
}

var (
	lostRE = regexp.MustCompile(`Lost (\d+) events`)
	// countRE matches a count at exit: "@m[k]: 5", or a histogram
	// bucket "[4, 8)   5 |@@@|".
	countRE = regexp.MustCompile(`^(?:@.*: (\d+)|[\[(].*[\])]\s+(\d+) \|.*)$`)
)

// Run traces n getppid calls of this process with tracer (hawk's binary,
// or bpftrace) and a printf per call.
func Run(tracer string, n int) (*Result, error) { return Measure(tracer, Printf, n) }

// output is what the reader of a tracer's stdout found.
type output struct {
	printed, counted, lost atomic.Int64
	ready                  chan struct{}
	done                   chan struct{}
}

// read reads the tracer's stdout to its end.
func (o *output) read(r io.Reader, c Case, pid int) {
	defer close(o.done)
	br := bufio.NewReaderSize(r, 1<<20)
	suffix := []byte(fmt.Sprintf(" %d\n", pid))
	signaled := false
	for {
		line, err := br.ReadSlice('\n')
		switch {
		case !signaled && string(line) == "ready\n":
			close(o.ready)
			signaled = true
		case c.Prints && bytes.HasSuffix(line, suffix):
			o.printed.Add(1)
		default:
			// bpftrace 0.17 reports lost events on stdout.
			if m := lostRE.FindSubmatch(line); m != nil {
				k, _ := strconv.Atoi(string(m[1]))
				o.lost.Add(int64(k))
			} else if m := countRE.FindSubmatch(bytes.TrimRight(line, "\n")); m != nil && c.Counts {
				k, _ := strconv.Atoi(string(m[1]) + string(m[2]))
				o.counted.Add(int64(k))
			}
		}
		if err == io.EOF {
			return
		}
		if err != nil && err != bufio.ErrBufferFull {
			return
		}
	}
}

// Measure traces n getppid calls of this process with tracer under the
// case c.
func Measure(tracer string, c Case, n int) (*Result, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer pin()()
	pid := os.Getpid()
	base := loop(n / 2)
	cmd := exec.Command(tracer, "-e", c.Script(pid))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	out := &output{ready: make(chan struct{}), done: make(chan struct{})}
	go out.read(stdout, c, pid)
	fail := func(format string, args ...any) (*Result, error) {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("%s: %s: %s", tracer, fmt.Sprintf(format, args...), lastLine(stderr.String()))
	}
	select {
	case <-out.ready:
	case <-out.done:
		return fail("ended before it was ready")
	case <-time.After(30 * time.Second):
		return fail("not ready in 30s")
	}
	traced := loop(n)
	if c.Prints {
		settle(func() int64 { return out.printed.Load() + out.lost.Load() }, int64(n))
	}
	if _, err := benchproc.Interrupt(cmd.Process, out.done, 30*time.Second); err != nil {
		return fail("%v", err)
	}
	if err := cmd.Wait(); err != nil {
		if _, exited := err.(*exec.ExitError); !exited {
			return nil, err
		}
	}
	base = append(base, loop(n/2)...)
	usage := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	r := &Result{Case: c, Events: n, Printed: int(out.printed.Load()), Lost: int(out.lost.Load()),
		Counted: int(out.counted.Load()), Base: benchtab.Median(base), Traced: benchtab.Median(traced),
		Spread: spread(traced),
		CPU:    time.Duration(usage.Utime.Nano() + usage.Stime.Nano())}
	for _, m := range lostRE.FindAllStringSubmatch(stderr.String(), -1) {
		k, _ := strconv.Atoi(m[1])
		r.Lost += k
	}
	if c.Counts && r.Counted < n {
		return r, fmt.Errorf("%s: the maps counted %d of %d events", tracer, r.Counted, n)
	}
	if u := r.Unaccounted(); c.Prints && u > 0 {
		return r, fmt.Errorf("%s: %d of %d events neither printed nor reported lost", tracer, u, n)
	}
	return r, nil
}

// settle waits until seen reaches want, or stops growing for half a
// second: the tracer's reader has caught up with the events.
func settle(seen func() int64, want int64) {
	last, since := seen(), time.Now()
	for last < want && time.Since(since) < 500*time.Millisecond {
		time.Sleep(20 * time.Millisecond)
		if now := seen(); now != last {
			last, since = now, time.Now()
		}
	}
}

// lastLine is the last non-empty line of a tracer's stderr, its error.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// pin keeps the calling thread, locked to its OS thread, on one CPU (the
// last it may run on) and returns what restores its affinity: chunks
// timed on one CPU are not spread by moves between CPUs, whose caches
// hold other things. It does nothing on a single CPU.
func pin() (restore func()) {
	var old unix.CPUSet
	if unix.SchedGetaffinity(0, &old) != nil || old.Count() < 2 {
		return func() {}
	}
	last := -1
	for cpu := 0; cpu < 1024; cpu++ {
		if old.IsSet(cpu) {
			last = cpu
		}
	}
	var one unix.CPUSet
	one.Set(last)
	if unix.SchedSetaffinity(0, &one) != nil {
		return func() {}
	}
	return func() { unix.SchedSetaffinity(0, &old) }
}

// spread is the interquartile range of per-call times.
func spread(per []float64) float64 {
	if len(per) < 4 {
		return 0
	}
	s := slices.Clone(per)
	slices.Sort(s)
	return s[len(s)*3/4] - s[len(s)/4]
}

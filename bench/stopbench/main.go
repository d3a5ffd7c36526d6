// Command stopbench measures a tracer's start→exit: it starts the tracer
// on a script, waits until the probes are attached (hawk's "Attached"
// line; for bpftrace, which runs BEGIN once every probe is attached, the
// first line BEGIN prints), sends SIGINT once, and waits for it to exit.
// It reports, per tracer, the median whole run and the median time from
// SIGINT to exit (the stop), alternating the tracers run by run so that
// both see the same load. bpftrace 0.17 may miss a SIGINT sent as soon
// as BEGIN printed: -delay waits before it (and is not counted), and a
// SIGINT left unanswered is sent again after 2 s. Needs root. `make
// bench` runs it.
//
//	go run ./bench/stopbench -runs 10 bin/hawk bpftrace -- /usr/sbin/opensnoop.bt
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

// run is one run's figures.
type run struct{ total, stop time.Duration }

func main() {
	runs := flag.Int("runs", 10, "runs of each tracer")
	delay := flag.Duration("delay", 0, "how long to wait after the marker before SIGINT")
	marker := flag.String("marker", "", "the text that says bpftrace attached (default: its first line)")
	flag.Parse()
	args := flag.Args()
	i := slices.Index(args, "--")
	if i < 1 || i == len(args)-1 {
		fmt.Fprintln(os.Stderr, "usage: stopbench [-runs N] TRACER... -- SCRIPT-ARGS...")
		os.Exit(2)
	}
	tracers, script := args[:i], args[i+1:]
	res := make([][]run, len(tracers))
	for r := 0; r < *runs; r++ {
		for t, tracer := range tracers {
			x, err := once(tracer, script, *marker, *delay)
			if err != nil {
				fmt.Fprintf(os.Stderr, "stopbench: %s: %v\n", tracer, err)
				os.Exit(1)
			}
			res[t] = append(res[t], x)
		}
	}
	base := median(res[len(res)-1], func(x run) time.Duration { return x.total })
	for t, tracer := range tracers {
		tot := median(res[t], func(x run) time.Duration { return x.total })
		stop := median(res[t], func(x run) time.Duration { return x.stop })
		fmt.Printf("%-28s %-40s start→exit %7.1f ms (%.2f×)  stop %6.1f ms\n", tracer, strings.Join(script, " "),
			ms(tot), float64(tot)/float64(base), ms(stop))
	}
}

// once runs tracer once on the script.
func once(tracer string, script []string, marker string, delay time.Duration) (run, error) {
	cmd := exec.Command(tracer, script...)
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return run{}, err
	}
	attached := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(pr)
		seen := false
		for sc.Scan() {
			line := sc.Text()
			if seen || strings.Contains(line, "RLIMIT_MEMLOCK") || strings.HasPrefix(line, "Attaching") {
				continue
			}
			if strings.HasPrefix(line, "Attached") || marker == "" || strings.Contains(line, marker) {
				seen = true
				close(attached)
			}
		}
		io.Copy(io.Discard, pr)
	}()
	select {
	case <-attached:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		return run{}, fmt.Errorf("never attached")
	}
	time.Sleep(delay)
	sig := time.Now()
	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
wait:
	for {
		select {
		case err = <-done:
			break wait
		case <-time.After(2 * time.Second):
			// bpftrace may not catch SIGINT yet when BEGIN prints.
			cmd.Process.Signal(syscall.SIGINT)
		}
	}
	end := time.Now()
	pw.Close()
	if err != nil {
		return run{}, err
	}
	return run{total: end.Sub(start) - delay, stop: end.Sub(sig)}, nil
}

func median(rs []run, f func(run) time.Duration) time.Duration {
	ds := make([]time.Duration, len(rs))
	for i, r := range rs {
		ds[i] = f(r)
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

// Command printfbench measures what a printf costs when hawk traces a
// busy syscall loop: one million getppid calls, each printing a line. It
// checks that every event was printed or counted as lost, and reports the
// cost per event in the traced loop (wall time against an untraced loop)
// and in the tracer itself (its CPU time). Needs root. `make bench` runs
// it, and again with bpftrace as the peer when it is installed.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/hawktrace/hawk/internal/throughput"
)

func main() {
	tracer := flag.String("tracer", "bin/hawk", "the tracer to run: hawk, or bpftrace to compare")
	n := flag.Int("n", 1000000, "events to send")
	flag.Parse()
	r, err := throughput.Run(*tracer, *n)
	if err != nil {
		fmt.Fprintln(os.Stderr, "printfbench:", err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d events: %d printed, %d reported lost\n", *tracer, r.Events, r.Printed, r.Lost)
	fmt.Printf("  traced loop: +%.0f ns per event (untraced getppid %.0f ns)\n", r.Overhead(), r.Base)
	fmt.Printf("  tracer CPU:  %.0f ns per event (user+system over the whole run)\n",
		float64(r.CPU)/float64(r.Events))
	if u := r.Unaccounted(); u > 0 {
		fmt.Fprintf(os.Stderr, "printfbench: %d events neither printed nor reported lost\n", u)
		os.Exit(1)
	}
}

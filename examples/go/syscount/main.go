// Command syscount counts system calls per process with hawk's Go API and
// prints the ten busiest processes every second, for as many seconds as
// -seconds says; then it stops the script, which leaves nothing loaded.
// It needs root (or CAP_BPF and CAP_PERFMON).
//
//	go run ./examples/go/syscount -seconds 5
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/lang"
)

// script counts every system call by the name of the process that makes
// it.
const script = `tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }`

func main() {
	seconds := flag.Int("seconds", 5, "how many seconds to count for")
	top := flag.Int("top", 10, "how many processes to print each second")
	flag.Parse()
	if err := run(*seconds, *top); err != nil {
		fmt.Fprintln(os.Stderr, "syscount:", err)
		os.Exit(1)
	}
}

func run(seconds, top int) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	compiled, err := hawk.Compile(lang.NewSource("syscount.bt", script), hawk.Config{})
	if err != nil {
		return err
	}
	r, err := hawk.Start(ctx, compiled, hawk.StartOptions{})
	if err != nil {
		return err
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for i := 0; i < seconds; i++ {
		select {
		case <-tick.C:
		case <-r.Done(): // Ctrl-C
			_, err := r.Wait()
			return err
		}
		if err := printTop(r, top); err != nil {
			r.Stop()
			return err
		}
	}
	_, err = r.Stop()
	return err
}

// printTop prints the n processes that made the most system calls so far.
func printTop(r *hawk.Running, n int) error {
	v, err := r.Map("@")
	if err != nil {
		return err
	}
	counts, _ := v.(hawk.Map) // nil before the first system call
	fmt.Printf("%s: top %d of %d processes\n", time.Now().Format("15:04:05"), min(n, len(counts)), len(counts))
	fmt.Printf("%-16s %10s\n", "COMM", "SYSCALLS")
	// The entries come in print order: ascending counts.
	for i := len(counts) - 1; i >= 0 && i >= len(counts)-n; i-- {
		fmt.Printf("%-16s %10d\n", counts[i].Key.(string), counts[i].Value.(uint64))
	}
	fmt.Println()
	return nil
}

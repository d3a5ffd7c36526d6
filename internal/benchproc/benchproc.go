// Package benchproc ends the tracers a benchmark starts: with SIGINT, as
// a user at a terminal does, sent again while the tracer does not heed it
// (bpftrace 0.17 here misses a SIGINT now and then and would run on).
package benchproc

import (
	"fmt"
	"os"
	"time"
)

// Resend is how long a tracer has to exit before SIGINT goes again.
const Resend = 2 * time.Second

// Interrupted is how an interrupt went.
type Interrupted struct {
	// Resent counts the SIGINTs sent after the first.
	Resent int
	// Ignored is the time from the first SIGINT to the last: time the
	// tracer would not have spent had it heeded the first.
	Ignored time.Duration
}

// Interrupt sends p SIGINT and waits until exited is closed, sending
// SIGINT again every Resend; after limit it kills p and fails.
func Interrupt(p *os.Process, exited <-chan struct{}, limit time.Duration) (Interrupted, error) {
	var in Interrupted
	first := time.Now()
	p.Signal(os.Interrupt)
	again := time.NewTicker(Resend)
	defer again.Stop()
	deadline := time.After(limit)
	for {
		select {
		case <-exited:
			return in, nil
		case <-again.C:
			p.Signal(os.Interrupt)
			in.Resent++
			in.Ignored = time.Since(first)
		case <-deadline:
			p.Kill()
			return in, fmt.Errorf("still running %v after SIGINT", limit)
		}
	}
}

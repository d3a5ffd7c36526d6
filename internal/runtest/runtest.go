// Package runtest runs a compiled script in the background for kernel
// tests: it loads it, runs it until it ends or the test stops it, and
// captures what it prints.
package runtest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/runtime"
)

// Running is a script running in the background.
type Running struct {
	Sess           *runtime.Session
	Stdout, Stderr *kerneltest.Buffer
	// Done is closed when the run ends; Code and Err are then its result.
	Done   chan struct{}
	Code   int
	Err    error
	cancel context.CancelFunc
}

// Start loads out and runs it, and returns once its probes are attached
// (or it has already ended). It skips or fails t as kerneltest.Require
// says when the kernel cannot be used.
func Start(t testing.TB, out *codegen.Output) *Running {
	t.Helper()
	kerneltest.Require(t)
	r := &Running{Stdout: &kerneltest.Buffer{}, Stderr: &kerneltest.Buffer{}, Done: make(chan struct{})}
	var err error
	r.Sess, err = runtime.Load(out, runtime.Options{Stdout: r.Stdout, Stderr: r.Stderr})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	t.Cleanup(func() { r.Sess.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	t.Cleanup(cancel)
	go func() {
		defer close(r.Done)
		r.Code, r.Err = r.Sess.Run(ctx)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(r.Stderr.String(), "Attached") {
		select {
		case <-r.Done:
			return r
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no banner after 10s; stderr: %q", r.Stderr.String())
		}
		time.Sleep(time.Millisecond)
	}
	return r
}

// Wait waits for the script to end by itself.
func (r *Running) Wait(t testing.TB) {
	t.Helper()
	select {
	case <-r.Done:
	case <-time.After(20 * time.Second):
		t.Fatal("the script did not end within 20s")
	}
	if r.Err != nil {
		t.Fatalf("run: %v\nstderr: %s", r.Err, r.Stderr)
	}
}

// Stop interrupts the script, as Ctrl-C does, and waits for it.
func (r *Running) Stop(t testing.TB) {
	t.Helper()
	r.cancel()
	r.Wait(t)
}

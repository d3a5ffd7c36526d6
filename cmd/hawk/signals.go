package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// stopper is what Ctrl-C (SIGINT) and SIGTERM do to hawk. Until BEGIN
// runs (reading the script, compiling it, loading and verifying its
// programs, and all of --verify, --dry-run, -l, --info, -d) and once the
// run is ending (probes detaching, END, the maps), hawk does not catch
// them: it dies of the signal at once, printing nothing more. In between,
// the first signal ends the run as exit() does (ctx), and a second one
// kills hawk.
//
// Dying is what stops a program the kernel is verifying: the verifier
// stops for a pending signal, but only to return EAGAIN, which
// cilium/ebpf answers by loading the program again from the start. A
// fatal signal makes the kernel kill the loading thread, whose verifier
// stops within an instruction, and close every program, map and link hawk
// holds: nothing stays loaded. The -c command dies with hawk (childproc).
// And the kernel acts on an uncaught signal in the signal's own context:
// no goroutine has to be scheduled first.
type stopper struct {
	ctx    context.Context // cancelled by a signal while the run runs
	cancel context.CancelFunc
	mu     sync.Mutex
	sigs   chan os.Signal // caught while the run runs; nil otherwise
	sig    syscall.Signal // the signal that cancelled ctx
	done   chan struct{}
}

// catchable are the signals that stop hawk.
var catchable = []os.Signal{os.Interrupt, syscall.SIGTERM}

// watchSignals makes SIGINT and SIGTERM end hawk, also in a process
// started with SIGINT ignored (a background job of a shell script), which
// Go would leave ignored until it is caught.
func watchSignals() *stopper {
	if signal.Ignored(os.Interrupt) {
		restoreDefault(syscall.SIGINT)
	}
	s := &stopper{done: make(chan struct{})}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s
}

// restoreDefault sets sig's action to the default (for SIGINT: end the
// process). Go offers no call for it: its runtime has installed no
// handler for a signal ignored at start, reads the action again when the
// signal is first caught, and keeps the default once no longer caught.
func restoreDefault(sig syscall.Signal) {
	var act [4]uint64 // struct sigaction, all zero: SIG_DFL, no flags, empty mask
	unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&act)), 0, 8, 0, 0)
}

// running says BEGIN is about to run: the first signal now ends the run.
func (s *stopper) running() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sigs = make(chan os.Signal, 1)
	signal.Notify(s.sigs, catchable...)
	go s.watch(s.sigs)
}

func (s *stopper) watch(sigs chan os.Signal) {
	select {
	case sig := <-sigs:
		s.mu.Lock()
		s.sig = sig.(syscall.Signal)
		s.release()
		s.mu.Unlock()
		s.cancel()
	case <-s.done:
	}
}

// release stops catching: the next signal kills hawk.
func (s *stopper) release() {
	if s.sigs != nil {
		signal.Stop(s.sigs)
		s.sigs = nil
	}
}

// ending says the run is ending: a signal now kills hawk.
func (s *stopper) ending() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.release()
}

// interrupted returns the exit code for err when it is the run stopped by
// a signal before BEGIN ran (caught just as the run began): 128 + the
// signal's number, the status a shell gives a command the signal killed.
func (s *stopper) interrupted(err error) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sig == 0 || !errors.Is(err, context.Canceled) {
		return 0, false
	}
	return 128 + int(s.sig), true
}

// stop stops catching the signals.
func (s *stopper) stop() {
	s.mu.Lock()
	s.release()
	s.mu.Unlock()
	close(s.done)
	s.cancel()
}

// Package childproc starts the processes hawk runs (the command -c names,
// system()'s shells) so that they die with hawk, however hawk ends, even
// by SIGKILL.
//
// The kernel sends a process its parent-death signal (PR_SET_PDEATHSIG)
// when the thread that created it exits, not the process: a Go program's
// threads come and go (a goroutine that ends while locked to its thread
// takes the thread with it), so the processes are created on one thread
// kept for the life of the process. The signal survives execve, but for a
// set-user-ID or set-group-ID program or one with file capabilities.
package childproc

import (
	"os/exec"
	"runtime"
	"sync"
	"syscall"
)

var (
	once     sync.Once
	requests chan func()
)

// Start starts cmd, as cmd.Start does, with SIGKILL as its parent-death
// signal, from a thread that lives as long as the process.
func Start(cmd *exec.Cmd) error {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	once.Do(func() {
		requests = make(chan func())
		go func() {
			// Never unlocked, and the goroutine never ends: the thread is
			// not given back to the Go runtime, which would reuse it for
			// other goroutines, nor ended.
			runtime.LockOSThread()
			for f := range requests {
				f()
			}
		}()
	})
	errc := make(chan error, 1)
	requests <- func() { errc <- cmd.Start() }
	return <-errc
}

package benchproc

import (
	"os/exec"
	"testing"
	"time"
)

// TestInterruptResends: a process that ignores its first SIGINT gets a
// second, and the time between them is reported as ignored.
func TestInterruptResends(t *testing.T) {
	// The shell ignores the first SIGINT, then lets the second kill it.
	cmd := exec.Command("bash", "-c", `n=0; trap 'n=$((n+1)); if [ $n -ge 2 ]; then exit 0; fi' INT; echo ready; while :; do sleep 0.05; done`)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 6)
	if _, err := out.Read(buf); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	in, err := Interrupt(cmd.Process, exited, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if in.Resent != 1 || in.Ignored < Resend {
		t.Errorf("resent %d, ignored %v; want 1 and at least %v", in.Resent, in.Ignored, Resend)
	}
}

// TestInterruptGivesUp: a process that ignores SIGINT is killed at the
// limit, with an error.
func TestInterruptGivesUp(t *testing.T) {
	cmd := exec.Command("bash", "-c", `trap '' INT; while :; do sleep 0.05; done`)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	time.Sleep(100 * time.Millisecond) // let the trap be set
	if _, err := Interrupt(cmd.Process, exited, 500*time.Millisecond); err == nil {
		t.Error("no error for a process that ignores SIGINT")
	}
	<-exited
}

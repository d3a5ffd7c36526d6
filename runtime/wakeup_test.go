package runtime_test

import (
	"fmt"
	"os"
	goruntime "runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/internal/runtest"
	"github.com/hawktrace/hawk/lang"
)

// getppids makes n getppid calls from one thread.
func getppids(n int) {
	goruntime.LockOSThread()
	defer goruntime.UnlockOSThread()
	for range n {
		syscall.Getppid()
	}
}

// startGetppid runs body on this process's getppid calls.
func startGetppid(t *testing.T, body string) *runtest.Running {
	t.Helper()
	kerneltest.Require(t)
	src := fmt.Sprintf("tracepoint:syscalls:sys_enter_getppid /pid == %d/ { %s }", os.Getpid(), body)
	script, err := hawk.Compile(lang.NewSource("t.bt", src), hawk.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return runtest.Start(t, script.Out)
}

// TestPrintfWakesSleepingReader: a lone record reaches a reader that went
// to sleep (it lingers for lingerTime after the ring buffer empties, then
// sleeps after asking programs to wake it). A lost wake-up would leave the
// record until the reader's next periodic look, a second later.
func TestPrintfWakesSleepingReader(t *testing.T) {
	r := startGetppid(t, `printf("one\n");`)
	for i := 1; i <= 5; i++ {
		time.Sleep(50 * time.Millisecond) // the reader is asleep by now
		syscall.Getppid()
		sent := time.Now()
		for strings.Count(r.Stdout.String(), "one\n") < i {
			if time.Since(sent) > 900*time.Millisecond {
				t.Fatalf("record %d not printed within 0.9s: %q", i, r.Stdout.String())
			}
			time.Sleep(time.Millisecond)
		}
	}
	r.Stop(t)
}

// TestEventsOrderedBeforeEnd: records submitted without waking the reader
// are all printed, in order, before END's output and the maps.
func TestEventsOrderedBeforeEnd(t *testing.T) {
	const n = 20000
	r := startGetppid(t, fmt.Sprintf(`@i++; printf("ev %%d\n", @i); if (@i == %d) { exit(); } }
		END { printf("end\n");`, n))
	getppids(n)
	r.Wait(t)
	var want strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&want, "ev %d\n", i)
	}
	want.WriteString("end\n")
	if got, _, _ := strings.Cut(r.Stdout.String(), "\n\n"); got+"\n" != want.String() {
		t.Errorf("output differs: %d bytes, want %d; tail %q", len(got), want.Len(), got[max(0, len(got)-80):])
	}
}

// TestFullRingAccounted: a burst that overflows a one-page ring buffer
// leaves every record printed or counted lost.
func TestFullRingAccounted(t *testing.T) {
	const n = 100000
	r := startGetppid(t, `printf("ev %d %d\n", tid, nsecs); } config = { perf_rb_pages = 1 } BEGIN {`)
	getppids(n)
	time.Sleep(100 * time.Millisecond)
	r.Stop(t)
	printed := strings.Count(r.Stdout.String(), "ev ")
	var lost int
	for _, line := range strings.Split(r.Stderr.String(), "\n") {
		var k int
		if _, err := fmt.Sscanf(line, "Lost %d events", &k); err == nil {
			lost += k
		}
	}
	t.Logf("%d printed, %d lost", printed, lost)
	if printed+lost != n || lost == 0 {
		t.Errorf("%d printed + %d lost, want %d events with some lost", printed, lost, n)
	}
}

// TestUserBeginFlushed: what a BEGIN block run in user space prints is
// shown at once, though no record ever comes through the ring buffer (a
// script that only counts): it waited for the reader's periodic look, a
// second later (syscount.bt's banner did).
func TestUserBeginFlushed(t *testing.T) {
	r := startGetppid(t, `@ = count(); } BEGIN { printf("ready\n");`)
	started := time.Now()
	for !strings.Contains(r.Stdout.String(), "ready\n") {
		if time.Since(started) > 900*time.Millisecond {
			t.Fatalf("BEGIN's output not shown within 0.9s: %q", r.Stdout.String())
		}
		time.Sleep(time.Millisecond)
	}
	r.Stop(t)
}

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cilium/ebpf"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

var hawkBin string

// TestMain builds the hawk binary once for the tests that run it as a
// user would.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hawk-test")
	if err != nil {
		panic(err)
	}
	hawkBin = filepath.Join(dir, "hawk")
	if out, err := exec.Command("go", "build", "-o", hawkBin, ".").CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// hawkCmd runs the built binary.
func hawkCmd(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	kerneltest.Require(t)
	return exec.Command(hawkBin, args...)
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// TestAcceptanceHello is the first acceptance one-liner.
func TestAcceptanceHello(t *testing.T) {
	cmd := hawkCmd(t, "-e", `BEGIN { printf("hello %d\n", 1+2); exit(); }`)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if exitCode(err) != 0 || string(out) != "hello 3\n\n\n" || stderr.String() != "Attached 1 probe\n" {
		t.Errorf("code %d stdout %q stderr %q", exitCode(err), out, stderr.String())
	}
}

// TestAcceptanceCountByComm is the second: counts per process, sorted by
// count, after a blank line.
func TestAcceptanceCountByComm(t *testing.T) {
	cmd := hawkCmd(t, "-q", "-e", `tracepoint:syscalls:sys_enter_openat { @[comm] = count(); } interval:ms:500 { exit(); }`)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			default:
				exec.Command("cat", "/etc/hostname").Run()
				time.Sleep(10 * time.Millisecond)
			}
		}
	}()
	out, err := cmd.Output()
	close(done)
	if exitCode(err) != 0 {
		t.Fatalf("code %d", exitCode(err))
	}
	text, ok := strings.CutPrefix(string(out), "\n\n")
	if !ok {
		t.Fatalf("the maps must follow two newlines: %q", out)
	}
	line := regexp.MustCompile(`^@\[(.+)\]: (\d+)$`)
	last, sawCat := int64(0), false
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		m := line.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("unexpected line %q in %q", l, text)
		}
		n, _ := strconv.ParseInt(m[2], 10, 64)
		if n < last {
			t.Errorf("not sorted by count: %q", text)
		}
		last, sawCat = n, sawCat || m[1] == "cat"
	}
	if !sawCat {
		t.Errorf("no count for cat in %q", text)
	}
}

// loadedIDs reads the program ids hawk -v announces.
func loadedIDs(stderr string) []ebpf.ProgramID {
	var ids []ebpf.ProgramID
	for _, m := range regexp.MustCompile(`loaded with id (\d+)`).FindAllStringSubmatch(stderr, -1) {
		n, _ := strconv.Atoi(m[1])
		ids = append(ids, ebpf.ProgramID(n))
	}
	return ids
}

// TestSignalsDetachAndPrint: on Ctrl-C and SIGTERM hawk runs END, prints
// the maps, exits 0, and leaves no program in the kernel.
func TestSignalsDetachAndPrint(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := hawkCmd(t, "-v", "-e", `tracepoint:sched:sched_switch { @switches = count(); } END { printf("end\n"); }`)
			var stdout, stderr kerneltest.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(10 * time.Second)
			for !strings.Contains(stderr.String(), "Attached") && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			time.Sleep(50 * time.Millisecond)
			cmd.Process.Signal(sig)
			err := cmd.Wait()
			if exitCode(err) != 0 {
				t.Fatalf("code %d stderr %q", exitCode(err), stderr.String())
			}
			if !regexp.MustCompile(`^end\n\n\n@switches: \d+\n$`).MatchString(stdout.String()) {
				t.Errorf("stdout %q", stdout.String())
			}
			// END only prints: it runs in user space, with no program.
			ids := loadedIDs(stderr.String())
			if len(ids) != 1 || !strings.Contains(stderr.String(), "(END) runs in user space") {
				t.Fatalf("expected 1 program id and END in user space in %q", stderr.String())
			}
			kerneltest.AssertUnloaded(t, ids)
		})
	}
}

// TestExitUnloads: after exit() too, nothing stays loaded.
func TestExitUnloads(t *testing.T) {
	cmd := hawkCmd(t, "-v", "-e", `tracepoint:sched:sched_switch { exit(); }`)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	kerneltest.AssertUnloaded(t, loadedIDs(stderr.String()))
}

// TestMountsTracefs: on a machine where tracefs is not mounted, hawk mounts
// it. The test unmounts it in a private mount namespace, so other tests
// keep theirs.
func TestMountsTracefs(t *testing.T) {
	kerneltest.Require(t)
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Fatal("unshare (util-linux) is needed for this test")
	}
	script := `umount /sys/kernel/tracing 2>/dev/null; umount /sys/kernel/debug/tracing 2>/dev/null;
		test -e /sys/kernel/tracing/events && { echo "still mounted"; exit 3; }
		exec "$0" -q -e 'tracepoint:sched:sched_switch { @ = count(); } interval:ms:50 { exit(); }'`
	out, err := exec.Command("unshare", "--mount", "--propagation", "private", "sh", "-c", script, hawkBin).CombinedOutput()
	if err != nil || !regexp.MustCompile(`^\n\n@: \d+\n$`).Match(out) {
		t.Errorf("%v: %q", err, out)
	}
}

// TestLostEventsCounted: with a one-page ring buffer most printf events
// find no room; hawk says how many were lost, and the exit() whose event
// was lost too still ends the run with its code.
func TestLostEventsCounted(t *testing.T) {
	for _, probe := range []string{"BEGIN", "interval:ms:50"} {
		cmd := hawkCmd(t, "-e", `config = { perf_rb_pages = 1 } `+probe+` { for ($i : 0..1000) { printf("%d\n", $i); } exit(3); }`)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		lines := strings.Count(stdout.String(), "\n") - 2 // the two at exit
		m := regexp.MustCompile(`WARNING: Total lost event count: (\d+)\n`).FindStringSubmatch(stderr.String())
		if exitCode(err) != 3 || m == nil || !strings.Contains(stderr.String(), "Lost ") {
			t.Fatalf("%s: exit %d, stderr:\n%s", probe, exitCode(err), stderr.String())
		}
		lost, _ := strconv.Atoi(m[1])
		// Each is printed or counted lost, once: through a reservation
		// (BEGIN) or a record built on the stack (codegen/output.go).
		if lines <= 0 || lines+lost != 1001 {
			t.Errorf("%s: %d lines printed and %d lost, want 1001 in all", probe, lines, lost)
		}
	}
}

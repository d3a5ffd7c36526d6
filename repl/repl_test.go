package repl

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	goruntime "runtime"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
)

// feeder is a LineReader a test types into: each line waits until the
// REPL asks for it, and send returns once the REPL asks for the next one,
// so the line has been handled.
type feeder struct {
	lines   chan string
	prompts chan string
}

func (f *feeder) Prompt(prompt string) (string, error) {
	f.prompts <- prompt
	line, ok := <-f.lines
	if !ok {
		return "", io.EOF
	}
	return line, nil
}

// session is a REPL running in the background for a test.
type session struct {
	t              *testing.T
	r              *REPL
	in             *feeder
	stdout, stderr *kerneltest.Buffer
	done           chan error
	ids            []ebpf.ProgramID // every program the session loaded
	closed         bool
}

func startSession(t *testing.T) *session {
	t.Helper()
	kerneltest.Require(t)
	s := &session{t: t, in: &feeder{lines: make(chan string), prompts: make(chan string)},
		stdout: &kerneltest.Buffer{}, stderr: &kerneltest.Buffer{}, done: make(chan error, 1)}
	s.r = New(Config{Stdout: s.stdout, Stderr: s.stderr, Runtime: runtime.Options{}})
	go func() { s.done <- s.r.Run(context.Background(), s.in) }()
	<-s.in.prompts
	t.Cleanup(func() {
		s.quit()
	})
	return s
}

// send types a line and returns the prompt that follows it.
func (s *session) send(line string) string {
	s.t.Helper()
	s.in.lines <- line
	select {
	case p := <-s.in.prompts:
		// Reading the ids opens files: not on a test's locked thread.
		ids := make(chan []ebpf.ProgramID)
		go func() { ids <- s.r.live.ProgramIDs() }()
		s.ids = append(s.ids, <-ids...)
		return p
	case <-time.After(20 * time.Second):
		s.t.Fatalf("no prompt 20s after %q; stderr: %s", line, s.stderr)
		return ""
	}
}

// quit ends input, as Ctrl-D does, and waits for the session to end.
func (s *session) quit() {
	s.t.Helper()
	if s.closed {
		return
	}
	s.closed = true
	close(s.in.lines)
	select {
	case err := <-s.done:
		if err != nil {
			s.t.Fatalf("Run: %v", err)
		}
	case <-time.After(20 * time.Second):
		s.t.Fatal("the session did not end 20s after Ctrl-D")
	}
	kerneltest.AssertUnloaded(s.t, s.ids)
}

// waitOut waits until stdout matches re, and returns the match.
func (s *session) waitOut(re string) []string {
	s.t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := rx.FindStringSubmatch(s.stdout.String()); m != nil {
			return m
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("stdout never matched %q:\n%s\nstderr:\n%s", re, s.stdout, s.stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// mark starts a new part of stdout: what waitOut sees.
func (s *session) mark() string {
	out := s.stdout.String()
	s.stdout.Reset()
	return out
}

// openFile fires the openat tracepoints n times from this process.
func openFile(t *testing.T, n int) {
	t.Helper()
	for range n {
		f, err := os.Open("/etc/hostname")
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
}

// TestSession attaches a probe, fires it, reads its map, adds a second
// probe updating the same map, detaches the first, saves what is attached
// and runs the saved script.
func TestSession(t *testing.T) {
	// Compiling reads tracefs, which opens files: count this thread's.
	goruntime.LockOSThread()
	defer goruntime.UnlockOSThread()
	s := startSession(t)
	pid := unix.Gettid()
	if p := s.send(fmt.Sprintf(`tracepoint:syscalls:sys_enter_openat /tid == %d/ {`, pid)); p != ContinuePrompt {
		t.Fatalf("an open brace gave prompt %q, want the continuation prompt", p)
	}
	s.send(`  @opens = count();`)
	if p := s.send(`}`); p != Prompt {
		t.Fatalf("a closed block gave prompt %q", p)
	}
	if !strings.Contains(s.stderr.String(), "[1] tracepoint:syscalls:sys_enter_openat") {
		t.Fatalf("no [1] announced; stderr: %s", s.stderr)
	}
	openFile(t, 3)
	s.send("@opens")
	s.waitOut(`@opens: 3\n`)

	// A second probe updates the same map.
	s.mark()
	s.send(fmt.Sprintf(`tracepoint:syscalls:sys_exit_openat /tid == %d/ { @opens = count(); }`, pid))
	openFile(t, 2)
	s.send("@opens")
	s.waitOut(`@opens: 7\n`) // 3 + 2 entries + 2 exits

	s.send(".probes")
	for _, want := range []string{`(?m)^\s+1\s+5\s+tracepoint:syscalls:sys_enter_openat$`, `(?m)^\s+2\s+2\s+tracepoint:syscalls:sys_exit_openat$`} {
		if !regexp.MustCompile(want).MatchString(s.stderr.String()) {
			t.Errorf(".probes printed no line like %q:\n%s", want, s.stderr)
		}
	}

	// Detached, the first counts no more; the map keeps its count.
	s.send(".detach 1")
	openFile(t, 2)
	s.mark()
	s.send("@opens")
	s.waitOut(`@opens: 9\n`)

	// A type conflict with the earlier use is an error at the new text,
	// and nothing is attached.
	before := len(s.r.attached())
	conflict := fmt.Sprintf(`tracepoint:syscalls:sys_exit_openat /tid == %d/ { @opens = sum(1); }`, pid)
	s.send(conflict)
	// The column of sum(1), whatever the width of the thread id.
	col := strings.Index(conflict, "sum(1)") + 1
	if want := fmt.Sprintf("in[6]:1:%d: error: @opens holds count_t", col); !strings.Contains(s.stderr.String(), want) || !strings.Contains(s.stderr.String(), "\n"+strings.Repeat(" ", 4+col-1)+"^~~~~~") {
		t.Errorf("the conflict was not reported at the new text (%s):\n%s", want, s.stderr)
	}
	if after := len(s.r.attached()); after != before {
		t.Errorf("a failed entry changed the probes attached: %d, then %d", before, after)
	}

	// Bare statements run once.
	s.mark()
	s.send("1 << 20")
	s.waitOut(`(?m)^1048576$`)
	s.send(`@names["bash"] = 1; @names["sh"] = 2;`)
	s.send(`delete(@names, "bash")`)
	s.send(`print(@names)`)
	out := s.waitOut(`@names\[sh\]: 2\n`)
	if strings.Contains(s.stdout.String(), "bash") {
		t.Errorf("delete() left @names[bash]: %q", out)
	}
	s.send(`clear(@names)`)
	s.send(".maps")
	if !regexp.MustCompile(`(?m)^@names\s+\[string\[\d+\]\]\s+int64\s+0$`).MatchString(s.stderr.String()) {
		t.Errorf(".maps did not list @names, empty:\n%s", s.stderr)
	}

	// .save writes what is attached; hawk runs it.
	file := filepath.Join(t.TempDir(), "saved.bt")
	s.send(".save " + file)
	s.mark()
	s.quit()
	if !strings.Contains(s.stdout.String(), "@opens: 9\n") {
		t.Errorf("the maps were not printed at the end:\n%s", s.stdout)
	}
	saved, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(saved), "sys_enter_openat") || !strings.Contains(string(saved), "sys_exit_openat") {
		t.Fatalf("the saved script holds other probes than the one attached:\n%s", saved)
	}
	runSaved(t, string(saved))
}

// runSaved runs a saved script as `hawk FILE` would, fires its probe, and
// checks it counts.
func runSaved(t *testing.T, text string) {
	script, err := hawk.Compile(lang.NewSource("saved.bt", text), hawk.Config{})
	if err != nil {
		t.Fatalf("the saved script does not compile: %v\n%s", err, text)
	}
	var stdout, stderr kerneltest.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := script.Run(ctx, runtime.Options{Stdout: &stdout, Stderr: &stderr})
		done <- err
	}()
	for !strings.Contains(stderr.String(), "Attached 1 probe") {
		time.Sleep(5 * time.Millisecond)
	}
	openFile(t, 4)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("running the saved script: %v", err)
	}
	m := regexp.MustCompile(`@opens: (\d+)\n`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("the saved script printed no @opens:\n%s", stdout.String())
	}
	if n, _ := strconv.Atoi(m[1]); n < 4 {
		t.Errorf("the saved script counted %d opens, want 4 or more", n)
	}
}

// TestNothingEndsTheSession types mistakes of every kind: each is
// reported and the session goes on, until Ctrl-D.
func TestNothingEndsTheSession(t *testing.T) {
	s := startSession(t)
	bad := []struct{ line, want string }{
		{"}", "in[1]:1:1: error: unexpected '}': nothing before it opens it\n    }\n    ^\n"},
		{"BEGIN { @x = nsec; }", "in[2]:1:14: error: unknown identifier \"nsec\"\n    BEGIN { @x = nsec; }\n                 ^~~~"},
		{"tracepoint:nope:nope { }", "in[3]:1:1: error"},
		{"kprobe:vfs_read { @k = count(); }", "hawk: error:"},
		{"1 2", "in[5]:1:2: error: expected ';' after this statement"},
		{"print(@never)", "in[6]:1:7: error: @never is never assigned"},
		{".nope", "unknown command .nope"},
		{".detach 99", "no probe 99 is attached"},
		{".detach", "usage: .detach N|all"},
		{".watch nothing", "usage: .watch @map... [interval]"},
		{".watch @n 0", "bad interval"},
		{".load /no/such/file.bt", "no such file or directory"},
		{".save /no/such/dir/x.bt", "no such file or directory"},
		{".", "a command name must follow"},
		{"exit()", "exit() was called"},
		{`printf("%d\n")`, "in[8]:1:9: error: %d has no argument"},
	}
	for _, b := range bad {
		s.stderr.Reset()
		if p := s.send(b.line); p != Prompt {
			t.Errorf("%q: prompt %q after it", b.line, p)
		}
		if !strings.Contains(s.stderr.String(), b.want) {
			t.Errorf("%q: stderr %q, want %q", b.line, s.stderr, b.want)
		}
	}
	// An unfinished entry dropped with Ctrl-C.
	s.send("BEGIN {")
	s.in.lines <- "" // the REPL reads on; the next prompt continues
	if p := <-s.in.prompts; p != ContinuePrompt {
		t.Fatalf("prompt %q inside a block", p)
	}
	s.mark()
	s.send("1 + 1 }") // closes the block: a probe with a statement that does nothing
	s.send("1 + 1")
	s.waitOut(`(?m)^2$`)
	if len(s.r.attached()) != 0 {
		t.Errorf("failed entries left probes attached: %v", s.r.attached())
	}
	s.quit()
}

// TestWatchAndExit redraws a map until interrupted, and ends what runs
// when a probe calls exit(), keeping the session.
func TestWatchAndExit(t *testing.T) {
	s := startSession(t)
	s.send("interval:ms:20 { @ticks = count(); }")
	s.mark()
	s.in.lines <- ".watch @ticks 50ms"
	s.waitOut(`(?s)@ticks: \d+\n.*@ticks: \d+\n.*@ticks: \d+\n`)
	if !s.r.Interrupt() {
		t.Fatal("Interrupt found no command running")
	}
	<-s.in.prompts
	if s.r.Interrupt() {
		t.Error("Interrupt at the prompt stopped something")
	}

	s.send(`interval:ms:50 { @ends = count(); exit(); }`)
	s.send(`END { printf("END ran\n"); }`)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(s.stderr.String(), "exit() was called") {
		if time.Now().After(deadline) {
			t.Fatalf("exit() ended nothing; stderr:\n%s", s.stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.waitOut(`END ran\n`)
	// The probe may fire again before it is detached on a loaded machine.
	s.waitOut(`@ends: [1-9]\d*\n`)
	if n := len(s.r.attached()); n != 0 {
		t.Errorf("%d probes still attached after exit()", n)
	}
	// The session goes on, with its maps.
	s.mark()
	s.send("@ends")
	s.waitOut(`@ends: [1-9]\d*\n`)
	s.quit()
}

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cilium/ebpf"

	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/repl"
)

// terminal is hawk running in a tmux pane: a real pseudo-terminal whose
// screen the test reads.
type terminal struct {
	t      *testing.T
	socket string
}

// terminals counts the terminals started, to name their tmux servers.
var terminals atomic.Int64

func startTerminal(t *testing.T, env ...string) *terminal {
	t.Helper()
	return startTerminalArgs(t, env, "-v")
}

// startTerminalArgs starts hawk with args in a terminal, with env, and
// waits for the prompt.
func startTerminalArgs(t *testing.T, env []string, args ...string) *terminal {
	t.Helper()
	kerneltest.Require(t)
	if _, err := exec.LookPath("tmux"); err != nil {
		kerneltest.Missing(t, "the terminal test needs tmux: %v", err)
	}
	// A server of its own for each test: the last one's may still be
	// going away.
	term := &terminal{t: t, socket: fmt.Sprintf("hawk-test-%d-%d", os.Getpid(), terminals.Add(1))}
	shell := fmt.Sprintf("env TERM=xterm %s %s; echo EXITED $?; sleep 60", strings.Join(env, " "), strings.Join(append([]string{hawkBin}, args...), " "))
	term.tmux("new-session", "-d", "-s", "hawk", "-x", "150", "-y", "50", shell)
	t.Cleanup(func() { exec.Command("tmux", "-L", term.socket, "kill-server").Run() })
	term.waitScreen("the prompt", func(s string) bool { return lastLine(s) == "hawk>" })
	return term
}

func (term *terminal) tmux(args ...string) string {
	term.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", term.socket}, args...)...).CombinedOutput()
	if err != nil {
		term.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// keys types keys: text, or tmux key names such as Enter, Tab, C-c.
func (term *terminal) keys(keys ...string) {
	term.t.Helper()
	term.tmux(append([]string{"send-keys", "-t", "hawk"}, keys...)...)
}

// screen returns the pane's whole history and screen, lines joined where
// the terminal wrapped them.
func (term *terminal) screen() string {
	return term.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "hawk")
}

// waitScreen waits until ok holds for the screen, and returns it.
func (term *terminal) waitScreen(what string, ok func(string) bool) string {
	term.t.Helper()
	return term.poll("the screen", what, term.screen, ok)
}

// poll reads the terminal with read until ok holds for what it reads,
// and returns that.
func (term *terminal) poll(where, what string, read func() string, ok func(string) bool) string {
	term.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := read()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("%s never showed %s:\n%s", where, what, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (term *terminal) waitFor(re string) string {
	term.t.Helper()
	rx := regexp.MustCompile(re)
	return term.waitScreen(fmt.Sprintf("%q", re), rx.MatchString)
}

// lastLine is the screen's last line that is not empty, trailing spaces
// cut.
func lastLine(screen string) string {
	lines := strings.Split(strings.TrimRight(screen, " \n"), "\n")
	return strings.TrimRight(lines[len(lines)-1], " ")
}

// TestREPLTerminal runs the REPL in a real pseudo-terminal: a multi-line
// probe, tab completion, printf output arriving while a line is typed,
// Ctrl-C at the prompt and in .watch, and Ctrl-D, which prints the maps
// and leaves nothing loaded.
func TestREPLTerminal(t *testing.T) {
	history := filepath.Join(t.TempDir(), "history")
	term := startTerminal(t, "HAWK_HISTORY="+history)

	// A probe typed over two lines.
	term.keys("interval:ms:100 {", "Enter")
	term.waitScreen("the continuation prompt", func(s string) bool { return lastLine(s) == "..." })
	term.keys(`  printf("tick %d\n", @n++); }`, "Enter")
	term.waitFor(`\[1\] interval:ms:100\n`)
	term.waitFor(`tick 2\n`)

	// Completion while ticks arrive: the line typed stays whole, below
	// them.
	term.keys("tracepoint:sysc", "Tab")
	s := term.waitScreen("the completed attach point", func(s string) bool { return lastLine(s) == "hawk> tracepoint:syscalls:" })
	ticks := strings.Count(s, "tick ")
	s = term.waitScreen("more ticks below the line typed", func(s string) bool {
		return strings.Count(s, "tick ") > ticks+3 && lastLine(s) == "hawk> tracepoint:syscalls:"
	})
	if strings.Contains(s, "tick 1tick") || regexp.MustCompile(`hawk> tracepoint:syscalls:tick`).MatchString(s) {
		t.Errorf("output garbled the line typed:\n%s", s)
	}

	// Ctrl-C clears the line.
	term.keys("C-c")
	term.waitScreen("a fresh prompt", func(s string) bool { return lastLine(s) == "hawk>" })

	// An error shows the caret under the text typed; the session goes on.
	term.keys(`BEGIN { @x = nsec; }`, "Enter")
	term.waitFor(`in\[2\]:1:14: error: unknown identifier "nsec"\n\s+BEGIN \{ @x = nsec; \}\n\s+\^~~~`)

	// .watch redraws until Ctrl-C.
	term.keys(".watch @n 200ms", "Enter")
	term.waitFor(`Every 200ms: @n`)
	term.keys("C-c")
	term.waitScreen("the prompt after .watch", func(s string) bool { return lastLine(s) == "hawk>" })

	term.keys(".detach 1", "Enter")
	term.waitFor(`\[1\] detached`)
	term.keys(".probes", "Enter")
	term.waitFor(`no probes attached`)

	// Ctrl-D leaves, printing the maps.
	term.keys("C-d")
	s = term.waitFor(`EXITED 0`)
	if !regexp.MustCompile(`\n@n: \d+\n`).MatchString(s) {
		t.Errorf("Ctrl-D printed no maps:\n%s", s)
	}
	var ids []ebpf.ProgramID
	for _, m := range regexp.MustCompile(`loaded with id (\d+)`).FindAllStringSubmatch(s, -1) {
		id, _ := strconv.Atoi(m[1])
		ids = append(ids, ebpf.ProgramID(id))
	}
	if len(ids) == 0 {
		t.Fatalf("-v printed no program ids:\n%s", s)
	}
	kerneltest.AssertUnloaded(t, ids)
	if h, err := os.ReadFile(history); err != nil || !strings.Contains(string(h), ".watch @n 200ms") {
		t.Errorf("the history file holds %q (%v), want the lines typed", h, err)
	}
}

// TestREPLPipe scripts the REPL through a pipe: no prompts, stdout holds
// what expressions print and the maps at the end, stderr the messages; a
// program given with --repl is the first entry.
func TestREPLPipe(t *testing.T) {
	cmd := hawkCmd(t, "--repl", "-e", "BEGIN { @x = 5; }")
	cmd.Stdin = strings.NewReader("@x * 2\n@y[\"a\"] = 1\n.maps\nBEGIN { @x = \"s\"; }\n.list tracepoint:sched:sched_switch\n")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("hawk --repl: %v\n%s", err, stderr.String())
	}
	if want := "10\ntracepoint:sched:sched_switch\n\n\n@x: 5\n@y[a]: 1\n"; stdout.String() != want {
		t.Errorf("stdout %q, want %q", stdout.String(), want)
	}
	for _, want := range []string{
		"MAP  KEY          VALUE  ENTRIES\n@x   -            int64  1\n@y   [string[2]]  int64  1\n",
		"in[4]:1:14: error: @x holds int64, so it cannot store string[2]",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	if strings.Contains(stderr.String()+stdout.String(), repl.Prompt) {
		t.Errorf("prompts were printed to a pipe")
	}
}

// TestREPLVerifierRefusal: a probe the verifier refuses is reported at
// its statement in the entry, as the checker's errors are, and the REPL
// goes on.
func TestREPLVerifierRefusal(t *testing.T) {
	entry := `BEGIN { $x = 0; unroll(30) { if (rand % 2) { $x = $x * 2 + 1; } else { $x = $x * 2; } if ($x == 7) { printf("seven\n"); } } }`
	cmd := hawkCmd(t, "--repl")
	cmd.Stdin = strings.NewReader(entry + "\n1 + 2\n")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("hawk --repl: %v\n%s", err, stderr.String())
	}
	want := "in[1]:1:34: error: the kernel refused the program for BEGIN\n    " + entry + "\n" + strings.Repeat(" ", 4+33) + "^~~~~~~~\n  verifier: BPF program is too large."
	if !strings.HasPrefix(stderr.String(), want) || !strings.HasPrefix(stdout.String(), "3\n") {
		t.Errorf("stdout %q\nstderr %s\nwant %s", stdout.String(), stderr.String(), want)
	}
}

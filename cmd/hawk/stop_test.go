package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cilium/ebpf"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// slowVerifyScript writes a script whose one program the verifier takes
// seconds on (the sum's every bit is a branch; the last comparison makes
// the verifier keep each sum apart, so it explores every path) and
// returns its path.
func slowVerifyScript(t *testing.T) string {
	var b strings.Builder
	b.WriteString("BEGIN {\n  $i = 0;\n")
	for j := 0; j < 17; j++ {
		fmt.Fprintf(&b, "  if (nsecs & 1) { $i += %d; }\n", 1<<j)
	}
	b.WriteString("  if ($i == 77) { printf(\"x\\n\"); }\n  exit();\n}\n")
	return writeScript(t, "slow-verify.bt", b.String())
}

// slowCompileScript writes a script that takes seconds to compile: a
// hundred thousand statements, one a line.
func slowCompileScript(t *testing.T) string {
	var b strings.Builder
	b.WriteString("BEGIN {\n")
	for i := 0; i < 100000; i++ {
		fmt.Fprintf(&b, "  @a[%d] = %d;\n", i%7, i)
	}
	b.WriteString("}\n")
	return writeScript(t, "slow-compile.bt", b.String())
}

func writeScript(t *testing.T, name, text string) string {
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// stopBound is how soon hawk must be gone after a signal: 100 ms, with a
// margin only when the machine is loaded (more runnable tasks than CPUs,
// as when other test suites run beside this one), said in the log.
func stopBound(t *testing.T) time.Duration {
	const bound = 100 * time.Millisecond
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return bound
	}
	load, _ := strconv.ParseFloat(strings.Fields(string(b))[0], 64)
	ncpu := float64(goruntime.NumCPU())
	if load <= ncpu {
		return bound
	}
	margin := min(time.Duration(float64(bound)*(load/ncpu-1)), 400*time.Millisecond)
	t.Logf("the machine is loaded (load %.1f on %d CPUs): allowing %v more", load, int(ncpu), margin)
	return bound + margin
}

// hawkProc is hawk running for a stop test, its output in files.
type hawkProc struct {
	t              *testing.T
	cmd            *exec.Cmd
	stdout, stderr string // file names
	objs           bpfObjects
}

func startHawk(t *testing.T, args ...string) *hawkProc {
	t.Helper()
	return startCmd(t, hawkCmd(t, args...))
}

// startHawkInBackground starts hawk as a shell script starts a
// background job: with SIGINT ignored.
func startHawkInBackground(t *testing.T, args ...string) *hawkProc {
	t.Helper()
	kerneltest.Require(t)
	return startCmd(t, exec.Command("/bin/sh", append([]string{"-c", `trap '' INT; exec "$0" "$@"`, hawkBin}, args...)...))
}

func startCmd(t *testing.T, cmd *exec.Cmd) *hawkProc {
	t.Helper()
	h := &hawkProc{t: t, cmd: cmd}
	dir := t.TempDir()
	h.stdout, h.stderr = filepath.Join(dir, "stdout"), filepath.Join(dir, "stderr")
	out, _ := os.Create(h.stdout)
	errf, _ := os.Create(h.stderr)
	defer out.Close()
	defer errf.Close()
	h.cmd.Stdout, h.cmd.Stderr = out, errf
	if err := h.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.cmd.Process.Kill(); h.cmd.Wait() })
	return h
}

func (h *hawkProc) output() (stdout, stderr string) {
	o, _ := os.ReadFile(h.stdout)
	e, _ := os.ReadFile(h.stderr)
	return string(o), string(e)
}

// waitFor polls every millisecond until ready says hawk reached the phase
// to interrupt, noting the BPF objects it holds as it goes.
func (h *hawkProc) waitFor(what string, ready func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		h.objs.read(h.cmd.Process.Pid)
		if ready() {
			return
		}
		if processGone(h.cmd.Process.Pid) {
			o, e := h.output()
			h.t.Fatalf("hawk ended before %s: stdout %q, stderr %q", what, o, e)
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("hawk never reached %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// stop sends sig and returns how long hawk took to end.
func (h *hawkProc) stop(sig syscall.Signal) (time.Duration, *os.ProcessState) {
	h.objs.read(h.cmd.Process.Pid)
	start := time.Now()
	h.cmd.Process.Signal(sig)
	st, err := h.cmd.Process.Wait()
	took := time.Since(start)
	if err != nil {
		h.t.Fatal(err)
	}
	return took, st
}

// diedOf reports whether hawk ended as a process the signal killed does:
// killed by it, or exiting with 128 + its number.
func diedOf(st *os.ProcessState, sig syscall.Signal) bool {
	ws := st.Sys().(syscall.WaitStatus)
	return ws.Signaled() && ws.Signal() == sig || ws.Exited() && ws.ExitStatus() == 128+int(sig)
}

// fdKinds counts hawk's file descriptors by what they are: bpf-map,
// bpf-prog, bpf_link, [perf_event].
func fdKinds(pid int) map[string]int {
	n := map[string]int{}
	fds, _ := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/fd/*")
	for _, fd := range fds {
		if target, err := os.Readlink(fd); err == nil {
			n[strings.TrimPrefix(target, "anon_inode:")]++
		}
	}
	return n
}

// hawkMapsCreated reports whether hawk has created its maps (named
// hawk_...), as it does before it loads its programs.
func (h *hawkProc) hawkMapsCreated() bool {
	for id := range h.objs.maps {
		m, err := ebpf.NewMapFromID(ebpf.MapID(id))
		if err != nil {
			continue
		}
		info, err := m.Info()
		m.Close()
		if err == nil && strings.HasPrefix(info.Name, "hawk_") {
			return true
		}
	}
	return false
}

// signalCases are the ways to stop hawk the stop tests try: Ctrl-C,
// SIGTERM, and Ctrl-C to a hawk started with SIGINT ignored.
var signalCases = []struct {
	name  string
	sig   syscall.Signal
	start func(*testing.T, ...string) *hawkProc
}{
	{"SIGINT", syscall.SIGINT, startHawk},
	{"SIGTERM", syscall.SIGTERM, startHawk},
	{"SIGINT in the background", syscall.SIGINT, startHawkInBackground},
}

// TestSignalWhilePreparing: Ctrl-C and SIGTERM while hawk compiles, and
// while the kernel verifies a program that takes it seconds, end hawk
// within 100 ms: it dies of the signal (status 128 + N in a shell),
// prints nothing, and leaves nothing in the kernel. So does Ctrl-C in a
// hawk started with SIGINT ignored, as a shell script's background job.
func TestSignalWhilePreparing(t *testing.T) {
	compileScript, verifyScript := slowCompileScript(t), slowVerifyScript(t)
	for _, tc := range signalCases {
		sig := tc.sig
		t.Run("compile/"+tc.name, func(t *testing.T) {
			h := tc.start(t, compileScript)
			started := time.Now()
			h.waitFor("compiling", func() bool { return time.Since(started) > 200*time.Millisecond })
			if h.hawkMapsCreated() {
				t.Fatalf("hawk loads already: the compile took less than 200 ms")
			}
			h.assertStopped(sig, stopBound(t))
		})
		t.Run("verify/"+tc.name, func(t *testing.T) {
			h := tc.start(t, verifyScript)
			h.waitFor("loading", h.hawkMapsCreated)
			time.Sleep(50 * time.Millisecond) // well into the verifier's seconds
			h.objs.read(h.cmd.Process.Pid)
			for _, name := range h.objs.programNames() {
				if strings.HasPrefix(name, "hawk_") {
					t.Fatalf("the verifier accepted %s already", name)
				}
			}
			h.assertStopped(sig, stopBound(t))
		})
	}
}

// assertStopped sends sig and checks that hawk died of it within bound,
// printed nothing, and left nothing loaded.
func (h *hawkProc) assertStopped(sig syscall.Signal, bound time.Duration) {
	t := h.t
	t.Helper()
	took, st := h.stop(sig)
	stdout, stderr := h.output()
	t.Logf("%v: ended %v after the signal (%v)", sig, took.Round(time.Millisecond), st)
	if !diedOf(st, sig) || stdout != "" || stderr != "" {
		t.Errorf("%v: %v, stdout %q, stderr %q", sig, st, stdout, stderr)
	}
	if took > bound {
		t.Errorf("%v: hawk took %v to end, more than %v", sig, took, bound)
	}
	h.objs.assertReleased(t)
}

// TestSignalWhileRunning: once BEGIN has run, Ctrl-C and SIGTERM end the
// run as exit() does, within 100 ms for a script of one tracepoint: END
// runs, the maps print, exit 0, nothing stays loaded.
func TestSignalWhileRunning(t *testing.T) {
	for _, tc := range signalCases {
		sig := tc.sig
		t.Run(tc.name, func(t *testing.T) {
			h := tc.start(t, "-e", `tracepoint:sched:sched_switch { @switches = count(); } END { printf("end\n"); }`)
			h.waitFor("the event loop", func() bool { _, e := h.output(); return strings.Contains(e, "Attached 2 probes\n") })
			time.Sleep(50 * time.Millisecond)
			took, st := h.stop(sig)
			stdout, _ := h.output()
			t.Logf("%v: ended %v after the signal", sig, took.Round(time.Millisecond))
			if st.ExitCode() != 0 || !strings.HasPrefix(stdout, "end\n\n\n@switches: ") {
				t.Errorf("%v: %v, stdout %q", sig, st, stdout)
			}
			if bound := stopBound(t); took > bound {
				t.Errorf("%v: hawk took %v to end, more than %v", sig, took, bound)
			}
			h.objs.assertReleased(t)
		})
	}
}

// TestSignalWhileAttaching: a signal while many probes attach stops
// attaching at once; the run then ends as exit() ends it: the probes
// attached are detached, END runs, exit 0, nothing stays loaded. How long
// that takes is the kernel's: detaching a uprobe waits for grace periods
// that the kernel serializes, tens of milliseconds each.
func TestSignalWhileAttaching(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash to attach uprobes to")
	}
	// At addresses, the uprobes attach one perf event at a time (a pattern
	// of functions attaches through one uprobe_multi link, at once).
	h := startHawk(t, "-e", uprobesAtAddresses(t, bash)+` { } END { printf("end\n"); }`)
	pid := h.cmd.Process.Pid
	h.waitFor("attaching", func() bool { return fdKinds(pid)["[perf_event]"] >= 5 })
	attached := fdKinds(pid)["[perf_event]"]
	// Watch how many more attach after the signal, and until when.
	most := attached
	sent := time.Now()
	lastRise := sent
	watch := make(chan struct{})
	go func() {
		defer close(watch)
		for !processGone(pid) {
			if n := fdKinds(pid)["[perf_event]"]; n > most {
				most, lastRise = n, time.Now()
			}
			time.Sleep(time.Millisecond)
		}
	}()
	took, st := h.stop(syscall.SIGINT)
	<-watch
	stdout, stderr := h.output()
	attaching := max(lastRise.Sub(sent), 0)
	t.Logf("SIGINT with %d uprobes attached: ended %v after it, %d attached at most, the last %v after it",
		attached, took.Round(time.Millisecond), most, attaching.Round(time.Millisecond))
	if st.ExitCode() != 0 || stdout != "end\n\n\n" || strings.Contains(stderr, "Attached") {
		t.Errorf("%v, stdout %q, stderr %q", st, stdout, stderr)
	}
	// At an address one uprobe attaches about every millisecond, of 1,600
	// and more: attaching must stop as soon as hawk sees the signal, which
	// a loaded machine delays.
	if bound := stopBound(t); attaching > bound {
		t.Errorf("attaching went on for %v after the signal (%d attached then, %d after), more than %v", attaching, attached, most, bound)
	}
	h.objs.assertReleased(t)
}

// TestSignalWhilePrintingMaps: once the run is ending, a signal ends
// hawk at once, even one stuck writing the maps to a reader that does not
// read.
func TestSignalWhilePrintingMaps(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := hawkCmd(t, "-q", "-e", `config = { max_map_keys = 100000 } BEGIN { $i = 0; while ($i < 50000) { @m[$i] = $i; $i++; } exit(); }`)
			stdout, err := cmd.StdoutPipe() // never read: hawk blocks once the pipe is full
			if err != nil {
				t.Fatal(err)
			}
			defer stdout.Close()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			h := &hawkProc{t: t, cmd: cmd}
			t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
			pid := cmd.Process.Pid
			h.waitFor("printing the maps", func() bool { return writingStdout(pid) })
			took, st := h.stop(sig)
			t.Logf("%v: ended %v after the signal (%v)", sig, took.Round(time.Millisecond), st)
			if !diedOf(st, sig) {
				t.Errorf("%v: %v", sig, st)
			}
			if bound := stopBound(t); took > bound {
				t.Errorf("%v: hawk took %v to end, more than %v", sig, took, bound)
			}
			h.objs.assertReleased(t)
		})
	}
}

// TestSigintUnderHeavyLoad is bpftrace's runtime test of that name: a
// probe on every context switch runs a command, which switches contexts
// more; the storm keeps both CPUs busy, and events queue faster than their
// commands run. Ctrl-C must still end the run within a second, with END.
func TestSigintUnderHeavyLoad(t *testing.T) {
	h := startHawk(t, "--unsafe", "-e", `tracepoint:sched:sched_switch { system("echo foo"); } END { print("end"); }`)
	h.waitFor("the event loop", func() bool { _, e := h.output(); return strings.Contains(e, "Attached 2 probes\n") })
	time.Sleep(2 * time.Second)
	took, st := h.stop(syscall.SIGINT)
	stdout, _ := h.output()
	t.Logf("ended %v after SIGINT; %d commands ran", took.Round(time.Millisecond), strings.Count(stdout, "foo\n"))
	if st.ExitCode() != 0 || !strings.HasSuffix(stdout, "end\n\n\n") {
		t.Errorf("%v, stdout ends %q", st, stdout[max(0, len(stdout)-100):])
	}
	if took > time.Second {
		t.Errorf("hawk took %v to end after SIGINT, more than 1s", took)
	}
	h.objs.assertReleased(t)
}

// writingStdout reports whether a thread of pid is blocked writing to its
// standard output.
func writingStdout(pid int) bool {
	files, _ := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/*/syscall")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		// "1 0x1 ...": write(2) to fd 1, on x86-64.
		if fields := strings.Fields(string(b)); len(fields) > 1 && fields[0] == strconv.Itoa(int(syscall.SYS_WRITE)) && fields[1] == "0x1" {
			return true
		}
	}
	return false
}

package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hawktrace/hawk/internal/golden"
	"github.com/hawktrace/hawk/internal/throughput"
)

// seekProbe traces this test process's lseek calls: a workload whose
// values (the offsets) the test chooses, negative ones included. An
// offset of 999999 ends the script.
const seekProbe = `tracepoint:syscalls:sys_enter_lseek /pid == $1/ `

// seekOffsets is the workload: -5, 0, 1, 3, 50 (twice), 150 and 1000;
// hist buckets between them stay empty.
var seekOffsets = []int64{-5, 0, 1, 3, 50, 50, 150, 1000}

// runWorkload starts hawk with args (the test's pid appended as $1),
// waits for its probes to attach, runs work, and waits for hawk to end;
// when work returns true, hawk is interrupted (Ctrl-C) first.
func runWorkload(t *testing.T, work func() bool, args ...string) (stdout, stderr string) {
	t.Helper()
	cmd := hawkCmd(t, append(args, strconv.Itoa(os.Getpid()))...)
	var out bytes.Buffer
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	errPipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var errText strings.Builder
	attached := make(chan struct{}, 2)
	outDone, errDone := make(chan struct{}), make(chan struct{})
	// The banner is on stderr in text, an attached_probes object on stdout
	// in JSON; a stream that ends counts too, so that errors show.
	watch := func(r io.Reader, into interface{ WriteString(string) (int, error) }, done chan struct{}) {
		defer close(done)
		br := bufio.NewReader(r)
		for {
			line, err := br.ReadString('\n')
			into.WriteString(line)
			if strings.Contains(line, "Attached") || strings.Contains(line, "attached_probes") || err != nil {
				select {
				case attached <- struct{}{}:
				default:
				}
			}
			if err != nil {
				return
			}
		}
	}
	go watch(outPipe, &out, outDone)
	go watch(errPipe, &errText, errDone)
	select {
	case <-attached:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("hawk did not attach within 10 s")
	}
	if work() {
		cmd.Process.Signal(os.Interrupt)
	}
	wait := make(chan error, 1)
	go func() {
		<-outDone
		<-errDone
		wait <- cmd.Wait()
	}()
	select {
	case err := <-wait:
		<-errDone
		if code := exitCode(err); code != 0 {
			t.Errorf("exit status %d; stderr:\n%s", code, errText.String())
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("hawk did not end within 10 s; stdout %q", out.String())
	}
	return out.String(), errText.String()
}

// seeks runs the lseek workload, then the offset that ends the script.
func seeks() bool {
	for i, off := range seekOffsets {
		syscall.Seek(-1, off, i%2)
	}
	return endSeek()
}

// endSeek makes the call that ends the scripts here.
func endSeek() bool {
	syscall.Seek(-1, 999999, 0)
	return false
}

// TestWorkloadOutput drives every aggregation and map function with a
// real syscall workload and compares stdout, text and JSON, with
// testdata/workload/NAME.txt (go test -update rewrites them; each was
// checked by hand against the offsets above).
func TestWorkloadOutput(t *testing.T) {
	aggregations := seekProbe + `{
	$o = (int64)args.offset;
	if ($o == 999999) { exit(); return; }
	@h = hist($o);
	@h2[args.whence] = hist($o, 1);
	@l = lhist($o, 0, 100, 20);
	@s = stats($o);
	@a = avg($o);
	@mn = min($o);
	@mx = max($o);
	@sum = sum($o);
	@c[args.whence] = count();
	@by[$o] = sum($o);
}`
	printing := seekProbe + `{
	$o = (int64)args.offset;
	if ($o != 999999) { @m[$o] = sum($o * 10); @k[$o] = 1; return; }
	print(@m, 2, 10);
	print(@m, 0, 100);
	clear(@m);
	print(@m);
	delete(@k, 50);
	delete(@k[1000]);
	printf("has %d %d len %d\n", has_key(@k, 3), has_key(@k, 50), len(@k));
	print(@k[3]);
	zero(@k);
	exit();
}`
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"aggregations", []string{"-e", aggregations}},
		{"aggregations_json", []string{"-f", "json", "-e", aggregations}},
		{"printing", []string{"-e", printing}},
		{"printing_json", []string{"-f", "json", "-e", printing}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, _ := runWorkload(t, seeks, tc.args...)
			stdout = dropAttached(stdout)
			golden.Check(t, filepath.Join("testdata", "workload", tc.name+".txt"), stdout)
		})
	}
}

// dropAttached removes the attached_probes line of JSON output, which
// comes before or after BEGIN's output depending on timing.
func dropAttached(s string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(s, "\n") {
		if !strings.Contains(line, `"attached_probes"`) {
			b.WriteString(line)
		}
	}
	return b.String()
}

// TestActions runs the async actions on real events.
func TestActions(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "note.txt")
	if err := os.WriteFile(file, []byte("hello cat\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `tracepoint:syscalls:sys_enter_lseek /pid == $1 && args.offset == 999999/ {
	cat("%s", FILE);
	system("echo system %d", 7);
	errorf("bad %d", 1);
	warnf("odd %s", "x");
	printf("%s|\n", strftime("%Y", nsecs));
	exit();
}`
	stdout, stderr := runWorkload(t, endSeek,
		"--unsafe", "-e", strings.ReplaceAll(script, "FILE", `"`+file+`"`))
	year := strconv.Itoa(time.Now().Year())
	if want := "hello cat\nsystem 7\n"; !strings.HasPrefix(stdout, want) {
		t.Errorf("stdout %q does not start with %q", stdout, want)
	}
	if !strings.Contains(stdout, year+"|") {
		t.Errorf("stdout %q lacks the year %s", stdout, year)
	}
	for _, want := range []string{"stdin:4:2-21: ERROR: bad 1\n", "stdin:5:2-22: WARNING: odd x\n"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q lacks %q", stderr, want)
		}
	}
	stdout, _ = runWorkload(t, endSeek,
		"--unsafe", "-f", "json", "-e", strings.ReplaceAll(script, "FILE", `"`+file+`"`))
	for _, want := range []string{
		`{"type": "cat", "data": "hello cat\n"}`, `{"type": "syscall", "data": "system 7\n"}`,
		`{"type": "errorf", "msg": "bad 1", "filename": "stdin", "line": 4, "col": 2}`,
		`{"type": "warnf", "msg": "odd x", "filename": "stdin", "line": 5, "col": 2}`,
	} {
		if !strings.Contains(stdout, want+"\n") {
			t.Errorf("JSON output %q lacks %q", stdout, want)
		}
	}
}

// TestMapFullReported fills a map and expects one warning naming it and
// the line that adds its keys.
func TestMapFullReported(t *testing.T) {
	stdout, stderr, code := runConstruct(t, construct{script: `config = { max_map_keys = 4 }
BEGIN { for ($i : 0..10) { @m[$i] = $i; } exit(); }`})
	if code != 0 {
		t.Fatalf("exit status %d: %s", code, stderr)
	}
	want := "stdin:2:28-34: WARNING: Map full; can't update element: @m holds its 4 keys, and new keys are dropped from here on. " +
		"Raise max_map_keys or give the map a size: let @m = hash(8)\n" +
		"BEGIN { for ($i : 0..10) { @m[$i] = $i; } exit(); }\n" +
		"                           ~~~~~~\n"
	if strings.Count(stderr, "Map full") != 1 || !strings.Contains(stderr, want) {
		t.Errorf("stderr:\n%s\nwant once:\n%s", stderr, want)
	}
	if strings.Count(stdout, "@m[") != 4 {
		t.Errorf("stdout %q: want 4 keys", stdout)
	}
}

// TestOutputFileAndPipe checks -o FILE, and that a reader going away ends
// hawk cleanly with its probes detached.
func TestOutputFileAndPipe(t *testing.T) {
	file := filepath.Join(t.TempDir(), "out.txt")
	cmd := hawkCmd(t, "-q", "-o", file, "-e", `BEGIN { printf("to file\n"); @x = 1; exit(); }`)
	if out, err := cmd.CombinedOutput(); err != nil || len(out) != 0 {
		t.Fatalf("%v: %s", err, out)
	}
	if b, _ := os.ReadFile(file); string(b) != "to file\n\n\n@x: 1\n" {
		t.Errorf("file holds %q", b)
	}

	// hawk ... | head -1: the pipe closes after the first line.
	cmd = hawkCmd(t, "-q", "-e", `tracepoint:syscalls:sys_enter_getppid { printf("%d\n", pid); }`)
	r, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
				syscall.Getppid()
				time.Sleep(time.Millisecond)
			}
		}
	}()
	defer close(stop)
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil || line == "" {
		t.Fatalf("no first line: %v", err)
	}
	r.Close()
	wait := make(chan error, 1)
	go func() { wait <- cmd.Wait() }()
	select {
	case err := <-wait:
		if code := exitCode(err); code != 0 {
			t.Errorf("hawk ended with status %d after its reader went away", code)
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("hawk kept running after its reader went away")
	}
}

// TestPrintfAccounting sends 200,000 printf events from a syscall loop:
// every one is printed or reported lost. (make bench runs a million and
// reports the cost per event.)
func TestPrintfAccounting(t *testing.T) {
	hawkCmd(t) // requires the kernel
	r, err := throughput.Run(hawkBin, 200000)
	if err != nil {
		t.Fatal(err)
	}
	if u := r.Unaccounted(); u > 0 {
		t.Errorf("%d of %d events neither printed nor reported lost (%d printed, %d lost)", u, r.Events, r.Printed, r.Lost)
	}
}

// stackProgram calls main.leaf through main.middle three times, then
// returns. Go keeps frame pointers, so its user stacks unwind.
const stackProgram = `package main

import "syscall"

//go:noinline
func leaf() { syscall.Getppid() }

//go:noinline
func middle() { leaf() }

func main() {
	for i := 0; i < 3; i++ {
		middle()
	}
}
`

// buildStackProgram builds stackProgram in a temporary directory of t and
// returns the paths of its source and its binary.
func buildStackProgram(t *testing.T) (src, bin string) {
	t.Helper()
	dir := t.TempDir()
	src, bin = filepath.Join(dir, "main.go"), filepath.Join(dir, "stacky")
	if err := os.WriteFile(src, []byte(stackProgram), 0o644); err != nil {
		t.Fatal(err)
	}
	build := exec.Command("go", "build", "-o", bin, src)
	build.Dir = dir
	build.Env = append(os.Environ(), "GO111MODULE=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the test program: %v\n%s", err, out)
	}
	return src, bin
}

// TestUserStacks traces a program the test builds: ustack in each mode,
// as a map key and in printf, and usym/uaddr. The maps print after the
// program has exited: its symbols resolve from the mappings hawk read
// when it first saw the process.
func TestUserStacks(t *testing.T) {
	hawkCmd(t) // requires the kernel
	_, bin := buildStackProgram(t)
	// Without source lines (show_debug_info, which ustack_dwarf_test.go
	// tests): Go's runtime's inlined frames vary with its version.
	script := `config = { show_debug_info = 0 } uprobe:` + bin + `:main.leaf {
	@[ustack(3)] = count();
	@perf[ustack(perf, 2)] = count();
	printf("%s|%s%s\n", usym(uaddr("main.middle")), usym(uaddr("main.leaf") + 1), ustack(2));
}`
	stdout, stderr := runWorkload(t, func() bool {
		if out, err := exec.Command(bin).CombinedOutput(); err != nil {
			t.Errorf("%v: %s", err, out)
		}
		return true
	}, "-e", script)
	// At a function's first instruction its frame is not set up yet, so
	// frame-pointer unwinding goes from main.leaf to main.middle's caller,
	// as it does in bpftrace.
	line := "main.middle\\|main.leaf\n        main.leaf\\+0\n        main.main\\+\\d+\n\n"
	want := "^(" + line + "){3}\n\n" +
		"@\\[\n        main.leaf\\+0\n        main.main\\+\\d+\n        runtime.main\\+\\d+\n\\]: 3\n" +
		"@perf\\[\n\t[0-9a-f]+ main.leaf\\+0 \\(" + regexp.QuoteMeta(bin) + "\\)\n\t[0-9a-f]+ main.main\\+\\d+ \\(" + regexp.QuoteMeta(bin) + "\\)\n\\]: 3\n$"
	if !regexp.MustCompile(want).MatchString(stdout) {
		t.Errorf("stdout:\n%s\ndoes not match\n%s\nstderr: %s", stdout, want, stderr)
	}
}

// TestSignal kills a sleeping child from its own syscall with signal().
func TestSignal(t *testing.T) {
	var child *exec.Cmd
	var childErr error
	start := time.Now()
	runWorkload(t, func() bool {
		child = exec.Command("/bin/sleep", "5")
		childErr = child.Run()
		return false
	}, "--unsafe", "-e", `tracepoint:syscalls:sys_enter_clock_nanosleep /comm == "sleep" && $1 > 0/ { signal("SIGKILL"); exit(); }`)
	var ee *exec.ExitError
	if !errors.As(childErr, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Errorf("sleep ended with %v, want killed by SIGKILL", childErr)
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("sleep ran %v: not killed at its first nanosleep", d)
	}
}

package object_test

import (
	"context"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/codegen/object"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
)

// session is a script compiled on this host, written to an object file,
// read back and running from the object.
type session struct {
	stdout, stderr *kerneltest.Buffer
	done           chan struct{}
	code           int
	err            error
}

// runObject compiles text, goes through an object file, loads what Read
// returns and runs it in the background. It returns once the probes are
// attached.
func runObject(t *testing.T, text string, params ...string) *session {
	t.Helper()
	kerneltest.Require(t)
	script, err := hawk.Compile(lang.NewSource("test.bt", text), hawk.Config{Params: params})
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	file := filepath.Join(t.TempDir(), "test.o")
	if err := os.WriteFile(file, write(t, script.Out), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out, err := object.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	s := &session{stdout: &kerneltest.Buffer{}, stderr: &kerneltest.Buffer{}, done: make(chan struct{})}
	sess, err := runtime.Load(out, runtime.Options{Stdout: s.stdout, Stderr: s.stderr})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	t.Cleanup(func() { sess.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	go func() {
		defer close(s.done)
		s.code, s.err = sess.Run(ctx)
	}()
	for !strings.Contains(s.stderr.String(), "Attached") {
		select {
		case <-s.done:
			return s
		case <-ctx.Done():
			t.Fatalf("no banner; stderr: %q", s.stderr.String())
		case <-time.After(time.Millisecond):
		}
	}
	return s
}

// wait waits for the script to exit by itself.
func (s *session) wait(t *testing.T) {
	t.Helper()
	<-s.done
	if s.err != nil {
		t.Fatalf("run: %v\nstderr: %s", s.err, s.stderr)
	}
}

func TestKernelBegin(t *testing.T) {
	s := runObject(t, `BEGIN { printf("hi %d\n", 42); @c = count(); exit(); }`)
	s.wait(t)
	got := s.stdout.String()
	if !strings.Contains(got, "hi 42\n") || !strings.Contains(got, "@c: 1\n") {
		t.Errorf("stdout %q", got)
	}
	if s.code != 0 {
		t.Errorf("exit code %d", s.code)
	}
}

// TestKernelLoops runs callbacks (bpf_loop, for_each_map_elem), which need
// the BTF function info of .BTF.ext.
func TestKernelLoops(t *testing.T) {
	s := runObject(t, `BEGIN { $i = 0; while ($i < 5) { $i++; } @m[7] = 8;
		for ($kv : @m) { printf("kv %d %d\n", $kv.0, $kv.1); } printf("i %d\n", $i); exit(); }`)
	s.wait(t)
	if got := s.stdout.String(); !strings.Contains(got, "kv 7 8\ni 5\n") {
		t.Errorf("stdout %q", got)
	}
}

// TestKernelTracepoint reads a tracepoint's fields from a program loaded
// from an object.
func TestKernelTracepoint(t *testing.T) {
	goruntime.LockOSThread()
	defer goruntime.UnlockOSThread()
	s := runObject(t, `tracepoint:syscalls:sys_enter_openat /tid == $1/ { printf("open %s\n", str(args.filename)); @n = count(); exit(); }`,
		strconv.Itoa(unix.Gettid()))
	for {
		select {
		case <-s.done:
		default:
			if fd, err := unix.Openat(unix.AT_FDCWD, "/dev/null", unix.O_RDONLY, 0); err == nil {
				unix.Close(fd)
			}
			time.Sleep(5 * time.Millisecond)
			continue
		}
		break
	}
	s.wait(t)
	if got := s.stdout.String(); !strings.Contains(got, "open /dev/null\n") || !strings.Contains(got, "@n: 1\n") {
		t.Errorf("stdout %q", got)
	}
}

package object_test

import (
	"os"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/codegen/object"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/internal/runtest"
	"github.com/hawktrace/hawk/lang"
)

// runObject compiles text, goes through an object file, and runs what
// Read returns in the background. It returns once the probes are
// attached.
func runObject(t *testing.T, text string, params ...string) *runtest.Running {
	t.Helper()
	kerneltest.Require(t)
	script, err := hawk.Compile(lang.NewSource("test.bt", text), hawk.Config{Params: params})
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	return runtest.Start(t, throughFile(t, script.Out))
}

// throughFile writes out as an object file and reads it back.
func throughFile(t *testing.T, out *codegen.Output) *codegen.Output {
	t.Helper()
	file := filepath.Join(t.TempDir(), "test.o")
	if err := os.WriteFile(file, write(t, out), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	back, err := object.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

func TestKernelBegin(t *testing.T) {
	s := runObject(t, `BEGIN { printf("hi %d\n", 42); @c = count(); exit(); }`)
	s.Wait(t)
	got := s.Stdout.String()
	if !strings.Contains(got, "hi 42\n") || !strings.Contains(got, "@c: 1\n") {
		t.Errorf("stdout %q", got)
	}
	if s.Code != 0 {
		t.Errorf("exit code %d", s.Code)
	}
}

// TestKernelLoops runs callbacks (bpf_loop, for_each_map_elem), which need
// the BTF function info of .BTF.ext.
func TestKernelLoops(t *testing.T) {
	s := runObject(t, `BEGIN { $i = 0; while ($i < 5) { $i++; } @m[7] = 8;
		for ($kv : @m) { printf("kv %d %d\n", $kv.0, $kv.1); } printf("i %d\n", $i); exit(); }`)
	s.Wait(t)
	if got := s.Stdout.String(); !strings.Contains(got, "kv 7 8\ni 5\n") {
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
	// The probe is attached: one open ends the run.
	if fd, err := unix.Openat(unix.AT_FDCWD, "/dev/null", unix.O_RDONLY, 0); err == nil {
		unix.Close(fd)
	}
	s.Wait(t)
	if got := s.Stdout.String(); !strings.Contains(got, "open /dev/null\n") || !strings.Contains(got, "@n: 1\n") {
		t.Errorf("stdout %q", got)
	}
}

// TestKernelStringBytes: a script whose strings hold bytes that are not
// UTF-8 (raw in the source and as \x escapes: printf formats, literal
// arguments, map keys, time formats, printed strings, the script's file
// name) prints from its object exactly the bytes it prints when run
// directly.
func TestKernelStringBytes(t *testing.T) {
	kerneltest.Require(t)
	text := "BEGIN { printf(\"a\xdcb \\xdc %s\\n\", \"c\xffd\"); printf(\"%X\xdc0\\n\", (0)); @m[\"k\\xfe\xe2\x82\"] = 1;\n" +
		"\tprint(\"p\xed\xa0\x80\"); time(\"t\xdc\\n\"); exit(); }"
	script, err := hawk.Compile(lang.NewSource("s\xdc.bt", text), hawk.Config{})
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	direct := runtest.Start(t, script.Out)
	direct.Wait(t)
	want := "a\xdcb \xdc c\xffd\n0\xdc0\np\xed\xa0\x80\nt\xdc\n\n\n@m[k\xfe\xe2\x82]: 1\n"
	if got := direct.Stdout.String(); got != want {
		t.Fatalf("run directly, the script prints %q, want %q", got, want)
	}
	obj := runtest.Start(t, throughFile(t, script.Out))
	obj.Wait(t)
	if got := obj.Stdout.String(); got != want {
		t.Errorf("run from its object, the script prints %q, want %q", got, want)
	}
}

// TestKernelKfunc: kernel function calls (comm(pid)'s) survive the object:
// declared extern in .ksyms, the loader resolves them.
func TestKernelKfunc(t *testing.T) {
	s := runObject(t, `interval:ms:10 { printf("[%s] [%s]\n", comm($1), comm(0x7ffffff0)); exit(); }`, strconv.Itoa(os.Getpid()))
	s.Wait(t)
	b, err := os.ReadFile("/proc/self/comm")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Stdout.String(), "["+strings.TrimSpace(string(b))+"] [N/A]\n"; !strings.HasPrefix(got, want) {
		t.Errorf("stdout %q, want %q first", got, want)
	}
}

package main

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// TestIteratorKinds walks iterators beyond the task ones, reading their
// context's members, which come from the kernel's BTF.
func TestIteratorKinds(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	runConstructs(t, []construct{
		{
			// hawk's own ring buffer is one of the maps.
			name:   "bpf_map",
			script: `iter:bpf_map /ctx.map.name == "hawk_events"/ { @[ctx.map.name] = count(); }`,
			re:     `^\n\n@\[hawk_events\]: [1-9][0-9]*\n$`,
		},
		{
			name:   "bpf_prog",
			script: `iter:bpf_prog /ctx.prog.aux.name == "hawk_it0"/ { @ = count(); }`,
			re:     `^\n\n@: [1-9][0-9]*\n$`,
		},
		{
			name:   "tcp",
			script: `iter:tcp /ctx.sk_common.skc_num == $1/ { printf("%d %d\n", ctx.sk_common.skc_state, ctx.uid); }`,
			args:   []string{port},
			out:    "10 " + strconv.Itoa(os.Getuid()) + "\n", // TCP_LISTEN
		},
		{
			name:   "ksym",
			script: `iter:ksym /ctx.ksym.name == "vfs_read"/ { printf("%s %d\n", ctx.ksym.name, ctx.ksym.value != 0); }`,
			out:    "vfs_read 1\n",
		},
		{
			name:   "kmem_cache",
			script: `iter:kmem_cache /str(ctx.s.name) == "task_struct"/ { printf("%s\n", str(ctx.s.name)); }`,
			out:    "task_struct\n",
		},
	})
}

// TestIteratorRefused: iterators the kernel lacks, and those that walk
// from an object the link names, are refused at the attach point.
func TestIteratorRefused(t *testing.T) {
	for script, want := range map[string]string{
		`iter:hawk_nothing { @ = count(); }`: `-e:1:1: error: unknown iterator "hawk_nothing": the kernel has no struct bpf_iter__hawk_nothing`,
		`iter:bpf_map_elem { @ = count(); }`: `-e:1:1: error: iter:bpf_map_elem walks from one object (a map, a socket map or a cgroup), which an iter probe cannot name`,
	} {
		if code, _, stderr := hawkOut(t, "-e", script); code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d, stderr:\n%s", script, code, stderr)
		}
	}
	code, stdout, _ := hawkOut(t, "-l", "iter:*")
	for _, want := range []string{"iter:bpf_map\n", "iter:tcp\n", "iter:ksym\n", "iter:task\n"} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("-l iter:* lacks %s: exit %d, stdout:\n%s", want, code, stdout)
		}
	}
	if strings.Contains(stdout, "iter:bpf_map_elem") {
		t.Errorf("-l iter:* lists an iterator iter probes cannot walk:\n%s", stdout)
	}
}

// TestIteratorPin pins an iterator to a bpf filesystem mounted for the
// test and ends: the pin stays, and reading it runs the iterator, whose
// printf writes into what the read returns.
func TestIteratorPin(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mount("bpf", dir, "bpf", 0, ""); err != nil {
		kerneltest.Missing(t, "mounting a bpf filesystem: %v", err)
	}
	defer syscall.Unmount(dir, 0)
	pin := filepath.Join(dir, "tasks")
	self := strconv.Itoa(os.Getpid())
	code, stdout, stderr := hawkOut(t, "-q", "-e", `iter:task:`+pin+` /ctx.task.pid == `+self+`/ { printf("%d %s|\n", ctx.task.pid, ctx.task.comm); }`)
	if code != 0 || !strings.HasPrefix(stdout, "Program pinned to "+pin+"\n") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	b, err := os.ReadFile(pin)
	comm, _ := os.ReadFile("/proc/self/comm")
	if want := self + " " + strings.TrimSpace(string(comm)) + "|\n"; err != nil || string(b) != want {
		t.Errorf("reading the pin: %q, %v; want %q", b, err, want)
	}
	os.Remove(pin)
	// A relative pin is under /sys/fs/bpf; where that is no bpf
	// filesystem, pinning fails.
	var st syscall.Statfs_t
	const bpfMagic = 0xcafe4a11
	if syscall.Statfs("/sys/fs/bpf", &st) == nil && st.Type != bpfMagic {
		code, _, stderr := hawkOut(t, "-e", `iter:task:hawk_test_pin { @ = count(); }`)
		if code == 0 || !strings.Contains(stderr, "pinning the iterator at /sys/fs/bpf/hawk_test_pin") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	}
}

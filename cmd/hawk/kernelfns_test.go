package main

import (
	"bufio"
	"encoding/binary"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/runtime/kernel"
)

// cgroup2Dir makes a cgroup in the machine's cgroup v2 hierarchy for the
// test, and returns its path from the hierarchy's root and its directory.
func cgroup2Dir(t *testing.T) (rel, dir string) {
	t.Helper()
	kerneltest.Require(t) // it makes a cgroup: root only
	f, err := os.Open("/proc/mounts")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	root := ""
	for sc := bufio.NewScanner(f); sc.Scan(); {
		if fields := strings.Fields(sc.Text()); len(fields) > 2 && fields[2] == "cgroup2" {
			root = fields[1]
			break
		}
	}
	if root == "" {
		kerneltest.Missing(t, "no cgroup v2 hierarchy is mounted")
	}
	rel = "/hawk-test-" + strconv.Itoa(os.Getpid())
	dir = filepath.Join(root, rel, "inner")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		os.Remove(dir)
		os.Remove(filepath.Join(root, rel))
	})
	return rel + "/inner", dir
}

// TestCgroupPath prints a cgroup's id as its path in the cgroup v2
// hierarchy ("unified"), in text and JSON; cgroupid() reads the id at
// compile time, which is the directory's inode.
func TestCgroupPath(t *testing.T) {
	rel, dir := cgroup2Dir(t)
	var st syscall.Stat_t
	if err := syscall.Stat(dir, &st); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatUint(st.Ino, 10)
	runConstructs(t, []construct{
		{
			name:   "text",
			script: `BEGIN { print(cgroup_path(` + id + `, "unified")); printf("%s|%d\n", cgroup_path(cgroupid("` + dir + `"), "uni*"), cgroupid("` + dir + `")); @[cgroup_path(` + id + `, "unified")] = count(); exit(); }`,
			out:    "unified:" + rel + "\nunified:" + rel + "|" + id + "\n",
			maps:   "@[unified:" + rel + "]: 1\n",
		},
		{
			name:   "filtered_out",
			script: `BEGIN { printf("[%s]\n", cgroup_path(` + id + `, "nothing")); exit(); }`,
			out:    "[]\n",
		},
		{
			// The root of every hierarchy is "/": v2 first, then v1.
			name:   "current",
			script: `BEGIN { printf("%s\n", cgroup_path(cgroup)); exit(); }`,
			re:     `^unified:/[^\n]*\n\n\n$`,
		},
	})
	code, stdout, stderr := hawkOut(t, "-q", "-f", "json", "-e", `BEGIN { print(cgroup_path(`+id+`, "unified")); exit(); }`)
	if want := `{"type": "value", "data": "unified:` + rel + `"}`; code != 0 || !strings.Contains(stdout, want) {
		t.Errorf("json: exit %d, stdout %q, want %s; stderr %q", code, stdout, want, stderr)
	}
}

// TestCgroupidMissing: a path that is no cgroup is refused at its place.
func TestCgroupidMissing(t *testing.T) {
	script := `BEGIN { print(cgroupid("/hawk/no/such/cgroup")); }`
	code, _, stderr := hawkOut(t, "-e", script)
	if code != 1 || !strings.Contains(stderr, `-e:1:24: error: cgroupid("/hawk/no/such/cgroup"): reading the cgroup id of /hawk/no/such/cgroup`) {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

// TestSocketCookie takes the cookie of the test's own listening socket
// from the tcp iterator's context, and compiles a raw tracepoint to a BTF
// one so that its arguments are the kernel's typed objects.
func TestSocketCookie(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	runConstructs(t, []construct{{
		name:   "iter_tcp",
		script: `iter:tcp /ctx.sk_common.skc_num == $1/ { $c = socket_cookie(ctx.sk_common); printf("%d %d\n", ctx.uid, $c != 0 && $c == socket_cookie(ctx.sk_common)); }`,
		args:   []string{port},
		out:    strconv.Itoa(os.Getuid()) + " 1\n",
	}})
	code, stdout, stderr := hawkOut(t, "--verify", "-e", `rawtracepoint:tcp_probe { printf("%llu\n", socket_cookie(args.sk)); }`)
	if code != 0 || !strings.Contains(stdout+stderr, "Verified 1 program") {
		t.Errorf("rawtracepoint: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestSkboutput writes loopback packets, from a BTF raw tracepoint, to a
// pcap file of raw IP packets: the file's header, then records as long
// as the length asked (less the offset).
func TestSkboutput(t *testing.T) {
	pcap := filepath.Join(t.TempDir(), "out.pcap")
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			if c, err := net.Dial("tcp4", ln.Addr().String()); err == nil {
				c.Write([]byte("hawk"))
				c.Close()
			}
		}
	}()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	script := `rawtracepoint:consume_skb /((struct sk_buff *)arg0)->len >= 20/ { $r = skboutput("` + pcap + `", (struct sk_buff *)arg0, 20, 4); printf("%d\n", $r); exit(); }`
	code, stdout, stderr := hawkOut(t, "-q", "-e", script)
	if code != 0 || stdout != "0\n\n\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	b, err := os.ReadFile(pcap)
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	if len(b) != 24+16+16 || le.Uint32(b) != 0xa1b2c3d4 || le.Uint32(b[20:]) != 101 || le.Uint32(b[24+8:]) != 16 {
		t.Errorf("pcap file of %d bytes: % x", len(b), b)
	}
}

// TestPercpuKaddr reads per-CPU variables where the kernel finds them for
// programs (it lists them in /proc/kallsyms); elsewhere percpu_kaddr is
// refused at its argument.
func TestPercpuKaddr(t *testing.T) {
	script := `BEGIN { $r = (struct rq *)percpu_kaddr("runqueues", 0); if ($r != 0) { printf("%d\n", $r.nr_running >= 0); } printf("%d\n", *percpu_kaddr("process_counts") == *percpu_kaddr("process_counts", cpu)); exit(); }`
	if _, err := (&kernel.Env{}).KernelSymbol("runqueues"); err == nil {
		runConstructs(t, []construct{{name: "runqueues", script: script, out: "1\n1\n"}})
		return
	}
	code, _, stderr := hawkOut(t, "-e", script)
	if code != 1 || !strings.Contains(stderr, `-e:1:40: error: percpu_kaddr("runqueues"): the kernel does not list symbol runqueues in /proc/kallsyms`) {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

// TestSignalThread kills the -c command's thread from its sleep.
func TestSignalThread(t *testing.T) {
	start := time.Now()
	code, stdout, stderr := hawkOut(t, "--unsafe", "-q", "-c", "sleep 5", "-e",
		`tracepoint:syscalls:sys_enter_clock_nanosleep /pid == cpid/ { signal_thread("SIGKILL"); printf("sent\n"); }`)
	if code != 0 || stdout != "sent\n\n\n" || time.Since(start) > 4*time.Second {
		t.Errorf("exit %d after %v, stdout %q, stderr %q", code, time.Since(start), stdout, stderr)
	}
}

// TestUnsafeKernelFns: write_user, override and signal_thread need
// --unsafe; with it, a kernel that refuses their helpers (this one has no
// bpf_probe_write_user, nor bpf_override_return without
// CONFIG_BPF_KPROBE_OVERRIDE) says so at the call, as --verify does.
func TestUnsafeKernelFns(t *testing.T) {
	for _, c := range []struct{ script, at string }{
		{`tracepoint:syscalls:sys_enter_openat { write_user(args.filename, "x", 1); }`, "-e:1:40: error: write_user() changes the system: it needs --unsafe"},
		{`kprobe:vfs_read { override(-1); }`, "-e:1:19: error: override() changes the system: it needs --unsafe"},
		{`tracepoint:sched:sched_switch { signal_thread(9); }`, "-e:1:33: error: signal_thread() changes the system: it needs --unsafe"},
	} {
		if code, _, stderr := hawkOut(t, "-e", c.script); code != 1 || !strings.Contains(stderr, c.at) {
			t.Errorf("%s: exit %d, stderr:\n%s", c.script, code, stderr)
		}
		code, stdout, stderr := hawkOut(t, "--unsafe", "--verify", "-e", c.script)
		if code != 0 && !strings.Contains(stderr, "-e:1:") {
			t.Errorf("--unsafe --verify %s: exit %d, an error not at the call:\n%s", c.script, code, stderr)
		}
		if code == 0 && !strings.Contains(stdout+stderr, "Verified") {
			t.Errorf("--unsafe --verify %s: stdout %q, stderr %q", c.script, stdout, stderr)
		}
	}
}

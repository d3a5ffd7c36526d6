package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// toolCase is one of bpftrace's tools, run under a workload.
type toolCase struct {
	tool   string
	header string   // what its BEGIN prints
	needs  []string // the commands work runs
	// work runs the workload once, with a tag unique to the round, and
	// returns a regexp that the tool's output must then match.
	work func(t *testing.T, tag string) string
	// atExit: the tool prints what work causes only at exit (maps, END),
	// so work runs once, and the match is checked after Ctrl-C.
	atExit bool
}

// TestToolsRun: every tool of Debian's bpftrace package (found as in
// TestVerifyDebianTools) that uses only probe kinds a kernel without
// kprobes, fentry or PMU supports runs: it attaches, prints its header,
// prints what a matching workload causes, and on Ctrl-C exits 0 within
// 5 s, having printed its maps, with no program left in the kernel.
// Left out: the 17 tools with kprobes (this kernel has none, and hawk
// says so in one line); loads, runqlen and threadsnoop, which need a
// symbol this kernel or glibc lacks (avenrun, cfs_rq's nr_running,
// libpthread's pthread_create) and fail --verify saying so.
func TestToolsRun(t *testing.T) {
	pid := os.Getpid()
	// self makes a pattern for a line of this process: pid, comm, format.
	self := func(format string, args ...any) string {
		return fmt.Sprintf(`\b%d +\S+ +`+format, append([]any{pid}, args...)...)
	}
	execTrue := func(t *testing.T, tag string) { mustRun(t, exec.Command("/bin/true", tag)) }
	cases := []toolCase{
		{tool: "bashreadline", header: "Tracing bash commands... Hit Ctrl-C to end.\nTIME      PID    COMMAND\n",
			needs: []string{"script", "bash"},
			work: func(t *testing.T, tag string) string {
				// readline reads only from a terminal: script(1) gives bash one.
				cmd := exec.Command("script", "-qec", "bash --norc --noprofile -i", "/dev/null")
				cmd.Stdin = strings.NewReader("echo " + tag + "\nexit\n")
				cmd.Env = append(os.Environ(), "HISTFILE=/dev/null")
				mustRun(t, cmd)
				return `\d+ +echo ` + tag + `\n`
			}},
		{tool: "bitesize", header: "Tracing block device I/O... Hit Ctrl-C to end.\n", needs: []string{"dd"}, atExit: true,
			work: func(t *testing.T, tag string) string {
				mustRun(t, exec.Command("dd", "if=/dev/zero", "of="+filepath.Join(blockDir(t), tag),
					"bs=64k", "count=4", "oflag=direct", "conv=fsync"))
				return `(?s)I/O size \(bytes\) histograms by process name:\n\n@\[.+\]:\n.*\[64K, 128K\) +[1-9]`
			}},
		{tool: "cpuwalk", header: "Sampling CPU at 99hz... Hit Ctrl-C to end.\n", atExit: true,
			work: func(*testing.T, string) string {
				for start := time.Now(); time.Since(start) < 100*time.Millisecond; {
				}
				return `@cpu:\n\[\d+`
			}},
		{tool: "execsnoop", header: "TIME(ms)   PID   ARGS\n",
			work: func(t *testing.T, tag string) string {
				execTrue(t, tag)
				return `\d+ +\d+ +/bin/true ` + tag + `\n`
			}},
		{tool: "gethostlatency", header: "Tracing getaddr/gethost calls... Hit Ctrl-C to end.\nTIME      PID    COMM              LATms HOST\n",
			needs: []string{"getent"},
			work: func(t *testing.T, tag string) string {
				child := mustRun(t, exec.Command("getent", "ahosts", "localhost"))
				return fmt.Sprintf(`\b%d +getent +\d+ localhost\n`, child)
			}},
		{tool: "killsnoop", header: "Tracing kill() signals... Hit Ctrl-C to end.\nTIME      PID    COMM             SIG  TPID   RESULT\n",
			work: func(*testing.T, string) string {
				syscall.Kill(pid, 0)
				return self(`0 +%d +0\n`, pid)
			}},
		{tool: "naptime", header: "Tracing sleeps. Hit Ctrl-C to end.\nTIME     PPID   PCOMM            PID    COMM             SECONDS\n",
			work: func(*testing.T, string) string {
				// nanosleep(2) itself: sleep(1) and time.Sleep call others.
				syscall.Nanosleep(&syscall.Timespec{Nsec: 42e6}, nil)
				return self(`0\.042\n`)
			}},
		{tool: "opensnoop", header: "Tracing open syscalls... Hit Ctrl-C to end.\nPID    COMM               FD ERR PATH\n",
			work: func(_ *testing.T, tag string) string {
				path := filepath.Join(os.TempDir(), tag)
				os.Open(path)
				return self(`-1 +2 %s\n`, regexp.QuoteMeta(path))
			}},
		{tool: "pidpersec", header: "Tracing new processes... Hit Ctrl-C to end.\n",
			work: func(t *testing.T, tag string) string {
				execTrue(t, tag)
				return `PIDs/sec: @: [1-9]\d*\n`
			}},
		{tool: "runqlat", header: "Tracing CPU scheduler... Hit Ctrl-C to end.\n", atExit: true,
			work: func(t *testing.T, tag string) string {
				execTrue(t, tag)
				return `@usecs:\n\[`
			}},
		{tool: "setuids", header: "Tracing setuid(2) family syscalls. Hit Ctrl-C to end.\nTIME     PID    COMM             UID    SYSCALL   ARGS (RET)\n",
			needs: []string{"setpriv"},
			work: func(t *testing.T, tag string) string {
				child := mustRun(t, exec.Command("setpriv", "--reuid=65534", "/bin/true"))
				return fmt.Sprintf(`\b%d +setpriv +0 +setresuid ruid=65534 euid=65534 suid=65534 \(0\)\n`, child)
			}},
		{tool: "ssllatency", header: "Tracing SSL/TLS handshake... Hit Ctrl-C to end.\n", needs: []string{"openssl"}, atExit: true,
			work: func(t *testing.T, tag string) string {
				tlsExchange(t, tag)
				return `(?s)@hist\[SSL_do_handshake\]:\n\[.*@stat\[SSL_do_handshake\]: `
			}},
		{tool: "sslsnoop", header: "Tracing SSL/TLS handshake... Hit Ctrl-C to end.\nTIME(us)   TID      COMM     LAT(us)   RET FUNC\n",
			needs: []string{"openssl"},
			work: func(t *testing.T, tag string) string {
				return fmt.Sprintf(`\b%d +openssl +\d+ +1 SSL_do_handshake\n`, tlsExchange(t, tag))
			}},
		{tool: "statsnoop", header: "Tracing stat syscalls... Hit Ctrl-C to end.\nPID    COMM             ERR PATH\n",
			work: func(_ *testing.T, tag string) string {
				// statx: os.Stat calls newfstatat, which the tool does not trace.
				path := filepath.Join(os.TempDir(), tag)
				var st unix.Statx_t
				unix.Statx(unix.AT_FDCWD, path, 0, unix.STATX_BASIC_STATS, &st)
				return self(`2 %s\n`, regexp.QuoteMeta(path))
			}},
		{tool: "syncsnoop", header: "Tracing sync syscalls... Hit Ctrl-C to end.\nTIME      PID    COMM             EVENT\n",
			work: func(t *testing.T, tag string) string {
				// fsync of one empty file: sync(2) would flush the whole machine.
				f, err := os.Create(filepath.Join(t.TempDir(), tag))
				if err != nil {
					t.Fatal(err)
				}
				f.Sync()
				f.Close()
				return self(`tracepoint:syscalls:sys_enter_fsync\n`)
			}},
		{tool: "syscount", header: "Counting syscalls... Hit Ctrl-C to end.\n", atExit: true,
			work: func(t *testing.T, tag string) string {
				execTrue(t, tag)
				return `(?s)\nTop 10 syscalls IDs:\n@syscall\[\d+\]: \d+\n.*\nTop 10 processes:\n@process\[.+\]: \d+\n`
			}},
		{tool: "tcpdrop", header: "Tracing tcp drops. Hit Ctrl-C to end.\nTIME     PID      COMM             SADDR:SPORT           DADDR:DPORT           STATE   \n",
			needs: []string{"unshare", "ip", "tc", "bash", "timeout"},
			work: func(t *testing.T, tag string) string {
				// A qdisc that holds nothing, in a network namespace of
				// its own, drops the SYN of a connect, with the sending
				// socket still attached.
				addr := fmt.Sprintf("127.%d.%d.%d", rand.IntN(256), rand.IntN(256), 1+rand.IntN(254))
				cmd := exec.Command("unshare", "--net", "sh", "-c", `ip link set lo up && tc qdisc add dev lo root pfifo limit 0 &&
					exec timeout 0.2 bash -c "exec 3<>/dev/tcp/`+addr+`/7"`)
				if out, err := cmd.CombinedOutput(); exitCode(err) != 124 { // timeout's, as connect waits
					t.Fatalf("%s: %v\n%s", cmd, err, out)
				}
				return regexp.QuoteMeta(addr) + `:7 +SYN_SENT`
			}},
		{tool: "writeback", header: "Tracing writeback... Hit Ctrl-C to end.\nTIME      DEVICE   PAGES    REASON           ms\n",
			work: func(t *testing.T, tag string) string {
				// syncfs(2) has the flusher write the dirty file (fsync
				// would write it itself, without the tracepoints).
				f, err := os.Create(filepath.Join(blockDir(t), tag))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				f.Write(make([]byte, 64<<10))
				unix.Syncfs(int(f.Fd()))
				return `\S+ +\d+ +sync +\d+\.\d{3}\n`
			}},
	}
	dir := bpftraceToolsDir()
	for _, tc := range cases {
		t.Run(tc.tool, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(dir, tc.tool+".bt")
			if _, err := os.Stat(path); err != nil {
				need(t, tc.tool+".bt "+bpftraceToolsHint(dir))
			}
			for _, c := range tc.needs {
				if _, err := exec.LookPath(c); err != nil {
					need(t, c)
				}
			}
			runTool(t, tc, path)
		})
	}
}

// runTool runs hawk -v on a tool. Once the probes are attached and the
// header printed, the workload runs, again until the output matches
// (for at most 20 s), or once for a tool that prints only at exit; then
// Ctrl-C.
func runTool(t *testing.T, tc toolCase, path string) {
	cmd := hawkCmd(t, "-v", path)
	var stdout, stderr kerneltest.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	var waitErr error
	exited := make(chan struct{})
	go func() { waitErr = cmd.Wait(); close(exited) }()
	ready := func() bool {
		return strings.Contains(stderr.String(), "Attached") && strings.HasPrefix(stdout.String(), tc.header)
	}
	if !await(10*time.Second, exited, ready) {
		t.Fatalf("no banner and header within 10 s; stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
	}
	var want *regexp.Regexp
	for deadline := time.Now().Add(20 * time.Second); ; {
		want = regexp.MustCompile(tc.work(t, fmt.Sprintf("hawk-tools-%08x", rand.Uint32())))
		if tc.atExit || await(2*time.Second, exited, func() bool { return want.MatchString(stdout.String()) }) || time.Now().After(deadline) {
			break
		}
	}
	before := len(stdout.String())
	cmd.Process.Signal(os.Interrupt)
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		t.Fatalf("hawk did not end within 5 s of Ctrl-C; stderr:\n%s", stderr.String())
	}
	out := stdout.String()
	if code := exitCode(waitErr); code != 0 || strings.Contains(stderr.String(), "error") {
		t.Errorf("exit status %d; stderr:\n%s", code, stderr.String())
	}
	if !strings.Contains(out[before:], "\n\n") { // what hawk prints before the maps at exit
		t.Errorf("no exit output after Ctrl-C:\n%s", tailOf(out, 4000))
	}
	if !want.MatchString(out) {
		t.Errorf("no match for %q in the output:\n%s", want, tailOf(out, 4000))
	}
	ids := loadedIDs(stderr.String())
	if len(ids) == 0 {
		t.Fatalf("no program ids in stderr:\n%s", stderr.String())
	}
	kerneltest.AssertUnloaded(t, ids)
}

// await polls cond until it holds or d passes; it gives up early when
// exited is closed.
func await(d time.Duration, exited <-chan struct{}, cond func() bool) bool {
	for deadline := time.Now().Add(d); !cond(); {
		select {
		case <-exited:
			return cond()
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return false
		}
	}
	return true
}

// tailOf returns the last n bytes of s, where a tool prints much.
func tailOf(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

// need skips t for want of what, or fails it when HAWK_TEST_KERNEL=1.
func need(t *testing.T, what string) {
	t.Helper()
	if kerneltest.Required() {
		t.Fatal("needs " + what)
	}
	t.Skip("needs " + what)
}

// mustRun runs a workload command, which must succeed, and returns its
// pid.
func mustRun(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, out)
	}
	return cmd.Process.Pid
}

// blockDir returns a new directory on a file system with a block device
// under it: bitesize needs block I/O and writeback a flusher, and tmpfs
// has neither.
func blockDir(t *testing.T) string {
	t.Helper()
	for _, parent := range []string{os.TempDir(), "/var/tmp"} {
		var st unix.Stat_t
		if unix.Stat(parent, &st) != nil {
			continue
		}
		if _, err := os.Stat(fmt.Sprintf("/sys/dev/block/%d:%d", unix.Major(st.Dev), unix.Minor(st.Dev))); err != nil {
			continue
		}
		dir, err := os.MkdirTemp(parent, "hawk-tools-")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		return dir
	}
	need(t, "a directory on a block device ($TMPDIR or /var/tmp)")
	return ""
}

// tlsExchange has an openssl s_client send line to an s_server: a
// handshake and SSL_write on one side, SSL_read on the other. It returns
// the server's pid.
func tlsExchange(t *testing.T, line string) int {
	t.Helper()
	dir := t.TempDir()
	key, cert := filepath.Join(dir, "key.pem"), filepath.Join(dir, "cert.pem")
	mustRun(t, exec.Command("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
		"-nodes", "-subj", "/CN=localhost", "-days", "1", "-keyout", key, "-out", cert))
	server := exec.Command("openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", cert, "-key", key, "-naccept", "1")
	stdin, err1 := server.StdinPipe() // at the end of its input s_server ends
	out, err2 := server.StdoutPipe()
	if err := errors.Join(err1, err2, server.Start()); err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	defer server.Wait()
	defer server.Process.Kill()
	lines := bufio.NewScanner(out)
	var addr string
	for addr == "" && lines.Scan() {
		if a, ok := strings.CutPrefix(lines.Text(), "ACCEPT "); ok {
			addr = a
		}
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		t.Fatalf("s_server: no ACCEPT address: %v", err)
	}
	client := exec.Command("openssl", "s_client", "-connect", addr)
	client.Stdin = strings.NewReader(line + "\n")
	mustRun(t, client)
	io.Copy(io.Discard, out) // s_server ends once the connection does
	return server.Process.Pid
}

package main

import (
	"bufio"
	"bytes"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/internal/sdtprog"
)

// hawkOut runs hawk with args and returns its exit code, stdout and
// stderr.
func hawkOut(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	cmd := hawkCmd(t, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return exitCode(err), stdout.String(), stderr.String()
}

// TestProbeKinds attaches and fires each probe kind this kernel supports,
// and checks what it prints. Each script ends by itself.
func TestProbeKinds(t *testing.T) {
	sdt := sdtprog.ForTest(t)
	for _, tc := range []struct {
		name   string
		args   []string
		stdout string // a regular expression for the whole output
	}{
		{"BEGIN and END in order", []string{"-e", `BEGIN { printf("a\n"); } BEGIN { printf("b\n"); } END { printf("y\n"); } END { printf("z\n"); } BEGIN { exit(); }`},
			`^a\nb\ny\nz\n\n\n$`},
		// exit() ends the run, but an interval may fire again before user
		// space has detached it (on a loaded machine, many times).
		{"interval", []string{"-e", `interval:ms:20 { @n = count(); if (@n == 3) { printf("third\n"); exit(); } }`}, `^third\n\n\n@n: ([3-9]|[1-9]\d+)\n$`},
		{"interval with a period alone", []string{"-e", `interval:20ms { @n = count(); if (@n == 3) { printf("third\n"); exit(); } }`}, `^third\n\n\n@n: ([3-9]|[1-9]\d+)\n$`},
		{"interval with a period in nanoseconds", []string{"-e", `i:1e7 { @m = count(); if (@m == 2) { printf("second\n"); exit(); } }`}, `^second\n\n\n@m: ([2-9]|[1-9]\d+)\n$`},
		{"profile and software with bpftrace's numbers", []string{"-e", `profile:10ms { @p = 1; } software:cpu-clock:1e6 { @s = 1; } interval:300ms { exit(); }`}, `^\n\n@p: 1\n@s: 1\n$`},
		{"profile on every CPU", []string{"-e", `profile:hz:199 { @[cpu] = count(); } interval:ms:300 { exit(); }`}, `^\n\n(@\[\d+\]: \d+\n)+$`},
		{"software event and alias", []string{"-c", "/bin/true", "-e", `software:faults:1 { @f[comm] = count(); } software:context-switches { @cs = count(); }`},
			`@f\[true\]: \d+\n`},
		{"tracepoint", []string{"-c", "/bin/echo hi", "-e", `tracepoint:syscalls:sys_enter_write /pid == cpid/ { printf("fd %d count %d\n", args.fd, args.count); }`},
			`^hi\nfd 1 count 3\n\n\n$`},
		{"rawtracepoint with typed args and argN", []string{"-c", "/bin/true", "-e", `rawtracepoint:sys_enter /pid == cpid && arg1 == 231/ { printf("exit_group %d\n", ((struct pt_regs *)arg0)->di); } rawtracepoint:sched_process_exit /args.p->pid == cpid/ { printf("exit %s\n", args.p->comm); }`},
			`^exit_group 0\nexit true\n\n\n$`},
		{"uprobe and uretprobe with wildcard", []string{"-c", sdt + " 2", "-e", `uprobe:` + sdt + `:ma?n { printf("%s %d\n", func, arg0); } uretprobe:` + sdt + `:main { printf("ret %d\n", retval); }`},
			`^main 2\nret 0\n\n\n$`},
		{"uprobe at an offset and an address", []string{"-c", sdt + " 1", "-e", `uprobe:` + sdt + `:main+0 { printf("off\n"); } uprobe:` + sdt + `:` + symAddr(t, sdt, "main") + ` { printf("addr %s\n", func); }`},
			`^(off\naddr 0x[0-9a-f]+\n|addr 0x[0-9a-f]+\noff\n)\n\n$`},
		{"uprobe on a Go function named by its import path", []string{"-c", hawkBin + " --version", "-e", `uprobe:` + hawkBin + `:"github.com/hawktrace/hawk/internal/aot.Self" /pid == cpid/ { @[func] = count(); } uprobe:` + hawkBin + `:"github.com/hawktrace/hawk/internal/aot.Self"+0 /pid == cpid/ { @off = count(); }`},
			`^hawk [^\n]+\n\n\n@\[github.com/hawktrace/hawk/internal/aot.Self\]: 1\n@off: 1\n$`},
		{"usdt with arguments and a semaphore", []string{"-c", sdt + " 3", "-e", `usdt:` + sdt + `:hawktest:tick { printf("tick %d %d\n", arg0, arg1); } usdt:` + sdt + `:gated { @gated = count(); }`},
			`^tick 0 0\ntick 1 1000\ntick 2 2000\n\n\n@gated: 3\n$`},
		{"iter", []string{"-e", `iter:task /ctx->task->pid == ` + strconv.Itoa(os.Getpid()) + `/ { printf("%s\n", ctx->task->comm); }`},
			`^hawk\.test\n\n\n$`},
		{"iter over files", []string{"-e", `iter:task_file /ctx->task->pid == ` + strconv.Itoa(os.Getpid()) + ` && ctx->fd == 0/ { printf("fd 0\n"); }`},
			`^fd 0\n\n\n$`},
		{"iter over memory maps", []string{"-e", `iter:task_vma /ctx->task->pid == ` + strconv.Itoa(os.Getpid()) + `/ { @vmas = count(); }`},
			`^\n\n@vmas: [1-9]\d*\n$`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := hawkOut(t, append([]string{"-q"}, tc.args...)...)
			if code != 0 || !regexp.MustCompile(tc.stdout).MatchString(stdout) {
				t.Errorf("exit %d\nstdout:\n%s\nwant %s\nstderr:\n%s", code, stdout, tc.stdout, stderr)
			}
		})
	}
}

// symAddr returns the address of a symbol of an ELF file, in hex.
func symAddr(t *testing.T, path, name string) string {
	t.Helper()
	for _, s := range elfSymbols(t, path) {
		if s.Name == name {
			return fmt.Sprintf("0x%x", s.Value)
		}
	}
	t.Fatalf("%s has no symbol %s", path, name)
	return ""
}

// elfSymbols returns the symbols of an ELF file's .symtab, then .dynsym.
func elfSymbols(t *testing.T, path string) []elf.Symbol {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	syms, _ := f.Symbols()
	dyn, _ := f.DynamicSymbols()
	return append(syms, dyn...)
}

// TestVerifyOnlyKinds: kinds this kernel loads but cannot attach pass
// --verify; running them says what the kernel lacks in one diagnostic,
// at the attach point.
func TestVerifyOnlyKinds(t *testing.T) {
	for _, tc := range []struct {
		prog, lacks string
		attaches    func() bool
	}{
		{`kprobe:vfs_read* { @[func] = count(); } kprobe:vmlinux:do_nanosleep+0 { @n = count(); }`, "this kernel has no kprobes", kprobesAvailable},
		{`kretprobe:do_nanosleep { @ = hist(retval); }`, "this kernel has no kprobes", kprobesAvailable},
		{`hardware:cycles:100000 { @[comm] = count(); } hardware:branches { @b = count(); }`, "no hardware performance counters", hasPMU},
	} {
		if code, stderr := verify(t, "-e", tc.prog); code != 0 || !strings.HasPrefix(stderr, "Verified ") {
			t.Errorf("%s: --verify exit %d, stderr %q", tc.prog, code, stderr)
		}
		code, _, stderr := hawkOut(t, "-q", "-e", tc.prog+` interval:ms:50 { exit(); }`)
		if tc.attaches() {
			if code != 0 {
				t.Errorf("%s: exit %d, stderr %q", tc.prog, code, stderr)
			}
			continue
		}
		if code != exitUser || strings.Count(stderr, "\n") != 3 || !strings.HasPrefix(stderr, "-e:1:") || !strings.Contains(stderr, "error: attaching ") ||
			!strings.Contains(stderr, tc.lacks) || !regexp.MustCompile(`\n +\^~+\n$`).MatchString(stderr) {
			t.Errorf("%s: exit %d, stderr %q", tc.prog, code, stderr)
		}
	}
}

// hasPMU reports whether this machine counts CPU cycles.
func hasPMU() bool {
	_, err := os.Stat("/sys/bus/event_source/devices/cpu/events/cpu-cycles")
	return err == nil
}

// TestFentry: fentry and fexit read typed arguments and the return value
// from BTF. Where the kernel loads them they run; where it refuses them
// (this machine), the refusal is one diagnostic, at the attach point,
// that names the kind.
func TestFentry(t *testing.T) {
	code, _, stderr := hawkOut(t, "-e", `fentry:vfs_read { printf("%d\n", args.cout); }`)
	if code != exitUser || !strings.Contains(stderr, `function vfs_read has no field "cout"`) || !strings.Contains(stderr, "did you mean") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	prog := `fentry:vfs_read { @[comm] = sum(args.count); } fexit:vfs_read { @ret = hist(retval); } interval:ms:100 { exit(); }`
	code, stdout, stderr := hawkOut(t, "-q", "-e", prog)
	if code == 0 {
		if !strings.Contains(stdout, "@ret:") {
			t.Errorf("fentry loads here, but printed %q", stdout)
		}
		return
	}
	if code != exitUser || strings.Count(stderr, "\n") != 3 || !regexp.MustCompile(`^-e:1:(1|48): error: this kernel does not allow f(entry|exit) programs`).MatchString(stderr) || !strings.Contains(stderr, "EPERM") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestTargetPid: -p attaches to a running process, filters the other
// probes to it, and ends when it exits.
func TestTargetPid(t *testing.T) {
	kerneltest.Require(t)
	// The child works once hawk has attached, when the test closes its
	// stdin, then exits.
	child := exec.Command("sh", "-c", "read _; for i in 1 2 3 4 5; do /bin/true; sleep 0.02; done")
	gate, err := child.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer child.Wait()
	defer gate.Close()
	pid := child.Process.Pid
	cmd := hawkCmd(t, "-p", strconv.Itoa(pid), "-e", `tracepoint:raw_syscalls:sys_enter { @[pid] = count(); } software:cs:1 { @cs[pid] = count(); }`)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	banner, _ := bufio.NewReader(stderr).ReadString('\n')
	gate.Close()
	err = cmd.Wait()
	// Perf events follow the threads and children the process creates.
	want := regexp.MustCompile(fmt.Sprintf(`^\n\n@\[%d\]: \d+\n(@cs\[\d+\]: \d+\n)*@cs\[%d\]: \d+\n`, pid, pid))
	if exitCode(err) != 0 || banner != "Attached 2 probes\n" || !want.MatchString(stdout.String()) {
		t.Errorf("exit %d, banner %q, stdout %q", exitCode(err), banner, stdout.String())
	}
	code, _, stderrText := hawkOut(t, "-p", "4194303", "-e", `tracepoint:raw_syscalls:sys_enter { @ = count(); }`)
	if code != exitUser || strings.Count(stderrText, "\n") != 1 {
		t.Errorf("-p of no process: exit %d, stderr %q", code, stderrText)
	}
}

// TestChildCommand: -c starts the command once the probes are attached,
// so its first syscalls are seen; cpid is its pid; hawk ends with it and
// prints the maps.
func TestChildCommand(t *testing.T) {
	code, stdout, stderr := hawkOut(t, "-q", "-c", `/bin/sh -c 'echo "$$"; exit 3'`, "-e",
		`tracepoint:syscalls:sys_enter_execve /pid == cpid/ { @exec = count(); } tracepoint:sched:sched_process_exit /tid == cpid/ { printf("exit %d\n", cpid); }`)
	m := regexp.MustCompile(`^(\d+)\nexit (\d+)\n\n\n@exec: 1\n$`).FindStringSubmatch(stdout)
	if code != 0 || m == nil || m[1] != m[2] {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// A run that fails to attach never starts its command.
	marker := filepath.Join(t.TempDir(), "ran")
	code, _, stderr = hawkOut(t, "-c", "/usr/bin/touch "+marker, "-e", `hardware:cycles { } kprobe:vfs_read { }`)
	if _, err := os.Stat(marker); (code == 0 || err == nil) && !(kprobesAvailable() && hasPMU()) {
		t.Errorf("failed attach: exit %d, stderr %q, command ran: %v", code, stderr, err == nil)
	}
	code, _, stderr = hawkOut(t, "-c", "/nonexistent/cmd", "-e", `BEGIN { }`)
	if code != exitUser || !strings.Contains(stderr, "/nonexistent/cmd") {
		t.Errorf("missing command: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = hawkOut(t, "-e", `BEGIN { printf("%d\n", cpid); }`)
	if code != exitUser || !strings.Contains(stderr, "cpid is the pid of the command -c runs") {
		t.Errorf("cpid without -c: exit %d, stderr %q", code, stderr)
	}
}

// TestDryRunAndInfo: --dry-run runs BEGIN, attaches and detaches, and
// prints nothing (bpftrace v0.26); --info lists this kernel's features
// one a line.
func TestDryRunAndInfo(t *testing.T) {
	code, stdout, stderr := hawkOut(t, "--dry-run", "-e", `BEGIN { printf("begin\n"); } tracepoint:syscalls:sys_enter_getppid { @ = count(); } END { printf("end\n"); }`)
	if code != 0 || stdout != "" || stderr != "" {
		t.Errorf("--dry-run: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, _ = hawkOut(t, "--info")
	for _, want := range []string{"\n  tracepoints: yes\n", "\n  raw tracepoints: yes\n", "\n  kprobes: ", "\n  fentry/fexit: "} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("--info: exit %d, no %q in\n%s", code, want, stdout)
		}
	}
}

// TestMissingProbes: a probe whose attach points are all missing is an
// error that names the function; one with others that exist warns and
// runs, unless missing_probes = "error".
func TestMissingProbes(t *testing.T) {
	code, _, stderr := hawkOut(t, "--verify", "-e", `kprobe:no_such_function_here { }`)
	if code != exitUser || !strings.Contains(stderr, "the kernel has no function no_such_function_here") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = hawkOut(t, "--verify", "-e", `kprobe:no_such_function_here, kprobe:vfs_read { }`)
	if code != 0 || !strings.Contains(stderr, "warning: the kernel has no function no_such_function_here") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = hawkOut(t, "--verify", "-e", `config = { missing_probes = "error" } kprobe:no_such_function_here, kprobe:vfs_read { }`)
	if code != exitUser || !strings.Contains(stderr, "error: the kernel has no function") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestSyscallTracepointsDispatched: a syscall tracepoint gives the same
// args.* whether its program is alone on the raw sys_enter/sys_exit
// tracepoint or one of several a dispatcher runs there (before, several
// sent them all to the perf tracepoints).
func TestSyscallTracepointsDispatched(t *testing.T) {
	probes := `tracepoint:syscalls:sys_enter_lseek /pid == $1/ { printf("enter %d %lu %d %d\n", args.__syscall_nr, args.fd, args.offset, args.whence); if (args.offset == 999999) { exit(); } }
tracepoint:syscalls:sys_exit_lseek /pid == $1/ { printf("exit %d %d\n", args.__syscall_nr, args.ret); }`
	// More programs on sys_enter: one dispatcher runs them.
	var fillers strings.Builder
	for _, name := range []string{"read", "write", "close", "openat", "getppid", "dup", "pipe2", "fsync", "sync"} {
		fmt.Fprintf(&fillers, "tracepoint:syscalls:sys_enter_%s /pid == $1/ { @[probe] = count(); }\n", name)
	}
	raw, _ := runWorkload(t, seeks, "-e", probes)
	dispatched, stderr := runWorkload(t, seeks, "-v", "-e", probes+fillers.String())
	end := strings.Index(dispatched, "\n\n")
	if raw == "" || end < 0 || !strings.HasPrefix(raw, dispatched[:end]) {
		t.Errorf("alone:\n%s\ndispatched:\n%s", raw, dispatched)
	}
	if !strings.Contains(raw, "enter 8 4294967295 1000 1\nexit 8 -9\n") {
		t.Errorf("raw:\n%s", raw)
	}
	if strings.Count(stderr, "Program hawk_se0 (tracepoint:syscalls:sys_enter_") != 1 || strings.Count(stderr, "(tracepoint:syscalls:sys_enter_") != 1 {
		t.Errorf("want one dispatcher on sys_enter, stderr:\n%s", stderr)
	}
}

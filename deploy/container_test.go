package deploy

import (
	"bytes"
	"debug/elf"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// container is how the DaemonSet's container runs hawk, as a container
// runtime would set it up: an image root holding the binary alone, the
// ConfigMap's files, a read-only sysfs and the host's procfs (hostPID),
// the hostPath mounts, the capabilities added to none, no_new_privs.
type container struct {
	Root     string
	Mounts   []mount
	Caps     []string // Kubernetes' names: BPF, PERFMON, ...
	ReadOnly bool     // readOnlyRootFilesystem
	NoNew    bool     // allowPrivilegeEscalation: false
	Args     []string // the image's entrypoint, then the container's args
}

// mount is a hostPath volume mounted in the container.
type mount struct {
	Host, Target string
	ReadOnly     bool
}

// capNumbers are the capabilities a manifest may add, by Kubernetes' name.
var capNumbers = map[string]int{
	"BPF": unix.CAP_BPF, "PERFMON": unix.CAP_PERFMON, "SYS_RESOURCE": unix.CAP_SYS_RESOURCE,
	"SYSLOG": unix.CAP_SYSLOG, "SYS_PTRACE": unix.CAP_SYS_PTRACE, "SYS_ADMIN": unix.CAP_SYS_ADMIN,
	"DAC_READ_SEARCH": unix.CAP_DAC_READ_SEARCH, "IPC_LOCK": unix.CAP_IPC_LOCK,
}

// The test binary runs again as a container's first process (enter) or as
// a process to profile (spin) when these variables say so.
const (
	containerEnv = "HAWK_DEPLOY_CONTAINER"
	spinEnv      = "HAWK_DEPLOY_SPIN"
)

func TestMain(m *testing.M) {
	if cfg := os.Getenv(containerEnv); cfg != "" {
		var c container
		err := json.Unmarshal([]byte(cfg), &c)
		if err == nil {
			err = c.enter()
		}
		fmt.Fprintln(os.Stderr, "entering the container:", err)
		os.Exit(125)
	}
	if os.Getenv(spinEnv) != "" {
		spin()
	}
	os.Exit(m.Run())
}

// spin burns CPU until killed, for a profile of its user stacks.
//
//go:noinline
func spin() {
	x := 0
	for {
		for i := range 1 << 20 {
			x += i
		}
		if x == 42 {
			fmt.Println(x)
		}
	}
}

// enter sets the container up in a mount namespace of its own, and
// executes hawk in it; it returns only on failure.
func (c *container) enter() error {
	runtime.LockOSThread() // the namespace and the root are this thread's
	if err := unix.Unshare(unix.CLONE_NEWNS); err != nil {
		return err
	}
	type step struct {
		src, dst, fs string
		flags        uintptr
	}
	steps := []step{
		{"", "/", "", unix.MS_REC | unix.MS_PRIVATE},
		{c.Root, c.Root, "", unix.MS_BIND | unix.MS_REC},
		{"sysfs", c.Root + "/sys", "sysfs", unix.MS_RDONLY | unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC},
		{"proc", c.Root + "/proc", "proc", unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC},
	}
	for _, m := range c.Mounts {
		steps = append(steps, step{m.Host, c.Root + m.Target, "", unix.MS_BIND | unix.MS_REC})
		if m.ReadOnly {
			steps = append(steps, step{"", c.Root + m.Target, "", unix.MS_BIND | unix.MS_REMOUNT | unix.MS_RDONLY})
		}
	}
	if c.ReadOnly {
		steps = append(steps, step{"", c.Root, "", unix.MS_BIND | unix.MS_REMOUNT | unix.MS_RDONLY})
	}
	for _, s := range steps {
		if err := unix.Mount(s.src, s.dst, s.fs, s.flags, ""); err != nil {
			return fmt.Errorf("mount %s on %s: %w", s.src, s.dst, err)
		}
	}
	if err := unix.Chroot(c.Root); err != nil {
		return err
	}
	if err := unix.Chdir("/"); err != nil {
		return err
	}
	if c.NoNew {
		if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
			return err
		}
	}
	// Root's capabilities after exec are the bounding set: drop from it
	// all but those added, and clear the inheritable and ambient ones.
	keep := map[int]bool{}
	for _, name := range c.Caps {
		n, ok := capNumbers[name]
		if !ok {
			return fmt.Errorf("unknown capability %s", name)
		}
		keep[n] = true
	}
	last, err := os.ReadFile("/proc/sys/kernel/cap_last_cap")
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(last)))
	if err != nil {
		return err
	}
	for cp := 0; cp <= n; cp++ {
		if !keep[cp] {
			if err := unix.Prctl(unix.PR_CAPBSET_DROP, uintptr(cp), 0, 0, 0); err != nil {
				return fmt.Errorf("dropping capability %d: %w", cp, err)
			}
		}
	}
	if err := unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); err != nil {
		return err
	}
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return err
	}
	data[0].Inheritable, data[1].Inheritable = 0, 0
	if err := unix.Capset(&hdr, &data[0]); err != nil {
		return err
	}
	return syscall.Exec(c.Args[0], c.Args, []string{"PATH=/"})
}

// daemonSetContainer builds what the DaemonSet's container runs: hawk
// built static, as the image holds it, the ConfigMap's files where the
// container mounts them, its hostPath mounts and capabilities.
func daemonSetContainer(t *testing.T) *container {
	t.Helper()
	kerneltest.Require(t)
	m := readManifests(t)
	ds := m.daemonSet
	c := hawkContainer(t, ds)
	root := t.TempDir()
	for _, dir := range []string{"sys", "proc"} {
		if err := os.Mkdir(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	entry := imageEntrypoint(t)
	bin := filepath.Join(root, entry)
	build := exec.Command("go", "build", "-trimpath", "-o", bin, "../cmd/hawk")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building hawk: %v\n%s", err, out)
	}
	if f, err := elf.Open(bin); err != nil {
		t.Fatal(err)
	} else {
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Errorf("hawk is not static: it needs %v, which an image FROM scratch lacks", p)
			}
		}
		f.Close()
	}
	volumes := map[string]int{}
	for i, v := range ds.Spec.Template.Spec.Volumes {
		volumes[v.Name] = i
	}
	cfg := &container{Root: root, Args: append([]string{entry}, c.Args...)}
	for _, vm := range c.VolumeMounts {
		v := ds.Spec.Template.Spec.Volumes[volumes[vm.Name]]
		switch {
		case v.HostPath != nil:
			cfg.Mounts = append(cfg.Mounts, mount{v.HostPath.Path, vm.MountPath, vm.ReadOnly})
		case v.ConfigMap != nil && v.ConfigMap.Name == m.configMap.Name:
			dir := filepath.Join(root, vm.MountPath)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			for key, text := range m.configMap.Data {
				if err := os.WriteFile(filepath.Join(dir, key), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		default:
			t.Fatalf("volume %s: a kind the test does not set up", vm.Name)
		}
	}
	sc := c.SecurityContext
	for _, cp := range sc.Capabilities.Add {
		cfg.Caps = append(cfg.Caps, string(cp))
	}
	cfg.ReadOnly = sc.ReadOnlyRootFilesystem != nil && *sc.ReadOnlyRootFilesystem
	cfg.NoNew = sc.AllowPrivilegeEscalation != nil && !*sc.AllowPrivilegeEscalation
	return cfg
}

// run runs the container until it exits, or for d and then SIGTERM, as a
// pod's deletion ends it, and returns what hawk printed. during, when not
// nil, runs meanwhile.
func (c *container) run(t *testing.T, d time.Duration, during func()) (stdout, stderr string) {
	t.Helper()
	cfg, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), containerEnv+"="+string(cfg))
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.After(d)
	if during != nil {
		during()
	}
	select {
	case err = <-done:
	case <-deadline:
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err = <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-done
			t.Fatalf("hawk did not stop on SIGTERM; stdout %q, stderr %q", out.String(), errs.String())
		}
	}
	if err != nil {
		t.Fatalf("the container: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errs.String())
	}
	return out.String(), errs.String()
}

// metricsAddr finds --metrics ADDR in args: ADDR becomes a free port of
// 127.0.0.1, where the test scrapes.
func metricsAddr(t *testing.T, args []string) ([]string, string) {
	i := slices.Index(args, "--metrics")
	if i < 0 {
		return args, ""
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	args = slices.Clone(args)
	args[i+1] = addr
	return args, addr
}

// TestContainer runs hawk as the DaemonSet does, in an empty root with
// only its mounts and capabilities, no CAP_SYS_ADMIN: the ConfigMap's
// script runs until SIGTERM, then prints its maps; kernel and user stacks
// are named (CAP_SYSLOG, CAP_SYS_PTRACE).
func TestContainer(t *testing.T) {
	c := daemonSetContainer(t)
	t.Run("script", func(t *testing.T) {
		c := *c
		args, addr := metricsAddr(t, append([]string{filepath.Join(c.Root, c.Args[0])}, c.Args[1:]...))
		c.Args = append([]string{c.Args[0]}, args[1:]...)
		var scrape func()
		if addr != "" {
			scrape = func() {
				time.Sleep(1500 * time.Millisecond)
				resp, err := http.Get("http://" + addr + "/metrics")
				if err != nil {
					t.Errorf("scraping the container: %v", err)
					return
				}
				defer resp.Body.Close()
				body, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("hawk_syscalls")) {
					t.Errorf("/metrics: %s\n%s", resp.Status, body)
				}
			}
		}
		out, errs := c.run(t, 2*time.Second, scrape)
		if !regexp.MustCompile(`(?m)^@syscalls\[[^\]]+\]: \d+$`).MatchString(out) || regexp.MustCompile(`(?i)error|warning`).MatchString(errs) {
			t.Errorf("stdout:\n%s\nstderr:\n%s", out, errs)
		}
	})
	t.Run("kstack", func(t *testing.T) {
		c := *c
		c.Args = []string{c.Args[0], "-q", "-e", `profile:hz:99 { @[kstack(2)] = count(); } interval:ms:500 { exit(); }`}
		out, errs := c.run(t, 10*time.Second, nil)
		if !regexp.MustCompile(`(?m)^        [A-Za-z_][\w.]*\+\d+$`).MatchString(out) {
			t.Errorf("no kernel frame is named: /proc/kallsyms is unreadable?\nstdout:\n%s\nstderr:\n%s", out, errs)
		}
	})
	t.Run("ustack", func(t *testing.T) {
		// A process outside the container, whose binary hawk reads
		// through /proc/PID/root.
		spinner := exec.Command(os.Args[0], "-test.run=^$")
		spinner.Env = append(os.Environ(), spinEnv+"=1")
		if err := spinner.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { spinner.Process.Kill(); spinner.Wait() }()
		time.Sleep(100 * time.Millisecond)
		c := *c
		c.Args = []string{c.Args[0], "-q", "-e", fmt.Sprintf(`profile:hz:99 /pid == %d/ { @[ustack(3)] = count(); } interval:ms:500 { exit(); }`, spinner.Process.Pid)}
		out, errs := c.run(t, 10*time.Second, nil)
		if !strings.Contains(out, "deploy.spin+") {
			t.Errorf("the spinning function is not named: /proc/PID/root is unreadable?\nstdout:\n%s\nstderr:\n%s", out, errs)
		}
	})
}

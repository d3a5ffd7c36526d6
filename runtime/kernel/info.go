package kernel

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// readLockdown reads the kernel's lockdown mode, "none", "integrity" or
// "confidentiality", from /sys/kernel/security/lockdown, once. Where
// securityfs is not mounted, it mounts it in a mount namespace of its own
// that ends with the read, so that nothing stays mounted.
var readLockdown = sync.OnceValues(func() (string, error) {
	const dir, file = "/sys/kernel/security", "lockdown"
	b, err := os.ReadFile(filepath.Join(dir, file))
	if errors.Is(err, os.ErrNotExist) && !hasPath(filepath.Join(dir, "lsm")) { // securityfs is not mounted
		if os.Geteuid() != 0 {
			return "", errors.New("securityfs is not mounted, and mounting it needs root")
		}
		b, err = readPrivateMount("securityfs", dir, file)
	}
	if errors.Is(err, os.ErrNotExist) {
		return "", errors.New("no lockdown LSM")
	}
	if err != nil {
		return "", err
	}
	return lockdownMode(string(b)), nil
})

// lockdownMode picks the bracketed mode out of "none [integrity] confidentiality".
func lockdownMode(s string) string {
	if _, rest, ok := strings.Cut(s, "["); ok {
		if mode, _, ok := strings.Cut(rest, "]"); ok {
			return mode
		}
	}
	return strings.TrimSpace(s)
}

// readPrivateMount mounts a file system of type fstype at dir and reads
// file in it, on a thread with a mount namespace of its own. The thread
// stays locked, so it exits with its goroutine, and the mount with it.
func readPrivateMount(fstype, dir, file string) ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: see above
		var r result
		if r.err = unix.Unshare(unix.CLONE_NEWNS); r.err == nil {
			r.err = unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, "")
		}
		if r.err == nil {
			r.err = unix.Mount(fstype, dir, fstype, 0, "")
		}
		if r.err == nil {
			r.b, r.err = os.ReadFile(filepath.Join(dir, file))
		} else {
			r.err = fmt.Errorf("mounting %s in a private namespace: %w", fstype, r.err)
		}
		done <- r
	}()
	r := <-done
	return r.b, r.err
}

// WriteInfo writes hawk --info's report: a System section (kernel release
// and machine from uname, the kernel's BTF and its size and whether modules
// have BTF, where tracefs is mounted, the number of CPUs, root or not, the
// lockdown mode), then a Kernel features section with one line per feature
// as Features finds them: "  raw tracepoints: yes" or
// "  kprobes: no (no kprobe PMU and no kprobe_events in tracefs)". It needs
// root to probe; without it, each feature says what was refused.
func WriteInfo(w io.Writer) error {
	tracefsBefore := fsMountPoint("tracefs")
	feats := Features()
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "System")
	for _, line := range systemLines(tracefsBefore) {
		fmt.Fprintf(bw, "  %s\n", line)
	}
	fmt.Fprintln(bw, "\nKernel features")
	for _, f := range feats {
		switch {
		case !f.OK:
			fmt.Fprintf(bw, "  %s: no (%s)\n", f.Name, f.Detail)
		case f.Detail != "":
			fmt.Fprintf(bw, "  %s: yes (%s)\n", f.Name, f.Detail)
		default:
			fmt.Fprintf(bw, "  %s: yes\n", f.Name)
		}
	}
	return bw.Flush()
}

// systemLines describes the system: kernel, BTF, tracefs, CPUs, privileges
// and lockdown. tracefsBefore is where tracefs was mounted before Features
// ran, which mounts it when it can.
func systemLines(tracefsBefore string) []string {
	var lines []string
	var uts unix.Utsname
	if err := unix.Uname(&uts); err == nil {
		lines = append(lines, fmt.Sprintf("kernel: %s %s %s",
			unix.ByteSliceToString(uts.Sysname[:]), unix.ByteSliceToString(uts.Release[:]), unix.ByteSliceToString(uts.Machine[:])))
	}
	lines = append(lines, "BTF: "+btfSummary())
	tfs := fsMountPoint("tracefs")
	switch {
	case tfs == "":
		tfs = "not mounted"
	case tracefsBefore == "":
		tfs += " (mounted by hawk just now)"
	}
	lines = append(lines, "tracefs: "+tfs)
	cpus := fmt.Sprintf("CPUs: %d online", cpuListCount("/sys/devices/system/cpu/online"))
	if n, err := ebpf.PossibleCPU(); err == nil {
		cpus += fmt.Sprintf(", %d possible", n)
	}
	lines = append(lines, cpus)
	lines = append(lines, "privileges: "+privilegeSummary())
	mode, err := readLockdown()
	if err != nil {
		mode = "unknown (" + foldLines(err.Error()) + ")"
	}
	lines = append(lines, "lockdown: "+mode)
	return lines
}

// btfSummary says whether the kernel describes itself in BTF, how large
// that is, and whether modules have BTF of their own.
func btfSummary() string {
	const dir = "/sys/kernel/btf"
	st, err := os.Stat(filepath.Join(dir, "vmlinux"))
	if err != nil {
		return "none (no /sys/kernel/btf/vmlinux: CONFIG_DEBUG_INFO_BTF off)"
	}
	s := fmt.Sprintf("%s/vmlinux, %.1f MiB", dir, float64(st.Size())/(1<<20))
	entries, _ := os.ReadDir(dir)
	if mods := len(entries) - 1; mods > 0 {
		return s + fmt.Sprintf(", %d modules with BTF", mods)
	}
	return s + ", no module BTF"
}

// fsMountPoint is where a file system of type fstype is first mounted, or "".
func fsMountPoint(fstype string) string {
	b, err := os.ReadFile("/proc/self/mounts")
	if err != nil {
		return ""
	}
	for line := range strings.Lines(string(b)) {
		// tracefs /sys/kernel/tracing tracefs rw,relatime 0 0
		if fields := strings.Fields(line); len(fields) > 2 && fields[2] == fstype {
			return fields[1]
		}
	}
	return ""
}

// cpuListCount counts the CPUs in a CPU list file such as "0-3,5\n", or gives
// the CPUs Go may use when it cannot read it.
func cpuListCount(path string) int {
	cpus, err := readCPUList(path)
	if err != nil {
		return runtime.NumCPU()
	}
	return len(cpus)
}

// privilegeSummary says whether hawk runs as root and, if not, which of the
// capabilities that tracing needs it has.
func privilegeSummary() string {
	if uid := os.Geteuid(); uid != 0 {
		caps := tracingCaps()
		if Privileged() {
			return fmt.Sprintf("unprivileged (uid %d%s)", uid, caps)
		}
		return fmt.Sprintf("unprivileged (uid %d%s): %v", uid, caps, ErrPrivileges)
	}
	return "root"
}

// tracingCaps lists the effective capabilities among CAP_SYS_ADMIN,
// CAP_PERFMON and CAP_BPF, each with a leading ", ".
func tracingCaps() string {
	eff := effectiveCaps()
	s := ""
	for _, c := range []struct {
		bit  uint
		name string
	}{{unix.CAP_SYS_ADMIN, "CAP_SYS_ADMIN"}, {unix.CAP_PERFMON, "CAP_PERFMON"}, {unix.CAP_BPF, "CAP_BPF"}} {
		if eff&(1<<c.bit) != 0 {
			s += ", " + c.name
		}
	}
	return s
}

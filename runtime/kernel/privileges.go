package kernel

import (
	"errors"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk/runtime/tracefs"
)

// ErrPrivileges is hawk's one-line refusal to trace without the privileges
// tracing needs.
var ErrPrivileges = errors.New("tracing needs " + tracefs.Privileges)

// CheckPrivileges returns ErrPrivileges unless the process may load
// tracing programs and open perf events: it has CAP_BPF and CAP_PERFMON,
// or CAP_SYS_ADMIN, which implies both (root has all three).
func CheckPrivileges() error {
	if Privileged() {
		return nil
	}
	return ErrPrivileges
}

// Privileged reports whether the process has the capabilities tracing
// needs: CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN.
func Privileged() bool {
	eff := effectiveCaps()
	has := func(c uint) bool { return eff&(1<<c) != 0 }
	return has(unix.CAP_SYS_ADMIN) || has(unix.CAP_BPF) && has(unix.CAP_PERFMON)
}

// HasCapability reports whether the process has the capability c
// (unix.CAP_SYS_ADMIN, ...) in its effective set.
func HasCapability(c uint) bool { return effectiveCaps()&(1<<c) != 0 }

// effectiveCaps returns the process's effective capabilities, a bit per
// capability, from capget(2); else from /proc (statusCaps).
func effectiveCaps() uint64 {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err == nil {
		return uint64(data[0].Effective) | uint64(data[1].Effective)<<32
	}
	return statusCaps()
}

// statusCaps reads the process's effective capabilities from
// /proc/self/status, which the kernel writes out whole for each read (a
// third of a millisecond); all of them for root when /proc cannot say.
func statusCaps() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		if os.Geteuid() == 0 {
			return ^uint64(0)
		}
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "CapEff:"); ok {
			eff, _ := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
			return eff
		}
	}
	return 0
}

package kernel

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk/runtime/tracefs"
)

// OnlineCPUs lists the online CPUs, from /sys/devices/system/cpu/online.
func OnlineCPUs() ([]int, error) { return readCPUList("/sys/devices/system/cpu/online") }

// readCPUList reads a CPU list file such as "0-3,5\n".
func readCPUList(path string) ([]int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := strings.TrimSpace(string(b))
	var cpus []int
	for part := range strings.SplitSeq(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		first, err := strconv.Atoi(lo)
		if err != nil {
			return nil, fmt.Errorf("bad CPU list %q in %s", s, path)
		}
		last := first
		if isRange {
			if last, err = strconv.Atoi(hi); err != nil {
				return nil, fmt.Errorf("bad CPU list %q in %s", s, path)
			}
		}
		for c := first; c <= last; c++ {
			cpus = append(cpus, c)
		}
	}
	return cpus, nil
}

// KprobesAvailable reports whether the kernel can create kprobes: through
// the kprobe PMU or tracefs's kprobe_events.
func KprobesAvailable() bool {
	for _, p := range []string{"/sys/bus/event_source/devices/kprobe", filepath.Join(tracefs.Path, "kprobe_events")} {
		if _, err := os.Stat(p); err == nil {
			return true
		}
	}
	return false
}

// NoPMU reports whether perf_event_open's error says the machine has no
// hardware counters for the event, as in most virtual machines.
func NoPMU(err error) bool {
	return errors.Is(err, unix.ENOENT) || errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.ENODEV)
}

// OpenPerfEvent opens a perf event, closed on exec, for pid (-1: every
// process) on cpu (-1: every CPU).
func OpenPerfEvent(attr unix.PerfEventAttr, pid, cpu int) (int, error) {
	attr.Size = uint32(unsafe.Sizeof(attr))
	return unix.PerfEventOpen(&attr, pid, cpu, -1, unix.PERF_FLAG_FD_CLOEXEC)
}

package runtime

import "golang.org/x/sys/unix"

// bootNanos reads CLOCK_BOOTTIME, the clock bpf_ktime_get_boot_ns reads.
func bootNanos() int64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts); err != nil {
		return 0
	}
	return ts.Nano()
}

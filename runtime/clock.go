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

// taiDelta measures how far the TAI clock is ahead of the boot clock, in
// nanoseconds, for nsecs(sw_tai): of five reads of TAI between two reads
// of the boot clock, the one whose boot reads are closest, against their
// midpoint.
func taiDelta() int64 {
	var best, window int64 = 0, -1
	for range 5 {
		var b1, tai, b2 unix.Timespec
		if unix.ClockGettime(unix.CLOCK_BOOTTIME, &b1) != nil || unix.ClockGettime(unix.CLOCK_TAI, &tai) != nil ||
			unix.ClockGettime(unix.CLOCK_BOOTTIME, &b2) != nil {
			return 0
		}
		if w := b2.Nano() - b1.Nano(); window < 0 || w < window {
			window = w
			best = tai.Nano() - (b1.Nano()+b2.Nano())/2
		}
	}
	return best
}

package runtime

import (
	"testing"
	"time"
)

// TestStrftimeMicroseconds checks bpftrace's %f, %l and %k: the
// microseconds, milliseconds and nanoseconds of the second, cut (not
// rounded).
func TestStrftimeMicroseconds(t *testing.T) {
	at := time.Unix(5, 123456789).UTC()
	if got := strftime("%s.%f|%S|%l|%k", at); got != "5.123456|05|123|123456789" {
		t.Errorf("strftime = %q, want 5.123456|05|123|123456789", got)
	}
}

// TestWallTimeOneOrigin checks that boot-clock timestamps convert with one
// origin, so %f of two of them differs by exactly their distance, as
// bpftrace's strftime("%s.%f", 123000) minus strftime("%s.%f", 0) is
// .000123 whatever the clock read when each was printed.
func TestWallTimeOneOrigin(t *testing.T) {
	for _, ns := range []uint64{123000, 1000123000} {
		a, b := wallTime(0), wallTime(ns)
		time.Sleep(time.Millisecond) // a fresh origin would drift
		c := wallTime(ns)
		if d := b.Sub(a); d != time.Duration(ns) {
			t.Errorf("wallTime(%d) - wallTime(0) = %v, want %v", ns, d, time.Duration(ns))
		}
		if !b.Equal(c) {
			t.Errorf("wallTime(%d) moved from %v to %v", ns, b, c)
		}
	}
}

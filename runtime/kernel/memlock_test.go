package kernel

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

func TestChargesMemlock(t *testing.T) {
	for rel, want := range map[string]bool{
		"4.19.0-25-amd64":   true,
		"5.4.0-150-generic": true,
		"5.10.0-26-amd64":   true,
		"5.11.0":            false,
		"5.15.0-91-generic": false,
		"6.18.0-1-amd64":    false,
		"10.0":              false,
		"6":                 true, // unreadable: raising does no harm
		"":                  true,
		"x.y":               true,
	} {
		if got := chargesMemlock(rel); got != want {
			t.Errorf("chargesMemlock(%q) = %v, want %v", rel, got, want)
		}
	}
}

// TestRaiseMemlock checks that RaiseMemlock lifts RLIMIT_MEMLOCK on a
// kernel that charges BPF memory to it and leaves it as it was on one that
// charges the cgroup, and that a map is then created.
func TestRaiseMemlock(t *testing.T) {
	kerneltest.Require(t)
	var before, after unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_MEMLOCK, &before); err != nil {
		t.Fatal(err)
	}
	RaiseMemlock()
	if err := unix.Getrlimit(unix.RLIMIT_MEMLOCK, &after); err != nil {
		t.Fatal(err)
	}
	want := before
	if chargesMemlock(release()) {
		want = unix.Rlimit{Cur: unix.RLIM_INFINITY, Max: unix.RLIM_INFINITY}
	}
	if after != want {
		t.Errorf("RLIMIT_MEMLOCK went from %+v to %+v on kernel %s, want %+v", before, after, release(), want)
	}
	if err := tryBatchLookup(); err != nil {
		t.Errorf("creating a map with RLIMIT_MEMLOCK as it is: %v", err)
	}
}

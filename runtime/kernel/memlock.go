package kernel

import (
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// Kernels before 5.11 charge the memory of BPF maps and programs to
// RLIMIT_MEMLOCK, whose default (64 KiB to 8 MiB) is too small for most
// scripts; since 5.11 they charge it to the memory cgroup and ignore the
// limit. cilium/ebpf's rlimit package finds out by creating a map with
// the limit at zero, in its package initialisation, on every run of every
// command; the release number says it without a system call more.

// memcgAccountingSince is the first release that charges BPF memory to
// the cgroup (commit 3ac1f01b43b6, "bpf: Eliminate rlimit-based memory
// accounting for bpf progs").
var memcgAccountingSince = [2]int{5, 11}

// RaiseMemlock lifts RLIMIT_MEMLOCK, once per process, where the running
// kernel charges BPF memory to it (before Linux 5.11), as hawk does before
// it creates maps and programs. Failing to raise it is not fatal: the
// load then says what the kernel refused.
func RaiseMemlock() { raiseMemlock() }

var raiseMemlock = sync.OnceFunc(func() {
	if !chargesMemlock(release()) {
		return
	}
	inf := &unix.Rlimit{Cur: unix.RLIM_INFINITY, Max: unix.RLIM_INFINITY}
	_ = unix.Setrlimit(unix.RLIMIT_MEMLOCK, inf)
})

// release is the running kernel's release: "6.18.0-1-amd64".
func release() string {
	var uts unix.Utsname
	if err := unix.Uname(&uts); err != nil {
		return ""
	}
	return unix.ByteSliceToString(uts.Release[:])
}

// chargesMemlock reports whether a kernel of release rel charges BPF
// memory to RLIMIT_MEMLOCK: one older than 5.11, or one whose release
// cannot be read (raising the limit then does no harm).
func chargesMemlock(rel string) bool {
	major, minor, ok := releaseNumbers(rel)
	if !ok {
		return true
	}
	since := memcgAccountingSince
	return major < since[0] || major == since[0] && minor < since[1]
}

// releaseNumbers reads the major and minor numbers from the front of a
// kernel release: 5 and 10 from "5.10.0-26-amd64".
func releaseNumbers(rel string) (major, minor int, ok bool) {
	majorText, rest, found := strings.Cut(rel, ".")
	if !found {
		return 0, 0, false
	}
	end := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(rest)
	}
	major, err1 := strconv.Atoi(majorText)
	minor, err2 := strconv.Atoi(rest[:end])
	return major, minor, err1 == nil && err2 == nil
}

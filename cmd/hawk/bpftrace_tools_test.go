package main

import (
	"os"
)

// bpftraceToolsCache is where scripts/test-deps, which `make test` runs,
// unpacks the .bt tools of Debian's bpftrace package without installing
// bpftrace.
const bpftraceToolsCache = "/var/cache/hawk-test/bpftrace-tools"

// bpftraceToolsDir is where the tests find bpftrace's tools:
// $HAWK_BPFTRACE_TOOLS when set, else /usr/sbin where Debian's bpftrace is
// installed, else bpftraceToolsCache.
func bpftraceToolsDir() string {
	if dir := os.Getenv("HAWK_BPFTRACE_TOOLS"); dir != "" {
		return dir
	}
	if _, err := os.Stat("/usr/sbin/execsnoop.bt"); err == nil {
		return "/usr/sbin"
	}
	return bpftraceToolsCache
}

// bpftraceToolsHint says how to get bpftrace's tools, for a test that
// does not find them.
func bpftraceToolsHint(dir string) string {
	return "in " + dir + ": `make test` as root fetches them into " + bpftraceToolsCache +
		" (scripts/test-deps), or set HAWK_BPFTRACE_TOOLS to where bpftrace's .deb is unpacked"
}

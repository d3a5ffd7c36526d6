package codegen_test

import (
	"testing"

	"github.com/hawktrace/hawk/codegen"
)

// TestRingbufSize: the event ring buffer is as large as the records
// sent need: a page for scripts that send none but exit()'s, the default
// for those that send records, and what perf_rb_pages says when set. The
// wake map exists only where programs submit records that may wake the
// reader.
func TestRingbufSize(t *testing.T) {
	const tp = "tracepoint:syscalls:sys_enter_openat"
	for _, tc := range []struct {
		script string
		size   uint32
		wake   bool
	}{
		{tp + ` { @ = count(); }`, codegen.MinRingbufSize, false},
		{tp + ` { @[comm] = count(); } interval:s:1 { exit(); }`, codegen.MinRingbufSize, false},
		{`BEGIN { exit(); }`, codegen.MinRingbufSize, false},
		// BEGIN and END that run in user space send no record through it.
		{`BEGIN { printf("Tracing...\n"); } ` + tp + ` { @[comm] = count(); } END { print(@); }`, codegen.MinRingbufSize, false},
		{tp + ` { printf("%s %d\n", comm, pid); }`, codegen.DefaultRingbufSize, true},
		{`interval:s:1 { print(@); } ` + tp + ` { @ = count(); }`, codegen.DefaultRingbufSize, true},
		{`config = { perf_rb_pages = 3 } ` + tp + ` { printf("x\n"); }`, 4 * 4096, true},
		{`config = { perf_rb_pages = 64 } ` + tp + ` { @ = count(); }`, 64 * 4096, false},
	} {
		out := compile(t, "size.bt", tc.script)
		if got := out.Spec.Maps[out.Manifest.RingbufMap].MaxEntries; got != tc.size {
			t.Errorf("%s: ring buffer of %d bytes, want %d", tc.script, got, tc.size)
		}
		if wake := out.Manifest.WakeMap != ""; wake != tc.wake || wake != (out.Spec.Maps["hawk_wake"] != nil) {
			t.Errorf("%s: wake map %q (spec %v), want one: %v", tc.script, out.Manifest.WakeMap, out.Spec.Maps["hawk_wake"] != nil, tc.wake)
		}
	}
}

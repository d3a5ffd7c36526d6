package main

import "testing"

// TestExitStopsProbes: after the first exit() the script's probes do
// nothing more, though the runtime detaches them only when the request
// reaches it: a timer firing every 100µs counts once (before, 20 to 100
// times, however long the detach took), and a map cleared before the
// exit() stays empty (bpftrace's tseries tests read their map so).
func TestExitStopsProbes(t *testing.T) {
	runConstructs(t, []construct{
		{name: "a fast timer counts once", script: `interval:us:100 { @n = count(); exit(); }`,
			maps: "@n: 1\n"},
		{name: "a map cleared before exit stays empty", script: `BEGIN { @ts = 0; } interval:us:100 { @ts += 10; @m[@ts] = 1; clear(@ts); exit(); }`,
			maps: "@m[10]: 1\n"},
		// The runtime reads the exit word every second, for an exit()
		// that found no room: an exit() that was sent must not end the
		// run there before the events sent ahead of it are read.
		{name: "events before a sent exit print", script: `profile:ms:1000 { printf("first"); } profile:ms:1000 { printf(" second\n"); exit(); }`,
			re: `^(first)+ second\n\n\n$`},
		{name: "exit in BEGIN still runs END", script: `BEGIN { printf("begin\n"); exit(); } interval:us:100 { @n = count(); } END { printf("end\n"); }`,
			out: "begin\nend\n"},
	})
}

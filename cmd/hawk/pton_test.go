package main

import "testing"

// TestPton: pton() gives an address's bytes in network order, a char[4]
// or char[16], which ntop prints back and casts read in memory order.
func TestPton(t *testing.T) {
	runConstructs(t, []construct{
		{
			name:   "ipv4_and_ipv6",
			script: `BEGIN { printf("%x %s %s %d\n", (uint32)pton("127.0.0.1"), ntop(2, pton("127.0.0.1")), ntop(10, pton("::1")), sizeof(pton("fe80::1"))); $a = pton("10.1.2.3"); print($a); @[pton("1.2.3.4")] = 1; exit(); }`,
			out:    "100007f 127.0.0.1 ::1 16\n[10,1,2,3]\n",
			maps:   "@[[1,2,3,4]]: 1\n",
		},
	})
}

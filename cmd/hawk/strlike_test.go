package main

import "testing"

// TestStringLikeArguments: strlen, strstr, strcontains, strncmp and
// str_concat take char arrays and char pointers as the strings they hold,
// as bpftrace v0.26's standard library does (`strlen(args.filename)`):
// an array is read to its length, a pointer as str() reads it.
func TestStringLikeArguments(t *testing.T) {
	runConstructs(t, []construct{
		{name: "a char array", script: `BEGIN { printf("%d %d %d %d %s\n", strlen(curtask->comm), strstr(curtask->comm, "wk"), strcontains(curtask->comm, "haw"), strncmp(curtask->comm, "hax", 2), str_concat(curtask->comm, "!")); exit(); }`,
			out: "4 2 1 0 hawk!\n"},
		{name: "a char pointer", script: `tracepoint:syscalls:sys_enter_execve /strcontains(args.filename, "strlike-marker")/ { printf("%d %d %d\n", strlen(args.filename), strstr(args.filename, "marker"), strncmp(args.filename, "/tmp/hawk-", 10)); exit(); }`,
			trigger: []string{"/tmp/hawk-strlike-marker"}, out: "24 18 0\n"},
	})
}

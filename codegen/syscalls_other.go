//go:build !amd64

package codegen

// syscallNumbers is empty where hawk has no table of the system call
// numbers: every syscall tracepoint uses its perf tracepoint.
var syscallNumbers = map[string]int{}

// Package listing answers `hawk -l [PATTERN]` and `hawk -lv`: it prints the
// probes of the running kernel, or of a binary, that a pattern matches,
// one a line, spelled as bpftrace v0.26 spells them:
//
//	tracepoint:sched:sched_switch
//	rawtracepoint:vmlinux:sched_switch
//	kprobe:vfs_read
//	fentry:vmlinux:vfs_read
//	software:cpu-clock:
//	hardware:cpu-cycles:
//	iter:task
//	uprobe:/usr/bin/bash:readline
//	usdt:/usr/lib/libc.so.6:libc:setjmp
//
// A pattern is PROVIDER:REST, where the provider may be an alias (t, k,
// kfunc, f, rt, s, h, u, U, ...) or a wildcard, and REST is matched with
// '*' (any run of characters, colons included) and '?' (any one
// character). Without a pattern, or with one that names no provider, the
// kernel's probes of every kind are listed, kind by kind in alphabetical
// order (fentry, hardware, iter, kprobe, rawtracepoint, software,
// tracepoint), each kind's probes sorted bytewise. A pattern without a
// colon is matched against what follows the provider: `hawk -l vfs_read`
// lists kprobe:vfs_read and fentry:vmlinux:vfs_read. Several patterns may
// be given separated by commas.
//
// Some kinds are listed only when asked for by name: kretprobe, fexit,
// interval and profile (their units), and the probes of a binary,
// uprobe:BINARY[:FUNC] (its functions) and usdt:BINARY[[:PROVIDER]:NAME]
// (its USDT probes), where BINARY is a path, a program in $PATH, a library
// name such as libc, or a glob of paths. A wildcard provider takes in
// uprobe and usdt too when the pattern's second part is an existing file:
// `hawk -l '*:./prog:*'`.
//
// With Verbose, each probe is followed by its arguments, four spaces in:
// a tracepoint's fields as its format file declares them, the BTF
// arguments of a raw tracepoint, fentry, fexit or iterator, a kprobe's
// arguments as arg0, arg1, ... and a kretprobe's return type.
package listing

// Package sdtprog builds sdtprog, a small C program with USDT probes, for
// tests of hawk's usdt support. It needs gcc, but not sys/sdt.h: the
// program emits its SDT notes with inline assembly of its own.
package sdtprog

// Package usdt reads USDT probes, the SystemTap SDT probes that sys/sdt.h
// (and DTRACE_PROBE) compile into a program, from x86-64 ELF binaries.
//
// Each probe site is a nop with an ELF note in section .note.stapsdt
// (owner "stapsdt", type 3) that records its address, the address of the
// section .stapsdt.base at link time (to undo prelink), the address of
// its semaphore if it has one, its provider and name, and a string that
// says where each argument is, in GNU as operand syntax:
//
//	-4@%edi 8@-16(%rbp) -4@$5 8@(%rax,%rdx,8) -4@counter(%rip)
//
// Probes and Find return the sites with the file offsets that a uprobe
// attaches at (Probe.Offset, for link.UprobeOptions.Address) and that the
// kernel counts tracers in (Probe.SemaphoreOffset, for
// link.UprobeOptions.RefCtrOffset, Linux 4.20+), and each argument as an
// Arg a code generator can read from the uprobe's struct pt_regs.
//
// The rules follow libbpf's src/usdt.c, the reference bpftrace uses, with
// two differences: the prelink correction applies to the semaphore as well
// as to the probe (as the SystemTap wiki says it should), and an argument
// addressed through a symbol, as in -4@counter(%rip), is read relative to
// the probe's own address rather than refused.
package usdt

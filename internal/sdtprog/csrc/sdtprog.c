/*
 * sdtprog: a test program with USDT (SystemTap SDT) probes, for hawk's
 * tests. sys/sdt.h is not needed: the macros below emit the same
 * .note.stapsdt notes and .stapsdt.base section that it does.
 *
 * usage: sdtprog N   fire the probes N times, 10 ms apart (0: until killed)
 *
 * Each iteration i (from 0) fires
 *   hawktest:tick    (int32 i, int64 i*1000, const char *"hello")
 *   hawktest:gated   (int32 i), only while a tracer holds its semaphore
 *   hawktest:global  (int32 hawktest_total, a global read through %rip,
 *                     int16 -i, uint8 200+i)
 * where hawktest_total is i+1 when it fires. It prints nothing.
 */
#include <stdlib.h>
#include <time.h>

/* The note's argument string "SIZE@OPERAND": %n prints the negation of an
 * "n" operand, so a signed argument gets +size here and -size in the note. */
#define SDT_TYPE(x) __typeof__(__builtin_choose_expr( \
	((__builtin_classify_type(x) + 3) & -4) == 4, (x), 0UL))
#define SDT_SIGNED(x) ((SDT_TYPE(x))-1 < (SDT_TYPE(x))0)
#define SDT_SIZE(x) (SDT_SIGNED(x) ? (int)sizeof(x) : -(int)sizeof(x))
#define SDT_ARG(n, x) [s##n] "n"(SDT_SIZE(x)), [a##n] "nor"(x)

#include "sdt_note.h"

#define A(n) "%n[s" #n "]@%[a" #n "]"

#define SDT_PROBE1(p, n, sema, x1) \
	__asm__ __volatile__(SDT_NOTE(p, n, sema, A(1)) :: SDT_ARG(1, x1))
#define SDT_PROBE3(p, n, sema, x1, x2, x3)                               \
	__asm__ __volatile__(SDT_NOTE(p, n, sema, A(1) " " A(2) " " A(3)) \
			     :: SDT_ARG(1, x1), SDT_ARG(2, x2), SDT_ARG(3, x3))

/* The semaphore of hawktest:gated: the kernel counts the tracers attached
 * to it (uprobe ref_ctr_offset), and the program fires the probe only then. */
volatile unsigned short hawktest_gated_semaphore __attribute__((section(".probes")));

/* A global the hawktest:global probe reads from memory, through %rip. */
volatile int hawktest_total;

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1;
	struct timespec pause = {0, 10 * 1000 * 1000};
	const char *hello = "hello";
	/* Fault in the string's page, as a real program's data would be: a
	 * BPF program cannot read a page that is not there yet. */
	if (*(volatile const char *)hello != 'h')
		return 1;
	for (int i = 0; n == 0 || i < n; i++) {
		hawktest_total = i + 1;
		SDT_PROBE3(hawktest, tick, "0", i, (long)i * 1000, hello);
		if (hawktest_gated_semaphore)
			SDT_PROBE1(hawktest, gated, "hawktest_gated_semaphore", i);
		SDT_PROBE3(hawktest, global, "0", hawktest_total, (short)-i,
			   (unsigned char)(200 + i));
		if (n == 0 || i + 1 < n)
			nanosleep(&pause, NULL);
	}
	return 0;
}

/*
 * uprobes: a test program for hawk's uprobe and usdt probes.
 *
 * usage: uprobes N   call the functions and fire the probes N times,
 *                    10 ms apart (0: until killed)
 *        uprobes flat FILE
 *                    map FILE, a flat binary (bare code, no ELF), and
 *                    call its first byte, once
 *
 * Iteration i (from 0) calls hawk_tick(i) and hawk_zero() (a function
 * whose symbol has size 0), then fires the usdt probes hawkconst:u32,
 * hawkconst:s32, hawkconst:u16 and hawkconst:s8, whose one argument is a
 * constant in the note (4@$-202182160, -4@$-202182160, 2@$-3600,
 * -1@$-16), then hawkconst:gated (-4@$7) while a tracer holds its
 * semaphore. The global hawk_magic is 0x1234567890.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* A USDT note whose argument string is written out: "4@$-5" and the like. */
#include "../../../../internal/sdtprog/csrc/sdt_note.h"
#define NOTE(provider, name, sema, args) \
	__asm__ __volatile__(SDT_NOTE(provider, name, sema, args))

volatile unsigned short hawkconst_gated_semaphore __attribute__((section(".probes")));

/* hawk_zero: a function whose symbol has no size (no .size directive). */
__asm__(".text\n.globl hawk_zero\n.type hawk_zero, @function\nhawk_zero:\n\tret\n");
void hawk_zero(void);

volatile int hawk_total;

/* A global of known value, for uaddr(). */
volatile long hawk_magic = 0x1234567890;

__attribute__((noinline)) int hawk_tick(int i)
{
	hawk_total += i;
	return hawk_total;
}

/* runFlat maps a flat binary and calls the code at its start. */
static int runFlat(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 1;
	void *code = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	close(fd);
	if (code == MAP_FAILED)
		return 1;
	((void (*)(void))code)();
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "flat") == 0)
		return runFlat(argv[2]);
	long n = argc > 1 ? atol(argv[1]) : 1;
	struct timespec pause = {0, 10 * 1000 * 1000};
	for (int i = 0; n == 0 || i < n; i++) {
		hawk_tick(i);
		hawk_zero();
		NOTE(hawkconst, u32, "0", "4@$-202182160");
		NOTE(hawkconst, s32, "0", "-4@$-202182160");
		NOTE(hawkconst, u16, "0", "2@$-3600");
		NOTE(hawkconst, s8, "0", "-1@$-16");
		if (hawkconst_gated_semaphore)
			NOTE(hawkconst, gated, "hawkconst_gated_semaphore", "-4@$7");
		if (n == 0 || i + 1 < n)
			nanosleep(&pause, NULL);
	}
	return 0;
}

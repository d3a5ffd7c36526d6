/*
 * spin: a test program for hawk's --pprof: it burns CPU in
 * hawk_spin_leaf, called by hawk_spin_outer, called by main, so that a
 * profile of its user stacks names those three.
 *
 * usage: spin SECONDS   spin for SECONDS seconds (0: until killed)
 */
#include <stdlib.h>
#include <time.h>

volatile unsigned long hawk_spin_sink;

__attribute__((noinline)) void hawk_spin_leaf(void)
{
	for (int i = 0; i < 1000000; i++)
		hawk_spin_sink += i;
}

__attribute__((noinline)) void hawk_spin_outer(void)
{
	hawk_spin_leaf();
	__asm__ __volatile__("" ::: "memory"); /* not a tail call */
}

int main(int argc, char **argv)
{
	long seconds = argc > 1 ? atol(argv[1]) : 0;
	time_t end = time(NULL) + seconds;
	while (seconds == 0 || time(NULL) < end)
		hawk_spin_outer();
	return 0;
}

/* inlineprog: a program whose calls go through functions gcc always
 * inlines, for tests of source lines and inlined frames in stacks. The
 * markers in comments name lines the tests look for. */
#include <stdlib.h>
#include <unistd.h>

volatile int inlineprog_sink;

/* On one line each, so that their entry and body share the line. */
__attribute__((noinline, noipa)) void hawk_leaf(int n) { inlineprog_sink = n; } /* @leaf */
__attribute__((noinline, noipa)) void hawk_target(int n) { hawk_leaf(n); inlineprog_sink = n; } /* @target */

static inline __attribute__((always_inline)) void inner(int n)
{
	hawk_target(n);
	inlineprog_sink = n + 1; /* @inner */
}

static inline __attribute__((always_inline)) void middle(int n)
{
	inner(n * 2); /* @middle */
}

__attribute__((noinline, noipa)) void outer(int n)
{
	middle(n); /* @outer */
}

int main(int argc, char **argv)
{
	int count = argc > 1 ? atoi(argv[1]) : 0;
	for (int i = 0; count == 0 || i < count; i++) {
		outer(i); /* @main */
		usleep(10000);
	}
	return 0;
}

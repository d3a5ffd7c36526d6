// Built with -O2 -fomit-frame-pointer: no function keeps a frame pointer,
// so only the call frame information (.eh_frame) tells a stack's frames.
#include <unistd.h>

volatile int sink;

__attribute__((noinline)) void funcD(void) { sink = 42; }
__attribute__((noinline)) void funcC(void) { funcD(); sink; }
__attribute__((noinline)) void funcB(void) { funcC(); sink; }
__attribute__((noinline)) void funcA(void) { funcB(); sink; }

int main(void)
{
	for (;;) {
		funcA();
		usleep(500);
	}
}

/* watch writes its global counter n times, 20 ms apart, for watchpoint
 * tests: hawk -c './watch 3' -e 'watchpoint:ADDR:8:w { ... }' where ADDR is
 * the address of `counter` (built with -no-pie, so it is fixed). */
#include <stdlib.h>
#include <time.h>

volatile long counter;

int main(int argc, char **argv) {
	int n = argc > 1 ? atoi(argv[1]) : 3;
	struct timespec ts = {0, 20 * 1000 * 1000};
	for (int i = 0; i < n; i++) {
		nanosleep(&ts, 0);
		counter = i + 1;
	}
	return 0;
}

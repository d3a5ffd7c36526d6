/* uaddr calls target() n times, through outer(), for tests of uprobes at
 * an address (uprobe:./uaddr:0xADDR, ADDR as nm prints it) and of user
 * stacks: hawk -c './uaddr 3' -e 'uprobe:./uaddr:0x... { ... }'. The tests
 * build it both as a PIE and not. */
#include <stdlib.h>

volatile long total;

__attribute__((noinline)) void target(int i) {
	total += i;
}

__attribute__((noinline)) void outer(int i) {
	target(i);
	total++;
}

int main(int argc, char **argv) {
	int n = argc > 1 ? atoi(argv[1]) : 3;
	for (int i = 0; i < n; i++)
		outer(i);
	return 0;
}

/* cdecl fills a struct sample (sample.h) and passes it to observe(),
 * which the cdecl test probes with a uprobe. */
#include "sample.h"

__attribute__((noinline)) void observe(struct sample *s) { __asm__ volatile("" : : "r"(s) : "memory"); }

int main(void) {
	struct sample s = {0};
	s.tag = 'T';
	s.lo = 9;
	s.mid = 200;
	s.hi = 4000;
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 3; j++)
			s.grid[i][j] = (short)(10 * i + j - 3);
	s.ratio = 2.5;
	s.corners[1].x = -7;
	s.corners[1].y = 8;
	s.word = 0x04030201;
	s.tight.c = 'p';
	s.tight.big = 1234567890123LL;
	s.flag = 1;
	s.count = 0xABCDE12345ULL;
	s.name = "sample";
	s.last = 99;
	observe(&s);
	return 0;
}

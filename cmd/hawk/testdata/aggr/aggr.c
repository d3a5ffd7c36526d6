// The test program of cmd/hawk/aggregates_test.go: structs, arrays of
// structs, arrays of pointers and byte arrays in memory, handed to one
// function that uprobes read.
#include <stdint.h>

struct T {
  uint32_t a;
  uint32_t b[2];
};

struct W {
  uint32_t a;
  struct T t;
};

struct C {
  uint32_t a;
  void *b;
  struct W w[5];
};

struct Foo {
  int m;
  int n;
};

struct P {
  int *z[4];
};

struct A {
  int x[4];
  uint8_t y[4];
};

__attribute__((noinline)) void aggregates(struct C *c, struct Foo *f, struct P *p, struct A *a)
{
  __asm__ volatile("" : : "r"(c), "r"(f), "r"(p), "r"(a) : "memory");
}

int main(void)
{
  struct C c = {.a = 0x55555555, .b = (void *)0x55555555};
  for (int x = 0; x < 5; x++) {
    c.w[x].a = 100 + x;
    c.w[x].t.a = x;
    c.w[x].t.b[0] = 100 - x;
    c.w[x].t.b[1] = 100 - 2 * x;
  }
  struct Foo f = {.m = 2, .n = 3};
  int ints[4] = {1, 2, 3, 4};
  struct P p = {{&ints[0], &ints[1], &ints[2], &ints[3]}};
  struct A a = {{1, 2, 3, 4}, {0x01, 0x02, 0x03, 0x04}};
  aggregates(&c, &f, &p, &a);
  return 0;
}

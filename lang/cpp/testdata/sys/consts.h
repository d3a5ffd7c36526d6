/* Constants written the ways headers write them. */
#ifndef CONSTS_H
#define CONSTS_H
#include "sub/inner.h"
#define PLAIN 42
#define HEX 0x1f
#define OCT 0755
#define NEG (-5)
#define CHAIN PLAIN
#define SUM (PLAIN + HEX * 2)
#define SHIFTED (1U << 31)
#define WIDE (1UL << 40)
#define ALL_ONES (~0U)
#define MINUS_ONE_U (-1U)
#define TERNARY (PLAIN > 40 ? 1 : 2)
#define LOGIC (PLAIN && !0 || 0)
#define CAST ((unsigned char)0x1ff)
#define PTRCAST ((void *)0)
#define TYPEDEF_CAST ((my_type_t)7)
#define CHARC 'A'
#define ESCAPED '\n'
#define LONG_SUFFIX 100L
#define SIZE sizeof(int)
#define PTRSIZE sizeof(char *)
#define NOT_CONST some_function()
#define FLOAT 1.5
#define STRING "text"
#define SELF SELF
#define _IOC(dir, type, nr, size) (((dir) << 30) | ((type) << 8) | (nr) | ((size) << 16))
#define _IOW(type, nr, size) _IOC(1U, (type), (nr), sizeof(size))
#define IOCTL_SET _IOW('x', 3, int)
#define CAT(a, b) a##b
#define PASTED CAT(PLA, IN)
#define STR(x) #x
#define VARIADIC(fmt, ...) (fmt + VA_COUNT(__VA_ARGS__))
#define VA_COUNT(...) 3
#define VAR_USE VARIADIC(1, a, b, c)
#define DIV_ZERO_DEAD (0 && 1 / 0)
#define DIV_ZERO (1 / 0)
#define UNSIGNED_CMP (-1 < 0U)
#define SIGNED_CMP (-1 < 0)
#define UNDEFINED_NAME THIS_IS_NOT_DEFINED
enum colour { RED, GREEN = 5, BLUE, BLACK = GREEN * 10 };
enum { WITH_MACRO = PLAIN + 1,
	NEXT_LINE };
#define RED RED
#undef NEG
#define NEG (-6)
#endif

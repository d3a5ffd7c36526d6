#define LEVEL 3
#if LEVEL == 1
#define PICKED 1
#elif LEVEL == 2 || defined(NOT_THERE)
#define PICKED 2
#elif defined LEVEL && LEVEL >= 3
# if 0
#  define PICKED 30
#  error not read: the branch is off
# else
#  define PICKED 3
# endif
#else
#define PICKED 4
#endif
#ifdef LEVEL
#define HAS_LEVEL 1
#endif
#ifndef LEVEL
#define HAS_LEVEL 0
#endif
#if UNKNOWN_NAME_IS_ZERO
#define UNKNOWN 1
#else
#define UNKNOWN 0
#endif
#if __x86_64__ + __aarch64__ + 0 > 0 && __linux__ && __STDC__ && __LP64__
#define PREDEFINED 1
#endif
#if __has_include(<consts.h>) && !__has_include("no-such.h")
#define HAS_INCLUDE 1
#endif
#if (0x7fffffffffffffff + 0 > 0) && (-1 > 0u)
#define IF_ARITH 1
#endif

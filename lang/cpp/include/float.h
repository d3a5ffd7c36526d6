/* hawk's float.h: only the integer-valued constants. */
#ifndef _HAWK_FLOAT_H
#define _HAWK_FLOAT_H
#define FLT_RADIX 2
#define FLT_MANT_DIG 24
#define DBL_MANT_DIG 53
#define LDBL_MANT_DIG 64
#define FLT_DIG 6
#define DBL_DIG 15
#define LDBL_DIG 18
#define FLT_MIN_EXP (-125)
#define DBL_MIN_EXP (-1021)
#define FLT_MAX_EXP 128
#define DBL_MAX_EXP 1024
#define DECIMAL_DIG 21
#define FLT_EVAL_METHOD 0
#endif

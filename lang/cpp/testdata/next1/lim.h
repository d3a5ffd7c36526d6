#define LIM_FIRST 1
#include_next <lim.h>

/* Found first through -I: it stands in front of sys/consts.h. */
#define FROM_USER 1
#include_next <consts.h>

/* No guard: a and b include each other forever. */
#include "cycle_b.h"

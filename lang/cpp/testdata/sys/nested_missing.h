#define BEFORE_MISSING 1
#include <does/not/exist.h>

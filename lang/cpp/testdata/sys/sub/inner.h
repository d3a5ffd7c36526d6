#define INNER 7
#include "sibling.h"

#ifndef ALLOWED
#error "include <error.h> only with ALLOWED"
#endif

/* A header for lang's tests of #include: its constants, and one that
   needs another header. */
#ifndef PROTO_H
#define PROTO_H
#include "net/family.h"
#define PROTO_TCP 6
#define PROTO_MASK ((1 << PROTO_TCP) | FAMILY_INET)
#endif

#ifndef GUARDED_H
#define GUARDED_H
#ifdef GUARDED_SEEN
#define GUARDED_TWICE 1
#endif
#define GUARDED_SEEN 1
#endif

/* Found beside inner.h, as a "quoted" include. */
#define SIBLING (INNER + 1)

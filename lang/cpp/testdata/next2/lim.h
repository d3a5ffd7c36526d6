#define LIM_SECOND 2

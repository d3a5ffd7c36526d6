#if 1
#define X 1

/* The struct the cdecl test reads: built into cdecl.c by gcc and read by
 * hawk from the same text, so a layout that differs from gcc's reads
 * wrong values. Only struct definitions: hawk reads this as script. */
struct point { int x, y; };
struct sample {
	char tag;
	unsigned int lo:4, mid:8, :0, hi:12;
	short grid[2][3];
	double ratio;
	struct point corners[2];
	union { unsigned int word; unsigned char bytes[4]; };
	struct { char c; long long big; } __attribute__((packed)) tight;
	unsigned long long flag:1, count:40;
	const char *name;
	int last
};

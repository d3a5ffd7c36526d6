/* Read many times over, for the budget of bytes. */
#define BIG_1 1
#define BIG_2 2
#define BIG_3 3
#define BIG_4 4
#define BIG_5 5
#define BIG_6 6
#define BIG_7 7
#define BIG_8 8

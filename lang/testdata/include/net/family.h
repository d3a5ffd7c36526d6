#define FAMILY_INET 2

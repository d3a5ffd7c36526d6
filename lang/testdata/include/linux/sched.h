/* Stands in front of the system's linux/sched.h for lang's tests: a
   header of the built-in table whose own include is missing. */
#include <no/such/header.h>

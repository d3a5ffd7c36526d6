/* hawk's stdnoreturn.h. */
#ifndef _HAWK_STDNORETURN_H
#define _HAWK_STDNORETURN_H
#define noreturn _Noreturn
#endif

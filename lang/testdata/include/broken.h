#ifndef WANTED
#error "broken.h needs WANTED"
#endif

// glibc's malloc arena limit for the `purse` executable: set by a constructor in
// malloc_arenas.c, before main; there is nothing to call.
#ifndef PURSE_MALLOC_ARENAS_H
#define PURSE_MALLOC_ARENAS_H
#endif

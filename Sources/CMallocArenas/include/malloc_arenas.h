// glibc's malloc tuning for Purse: the arena limit is set by a constructor in malloc_arenas.c,
// before main; the heap is given back to the system on request.
#ifndef PURSE_MALLOC_ARENAS_H
#define PURSE_MALLOC_ARENAS_H

/// Returns the heap's free pages to the system (glibc's malloc_trim(0); nothing elsewhere).
void purse_release_free_heap(void);

#endif

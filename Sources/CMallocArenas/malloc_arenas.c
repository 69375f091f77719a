// One malloc arena for the `purse` process, unless the environment chose a limit
// (MALLOC_ARENA_MAX, or arena_max in GLIBC_TUNABLES).
//
// Why: glibc gives every thread that allocates a new arena of its own, up to eight per core, and
// each arena keeps its own free pages. `purse serve` works on the concurrency pool's threads, the
// stdin reader and libcurl's threads, and after ten paid requests held 2.6 MiB of heap in six
// arenas where one arena holds 2.2 MiB. The server's allocations are few and small (one client,
// one request at a time) and each thread still allocates from its own cache (tcache) first, so
// sharing one arena's lock costs nothing measurable.
//
// Why a constructor: the limit only stops arenas not yet created, so it must be set before any
// other thread allocates. (Set on the first line of the then async main, it came after five
// arenas were made: that line already ran on a pool thread.)

#include <stdlib.h> // defines __GLIBC__ on glibc

#if defined(__GLIBC__)
#include <malloc.h>
#include <string.h>

__attribute__((constructor)) static void purse_limit_malloc_arenas(void) {
    const char *tunables = getenv("GLIBC_TUNABLES");
    if (!getenv("MALLOC_ARENA_MAX") && !(tunables && strstr(tunables, "arena_max"))) mallopt(M_ARENA_MAX, 1);
    // Why a trim threshold of 1 MiB: glibc gives the top of the heap back whenever a free leaves
    // more than its threshold there (128 KiB at first), and a paid request's ledger writes
    // allocate and free SQLite's 64 KiB statement journals (every statement that fires the budget
    // triggers has one): the heap shrank and grew again about three times per paid request, each
    // time paying brk and the page faults of the pages it then touched again. The memory still
    // goes back: `serve` trims the heap itself once it is quiet (HeapTrim, below), and a command
    // exits.
    if (!getenv("MALLOC_TRIM_THRESHOLD_") && !(tunables && strstr(tunables, "trim_threshold"))) mallopt(M_TRIM_THRESHOLD, 1 << 20);
    // Why an mmap threshold of 1 MiB: setting the trim threshold turns off glibc's moving mmap
    // threshold, so every allocation of 128 KiB or more got pages of its own from mmap and gave
    // them back with munmap when freed. A paid request's task allocates its async frames in one
    // slab of 214 KiB (`PaymentDriver.pay`'s frame), so each payment paid an mmap, a page fault
    // for every page it touched and a munmap whose TLB shootdown interrupts the other core. From
    // the heap, the slab's pages are reused from one payment to the next; `serve`'s trim when
    // quiet still gives them back.
    if (!getenv("MALLOC_MMAP_THRESHOLD_") && !(tunables && strstr(tunables, "mmap_threshold"))) mallopt(M_MMAP_THRESHOLD, 1 << 20);
}

// Gives the heap's free pages back to the system: malloc_trim(0) also releases free pages inside
// the heap, where glibc's automatic trim only returns its top. `purse serve` calls it once a burst
// of work has ended (HeapTrim), so an idle server keeps only the memory it still uses.
void purse_release_free_heap(void) {
    malloc_trim(0);
}
#else
void purse_release_free_heap(void) {}
#endif

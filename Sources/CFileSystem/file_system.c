// Why a C function: statfs(2) is the one call that names a file system's type, and Swift's
// Glibc module does not import <sys/statfs.h>. The ledger asks before it lengthens its
// write-ahead log ahead of its commits (WALPreallocation): on a file system in memory no sync
// waits for a disk, so the zeros would only take 4 MiB of memory for nothing.

#include "file_system.h"

#if defined(__linux__)
#include <sys/statfs.h>

// From <linux/magic.h>, spelled out so that no kernel headers are needed to build.
#define PURSE_TMPFS_MAGIC 0x01021994
#define PURSE_RAMFS_MAGIC 0x858458f6

int purse_file_system_in_memory(const char *path) {
    struct statfs fs;
    if (statfs(path, &fs) != 0) return -1;
    return (fs.f_type == PURSE_TMPFS_MAGIC || fs.f_type == PURSE_RAMFS_MAGIC) ? 1 : 0;
}
#else
int purse_file_system_in_memory(const char *path) {
    (void)path;
    return 0;
}
#endif

// What Purse asks of a file system that Swift's Glibc module does not declare (statfs).
#ifndef PURSE_FILE_SYSTEM_H
#define PURSE_FILE_SYSTEM_H

/// 1 when the file system holding `path` keeps its files in memory (tmpfs, ramfs), 0 when it
/// does not or this platform cannot tell, -1 when `path` cannot be examined.
int purse_file_system_in_memory(const char *path);

#endif

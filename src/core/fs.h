/*
 * fs.h: file helpers with the durability isms promises: atomic replace (write to a
 * temporary file, fsync, rename, fsync the folder) and explicit modes for secrets.
 */
#ifndef ISMS_CORE_FS_H
#define ISMS_CORE_FS_H

#include <stddef.h>
#include <sys/types.h>

struct buf;

/* Creates the folder with mode (no error if it exists with that kind). */
int fs_mkdir(const char *path, mode_t mode);
/* Writes the file atomically with the given mode; refuses symlinks at path. */
int fs_write_atomic(const char *path, const void *p, size_t n, mode_t mode);
/* Reads a whole file of at most max bytes into b (appended). -ERR_NOT_FOUND if absent,
 * -ERR_TOO_LARGE past max. */
int fs_read(const char *path, size_t max, struct buf *b);
/* True when path exists. */
int fs_exists(const char *path);
/* Joins dir and name; the caller frees. */
char *fs_join(const char *dir, const char *name);

#endif

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
/* fsyncs the folder that holds path (after a rename or create in it). */
int fs_sync_parent(const char *path);
/* Reads a key file of exactly len bytes that only its owner may read (0600, not a symlink):
 * -ERR_NOT_FOUND, -ERR_FORBIDDEN (readable by others, a symlink), -ERR_INVALID (length). */
int fs_read_key(const char *path, void *key, size_t len);
/* Removes path and everything below it (no error when absent); never follows symlinks. */
int fs_remove_tree(const char *path);
/* Copies from to "to" through "to.partial" (0600, fsync, rename, fsync of the folder), so a
 * crash never leaves a half "to"; sha receives the SHA-256 of what was copied. */
int fs_copy_durable(const char *from, const char *to, unsigned char sha[32]);
/* The SHA-256 of a file's content. */
int fs_sha256_file(const char *path, unsigned char sha[32]);
/* Joins dir and name; the caller frees. */
char *fs_join(const char *dir, const char *name);

#endif

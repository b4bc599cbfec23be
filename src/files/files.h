/*
 * files.h: attachments and evidence, content-addressed (DESIGN "One binary, one data
 * folder"): DIR/files/ab/cdef… named by the SHA-256 of the content, written atomically, with
 * a size limit and an allow-list of types recognized from the content itself (never from
 * the name or the client's Content-Type).
 */
#ifndef ISMS_FILES_FILES_H
#define ISMS_FILES_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/common.h"

struct store;
struct actor;
struct problem;
struct buf;

#define FILE_MAX   (20u << 20) /* 20 MiB */
#define SHA256_HEX 65

/* The type of content (a MIME type from the allow-list), or NULL when not allowed:
 * PDF, PNG, JPEG, GIF, WebP, Office (OOXML and the older OLE formats), OFD, ZIP, and UTF-8
 * text (plain text, CSV). */
const char *file_sniff(const void *data, size_t len);

/* Stores a file (once per content) and its first name; *ret_sha = its SHA-256 in hex.
 * 413 past FILE_MAX, 400 "unsupported_file_type". Audited. */
int file_put(struct store *st, const char *data_dir, const struct actor *a, const void *data,
             size_t len, const char *name, char ret_sha[SHA256_HEX], char **ret_type,
             struct problem *p);
/*
 * May the actor read this file (by its SHA-256 in hex)? Everyone who uploaded its content, a
 * reader of a record or request it is attached to (the application's object reader decides),
 * the security and audit administrators and assessors, and the local operator. An unknown
 * file is false like an unreadable one, so that nobody learns which contents exist. Only a
 * file the actor may read can be attached (forms and requests ask this).
 */
bool file_may_read(struct store *st, const struct actor *a, const char *sha);
/* Records that a file is attached to object kind:id ("record", "request"); once. */
int file_link(struct store *st, const char *sha, const char *kind, int64_t id);
/* May the actor read object kind:id? Registered by the application, which knows the modules
 * that own the kinds (NULL: nobody reads through a link). */
typedef bool (*file_object_reader)(struct store *st, const struct actor *a, const char *kind,
                                   int64_t id);
void files_set_object_reader(file_object_reader fn);
/* Reads a file for an actor who may read it (file_may_read); 404 otherwise. */
int file_get(struct store *st, const char *data_dir, const struct actor *a, const char *sha,
             struct buf *out, char **ret_type, char **ret_name, struct problem *p);

#endif

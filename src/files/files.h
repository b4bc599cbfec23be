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
/* Was a file of this SHA-256 (hex) uploaded? */
bool file_exists(struct store *st, const char *sha);
/* Reads a file for an actor allowed to see it: its uploader, the applicant and approvers of a
 * request it is attached to, the security and audit administrators and assessors. */
int file_get(struct store *st, const char *data_dir, const struct actor *a, const char *sha,
             struct buf *out, char **ret_type, char **ret_name, struct problem *p);

#endif

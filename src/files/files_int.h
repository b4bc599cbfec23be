/*
 * files_int.h: the SQL of table files (files_store.c).
 */
#ifndef ISMS_FILES_FILES_INT_H
#define ISMS_FILES_FILES_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

struct store;

/* Inserts the row unless the content is known already. */
int files_store_insert(struct store *st, const char *sha, int64_t size, const char *type,
                       const char *name, int64_t by);
int files_store_load(struct store *st, const char *sha, char **ret_type, char **ret_name,
                     int64_t *ret_owner);
/* Records that user uploaded the content (once). */
int files_store_uploader_add(struct store *st, const char *sha, int64_t user_id);
/* Did user upload the content? */
bool files_store_uploaded_by(struct store *st, const char *sha, int64_t user_id);
/* The objects a file is attached to: [{"kind","id"}]. */
int files_store_links(struct store *st, const char *sha, json_t **ret);
int files_store_link_add(struct store *st, const char *sha, const char *kind, int64_t id);

#endif

/*
 * files_int.h: the SQL of table files (files_store.c).
 */
#ifndef ISMS_FILES_FILES_INT_H
#define ISMS_FILES_FILES_INT_H

#include <stdbool.h>
#include <stdint.h>

struct store;

/* Inserts the row unless the content is known already. */
int files_store_insert(struct store *st, const char *sha, int64_t size, const char *type,
                       const char *name, int64_t by);
int files_store_load(struct store *st, const char *sha, char **ret_type, char **ret_name,
                     int64_t *ret_owner);
/* Is the file attached to a request the user filed or is an approver of? */
bool files_store_shared_with(struct store *st, const char *sha, int64_t user_id);

#endif

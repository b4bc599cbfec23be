/*
 * sla_int.h: shared inside src/sla; all SQL is in the *_store.c files.
 */
#ifndef ISMS_SLA_SLA_INT_H
#define ISMS_SLA_SLA_INT_H

#include "sla/sla.h"

/* The stored calendar JSON (NULL when never stored) and its version (0 then). */
int calendar_store_get(struct store *st, char **ret_json, int64_t *ret_version);
/* Writes it where the stored version is still `version` (a first write: 0); -ERR_CONFLICT
 * when someone changed it meanwhile. */
int calendar_store_put(struct store *st, const char *json, int64_t version);

#endif

/*
 * org_int.h: the store functions shared inside src/org (all SQL is in org_store.c).
 */
#ifndef ISMS_ORG_ORG_INT_H
#define ISMS_ORG_ORG_INT_H

#include "org/org.h"

int org_store_user_insert(struct store *st, const struct user_input *in, const char *pw_hash,
                          int64_t now, int64_t *ret_id);
int org_store_user_update(struct store *st, const struct user *u);
int org_store_user_set_disabled(struct store *st, int64_t id, bool disabled);
int org_store_user_set_expiry(struct store *st, int64_t id, int64_t expires_at);
/* The next account after `after` (by id) that holds an administrator role: 1 and *ret
 * filled, 0 when none is left. */
int org_store_next_admin(struct store *st, int64_t after, struct user *ret);
int org_store_roles_replace(struct store *st, int64_t id, unsigned roles, int64_t by, int64_t now);
int org_store_sessions_end(struct store *st, int64_t user_id);
int org_store_department_exists(struct store *st, int64_t id);
/* A department's parent (0 = none); -ERR_NOT_FOUND. */
int org_store_department_parent(struct store *st, int64_t id, int64_t *ret);
int org_store_department_load(struct store *st, int64_t id, json_t **ret);
int org_store_department_insert(struct store *st, const char *name, int64_t parent, int64_t head,
                                int64_t now, int64_t *ret_id);
int org_store_department_update(struct store *st, int64_t id, const char *name, int64_t parent,
                                int64_t head, int64_t version);

#endif

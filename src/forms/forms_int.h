/*
 * forms_int.h: shared inside src/forms; all SQL is in forms_store.c.
 */
#ifndef ISMS_FORMS_FORMS_INT_H
#define ISMS_FORMS_FORMS_INT_H

#include "forms/forms.h"

/* 1 when the "user" or "department" exists, 0 when not, < 0 on error. */
int forms_store_exists(struct store *st, const char *kind, int64_t id);
/* A "user" by id, login name or (unique) display name; a "department" by id or name.
 * -ERR_NOT_FOUND, or -ERR_CONFLICT when a name is ambiguous. */
int forms_store_lookup(struct store *st, const char *kind, const char *name, int64_t *ret_id);

struct record_row {
	int64_t id, department_id, owner_id, request_id;
	int64_t created_at, created_by, updated_at, updated_by, version;
	bool flagged;
	char *type, *status;
	json_t *data, *flags;
};
void record_row_release(struct record_row *r);
json_t *record_row_json(const struct record_row *r);

/* Inserts (sets r->id) or updates (where version = r->version - 1) a record with its search
 * text and key rows ([[field, value], …]); update: -ERR_CONFLICT on a stale version. */
int forms_store_record_insert(struct store *st, struct record_row *r, const char *body,
                              json_t *keys);
int forms_store_record_update(struct store *st, const struct record_row *r, const char *body,
                              json_t *keys);
int forms_store_record_load(struct store *st, int64_t id, struct record_row *ret);
/* Appends up to f->limit matching records (JSON) to items; *ret_next = the cursor of the next
 * page or 0. all: the actor reads every record of the type; else only those of me. */
int forms_store_record_list(struct store *st, const struct record_filter *f, bool all, int64_t me,
                            json_t *items, int64_t *ret_next);
/* Names for export: a user's display name, a department's name ("" when absent). */
char *forms_store_name(struct store *st, const char *kind, int64_t id);

#endif

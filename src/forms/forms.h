/*
 * forms.h: records of the policy pack's registers (台账, SPEC REC-1, REC-2): validated against
 * their form, versioned (409 on a stale version), filtered, searched, exported to XLSX/CSV
 * and imported from them. Permissions come from the register (docs/policy-pack.md):
 * writers create and edit; writers and readers read everything; anyone else reads what they
 * created or own, and a department head what belongs to the department.
 */
#ifndef ISMS_FORMS_FORMS_H
#define ISMS_FORMS_FORMS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/common.h"
#include "forms/pack.h"
#include "forms/sheet.h"

struct store;
struct actor;
struct problem;

/*
 * Validates data (an object) against form f. On success *ret is a normalized copy (datetimes
 * in UTC) and *ret_flags (may be NULL) the array of number fields outside their normal range.
 * On failure -ERR_INVALID with p->field the JSON path ("<prefix>.<field>") of the first bad
 * value. Users and departments named must exist; files named must be ones the actor a may
 * read (files/files.h: file_may_read).
 */
int form_validate(struct store *st, const struct actor *a, const struct form *f, json_t *data,
                  const char *prefix, json_t **ret, json_t **ret_flags, struct problem *p);
/* Records every file of data's file fields as attached to kind:id (files/files.h), so that the
 * object's readers may read them. */
int form_link_files(struct store *st, const struct form *f, json_t *data, const char *kind,
                    int64_t id);
/* Converts one spreadsheet cell of field fd to its JSON value (names of users, departments
 * and enum labels resolved); NULL for an empty cell. -ERR_INVALID with p->detail set. */
int form_cell_value(struct store *st, const struct field *fd, const char *cell, json_t **ret,
                    struct problem *p);

/* May the actor create/edit records of this register? read all of them? */
/* Follows every record created or updated (one hook per process). */
void forms_set_change_hook(change_hook hook);

bool reg_may_write(const struct reg *g, const struct actor *a);
bool reg_may_read_all(const struct reg *g, const struct actor *a);

/* The record JSON of the API: {id,type,status,department_id,owner_id,request_id,data,flags,
 * created_at,created_by,updated_at,updated_by,version}. */

/* Creates a record; request_id (0 = none) links it to the request whose execution made it.
 * A system actor (user_id 0) may always write. */
int record_create(struct store *st, const struct pack *pk, const struct actor *a, const char *type,
                  json_t *data, int64_t request_id, int64_t *ret_id, struct problem *p);
int record_get(struct store *st, const struct pack *pk, const struct actor *a, int64_t id,
               json_t **ret, struct problem *p);
/* The audit entries of a record, newest first, for those who may read it (the address of
 * each change is left out). */
int record_history(struct store *st, const struct pack *pk, const struct actor *a, int64_t id,
                   int64_t after, int limit, json_t **ret_items, int64_t *ret_next,
                   struct problem *p);
/* changes: {"version", "data"?: {field: value|null, …} merged, "status"?}. */
int record_update(struct store *st, const struct pack *pk, const struct actor *a, int64_t id,
                  json_t *changes, struct problem *p);

#define RECORD_KEY_FILTERS 3

struct record_filter {
	const char *type;      /* required */
	const char *status;    /* NULL = any */
	int64_t department_id; /* 0 = any */
	int64_t owner_id;      /* 0 = any */
	bool flagged;          /* only records with a value out of its normal range */
	const char *q;         /* full-text substring, NULL = none */
	const char *key_field[RECORD_KEY_FILTERS]; /* field = value (enum, user, department, */
	const char *key_value[RECORD_KEY_FILTERS]; /* date, bool, asset fields) */
	int64_t after; /* cursor: records older than this id; 0 = newest first */
	int limit;
};
/* Lists records, newest first. */
int record_list(struct store *st, const struct pack *pk, const struct actor *a,
                const struct record_filter *f, json_t **ret_items, int64_t *ret_next,
                struct problem *p);

/* The records of f (limit ignored, at most 100000) as a table: the column titles in Chinese
 * (en: English) and one row per record; kinds[] (ncols entries, caller frees) tells number
 * columns. The export is audited. */
int record_export(struct store *st, const struct pack *pk, const struct actor *a,
                  const struct record_filter *f, bool en, struct sheet *ret,
                  enum sheet_cell_kind **ret_kinds, struct problem *p);

/*
 * Imports a table (row 0: titles in Chinese or English, or field ids) into register type.
 * Every row is checked first; *ret_report = {"rows", "valid", "errors":[{"row","column",
 * "field","message"}], "created"}. With any error, or with dry_run, nothing is written.
 * Rows are numbered as the spreadsheet shows them (the title row is 1).
 */
int record_import(struct store *st, const struct pack *pk, const struct actor *a, const char *type,
                  const struct sheet *t, bool dry_run, json_t **ret_report, struct problem *p);

/* init --demo: the registers' example records (forms/demo.c, core/demo.h). */
struct demo_org;
int forms_demo(const struct demo_org *d);

#endif

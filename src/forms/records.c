/*
 * records.c: the verbs on register records: create, read, update (optimistic version), list,
 * export and import. Each change and its audit entry commit in one transaction.
 */
#include "core/common.h"

#include <math.h>

#include "audit/audit.h"
#include "core/actor.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "forms/forms.h"
#include "forms/forms_int.h"
#include "org/org.h"
#include "store/store.h"

#define EXPORT_MAX        100000
#define IMPORT_ERRORS_MAX 500

static change_hook record_hook;

void forms_set_change_hook(change_hook hook)
{
	record_hook = hook;
}

bool reg_may_write(const struct reg *g, const struct actor *a)
{
	return a->user_id == 0 || !g->writers || (a->roles & g->writers);
}

bool reg_may_read_all(const struct reg *g, const struct actor *a)
{
	return a->user_id == 0 || (a->roles & (g->writers | g->readers));
}

static bool may_read(struct store *st, const struct reg *g, const struct actor *a,
                     const struct record_row *r)
{
	return reg_may_read_all(g, a) || r->created_by == a->user_id || r->owner_id == a->user_id ||
	       (a->user_id > 0 && org_department_head(st, r->department_id) == a->user_id);
}

static char *object_of(int64_t id)
{
	return xasprintf("record:%" PRId64, id);
}

/* The search text and key rows of a record's data. */
static void index_of(const struct form *f, json_t *data, struct buf *body, json_t **ret_keys)
{
	json_t *keys = json_array(), *v, *e;
	char num[32];
	size_t i, j;

	for (i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];

		v = json_object_get(data, fd->id);
		if (!v)
			continue;
		switch (fd->type) {
		case FT_TEXT:
		case FT_ASSET:
			(void)buf_adds(body, json_string_value(v));
			(void)buf_addch(body, '\n');
			if (fd->type == FT_ASSET)
				json_array_append_new(keys, json_pack("[s, O]", fd->id, v));
			break;
		case FT_ENUM:
			if (!fd->multiple) {
				json_array_append_new(keys, json_pack("[s, O]", fd->id, v));
				break;
			}
			json_array_foreach(v, j, e) {
				json_array_append_new(keys, json_pack("[s, O]", fd->id, e));
			}
			break;
		case FT_USER:
		case FT_DEPARTMENT:
			(void)snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
			               json_integer_value(v));
			json_array_append_new(keys, json_pack("[s, s]", fd->id, num));
			break;
		case FT_DATE:
			json_array_append_new(keys, json_pack("[s, O]", fd->id, v));
			break;
		case FT_BOOL:
			json_array_append_new(keys, json_pack("[s, s]", fd->id,
			                                      json_is_true(v) ? "true" : "false"));
			break;
		default:
			break;
		}
	}
	*ret_keys = keys;
}

static bool status_known(const struct reg *g, const char *status)
{
	size_t i;
	json_t *e;

	json_array_foreach(g->statuses, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "id")), status) == 0)
			return true;
	}
	return false;
}

/* Fills owner and department from the register's fields (or the creator's department). */
static void derive(struct store *st, const struct reg *g, const struct actor *a,
                   struct record_row *r)
{
	json_t *v;

	r->owner_id = 0;
	if (g->owner_field && (v = json_object_get(r->data, g->owner_field->id)))
		r->owner_id = json_integer_value(v);
	if (g->department_field) {
		v = json_object_get(r->data, g->department_field->id);
		r->department_id = v ? json_integer_value(v) : 0;
	} else if (r->department_id == 0 && a->user_id > 0) {
		r->department_id = org_user_department(st, a->user_id);
	}
	r->flagged = json_array_size(r->flags) > 0;
}

/* Validates and inserts one record inside the caller's transaction, with its audit entry. */
static int insert(struct store *st, const struct reg *g, const struct actor *a, json_t *data,
                  int64_t request_id, int64_t *ret_id, struct problem *p)
{
	struct record_row r = { 0 };
	struct buf body = BUF_INIT(BUF_NOMAX);
	json_t *keys = NULL, *after;
	char *obj = NULL;
	int rc;

	rc = form_validate(st, a, g->form, data, "data", &r.data, &r.flags, p);
	if (rc < 0)
		return rc;
	r.type = xstrdup(g->id);
	r.status =
	        xstrdup(json_string_value(json_object_get(json_array_get(g->statuses, 0), "id")));
	r.request_id = request_id;
	r.created_at = clock_now();
	r.created_by = a->user_id;
	derive(st, g, a, &r);
	index_of(g->form, r.data, &body, &keys);
	rc = forms_store_record_insert(st, &r, body.len ? body.data : "", keys);
	if (rc == 0)
		rc = form_link_files(st, g->form, r.data, "record", r.id);
	if (rc == 0) {
		obj = object_of(r.id);
		after = record_row_json(&r);
		rc = audit_append(st, &(struct audit_event){ .actor = a,
		                                             .action = "record.create",
		                                             .object = obj,
		                                             .after = after });
		if (rc == 0 && record_hook)
			rc = record_hook(st, "record", after);
		json_decref(after);
		*ret_id = r.id;
	}
	free(obj);
	json_decref(keys);
	buf_release(&body);
	record_row_release(&r);
	return rc;
}

static int reg_of(const struct pack *pk, const char *type, const struct reg **ret,
                  struct problem *p)
{
	*ret = type ? pack_reg(pk, type) : NULL;
	if (!*ret)
		return problem_setf(p, ERR_INVALID, "invalid", "type",
		                    "no register \"%.60s\" in the policy pack", type ? type : "");
	return 0;
}

int record_create(struct store *st, const struct pack *pk, const struct actor *a, const char *type,
                  json_t *data, int64_t request_id, int64_t *ret_id, struct problem *p)
{
	const struct reg *g;
	int r = reg_of(pk, type, &g, p);

	if (r < 0)
		return r;
	if (!reg_may_write(g, a))
		return problem_setf(p, ERR_FORBIDDEN, "forbidden", NULL,
		                    "only %s keep this register", "its writers");
	r = store_begin(st);
	if (r < 0)
		return r;
	r = insert(st, g, a, data, request_id, ret_id, p);
	return store_end(st, r);
}

static int load_readable(struct store *st, const struct pack *pk, const struct actor *a, int64_t id,
                         struct record_row *ret, const struct reg **ret_g, struct problem *p)
{
	int r = forms_store_record_load(st, id, ret);

	if (r == -ERR_NOT_FOUND)
		return problem_set(p, ERR_NOT_FOUND, "not_found", NULL);
	if (r < 0)
		return r;
	*ret_g = pack_reg(pk, ret->type);
	if (!*ret_g || !may_read(st, *ret_g, a, ret)) {
		record_row_release(ret);
		return problem_set(p, ERR_NOT_FOUND, "not_found", NULL);
	}
	return 0;
}

int record_get(struct store *st, const struct pack *pk, const struct actor *a, int64_t id,
               json_t **ret, struct problem *p)
{
	struct record_row r;
	const struct reg *g;
	int rc = load_readable(st, pk, a, id, &r, &g, p);

	if (rc < 0)
		return rc;
	*ret = record_row_json(&r);
	record_row_release(&r);
	return 0;
}

int record_history(struct store *st, const struct pack *pk, const struct actor *a, int64_t id,
                   int64_t after, int limit, json_t **ret_items, int64_t *ret_next,
                   struct problem *p)
{
	struct record_row r;
	const struct reg *g;
	char *obj;
	json_t *e;
	size_t i;
	int rc = load_readable(st, pk, a, id, &r, &g, p);

	if (rc < 0)
		return rc;
	record_row_release(&r);
	obj = object_of(id);
	rc = audit_list(st, &(struct audit_filter){ .object = obj, .after = after, .limit = limit },
	                ret_items, ret_next);
	free(obj);
	if (rc < 0)
		return rc;
	/* Who changed what and when; the address it came from stays with the audit admin. */
	json_array_foreach(*ret_items, i, e) {
		json_object_del(e, "source");
	}
	return 0;
}

int record_update(struct store *st, const struct pack *pk, const struct actor *a, int64_t id,
                  json_t *changes, struct problem *p)
{
	struct record_row r = { 0 };
	const struct reg *g = NULL;
	struct buf body = BUF_INIT(BUF_NOMAX);
	json_t *version = json_object_get(changes, "version"),
	       *data = json_object_get(changes, "data");
	json_t *status = json_object_get(changes, "status"), *merged = NULL, *before = NULL, *after;
	json_t *keys = NULL, *norm = NULL, *flags = NULL;
	char *obj = NULL;
	int rc;

	if (!json_is_integer(version))
		return problem_setf(p, ERR_INVALID, "invalid", "version",
		                    "send the version you read, to detect concurrent edits");
	if (data && !json_is_object(data))
		return problem_setf(p, ERR_INVALID, "invalid", "data",
		                    "must be an object of fields");
	if (status && !json_is_string(status))
		return problem_setf(p, ERR_INVALID, "invalid", "status", "must be a status id");
	rc = store_begin(st);
	if (rc < 0)
		return rc;
	rc = load_readable(st, pk, a, id, &r, &g, p);
	if (rc < 0)
		goto end;
	if (!reg_may_write(g, a)) {
		rc = problem_setf(p, ERR_FORBIDDEN, "forbidden", NULL,
		                  "only its writers edit this register");
		goto end;
	}
	if (r.version != json_integer_value(version)) {
		rc = problem_setf(p, ERR_CONFLICT, "stale_version", "version",
		                  "the record changed since you read it (now version %" PRId64 ")",
		                  r.version);
		goto end;
	}
	if (status && !status_known(g, json_string_value(status))) {
		rc = problem_setf(p, ERR_INVALID, "invalid", "status",
		                  "not a status of this register");
		goto end;
	}
	before = record_row_json(&r);
	merged = json_deep_copy(r.data);
	if (data) {
		const char *key;
		json_t *v;

		json_object_foreach(data, key, v) {
			if (json_is_null(v))
				json_object_del(merged, key);
			else
				json_object_set(merged, key, v);
		}
	}
	rc = form_validate(st, a, g->form, merged, "data", &norm, &flags, p);
	if (rc < 0)
		goto end;
	json_decref(r.data);
	json_decref(r.flags);
	r.data = norm;
	r.flags = flags;
	if (status) {
		free(r.status);
		r.status = xstrdup(json_string_value(status));
	}
	derive(st, g, a, &r);
	r.updated_at = clock_now();
	r.updated_by = a->user_id;
	r.version++;
	index_of(g->form, r.data, &body, &keys);
	rc = forms_store_record_update(st, &r, body.len ? body.data : "", keys);
	if (rc == -ERR_CONFLICT)
		rc = problem_set(p, ERR_CONFLICT, "stale_version", "version");
	if (rc == 0)
		rc = form_link_files(st, g->form, r.data, "record", id);
	if (rc < 0)
		goto end;
	obj = object_of(id);
	after = record_row_json(&r);
	rc = audit_append(st, &(struct audit_event){ .actor = a,
	                                             .action = "record.update",
	                                             .object = obj,
	                                             .before = before,
	                                             .after = after });
	if (rc == 0 && record_hook)
		rc = record_hook(st, "record", after);
	json_decref(after);
end:
	rc = store_end(st, rc);
	free(obj);
	json_decref(keys);
	json_decref(merged);
	json_decref(before);
	buf_release(&body);
	record_row_release(&r);
	return rc;
}

static bool keyed(const struct field *fd)
{
	return fd->type == FT_ENUM || fd->type == FT_USER || fd->type == FT_DEPARTMENT ||
	       fd->type == FT_DATE || fd->type == FT_BOOL || fd->type == FT_ASSET;
}

int record_list(struct store *st, const struct pack *pk, const struct actor *a,
                const struct record_filter *f, json_t **ret_items, int64_t *ret_next,
                struct problem *p)
{
	const struct reg *g;
	int i, r = reg_of(pk, f->type, &g, p);

	if (r < 0)
		return r;
	for (i = 0; i < RECORD_KEY_FILTERS && f->key_field[i]; i++) {
		const struct field *fd = form_field(g->form, f->key_field[i]);

		if (!fd || !keyed(fd))
			return problem_setf(
			        p, ERR_INVALID, "invalid",
			        problem_path(p, "f.%.60s", f->key_field[i]),
			        "filter on an enum, user, department, date, bool or asset "
			        "field of the form");
	}
	if (f->status && !status_known(g, f->status))
		return problem_setf(p, ERR_INVALID, "invalid", "status",
		                    "not a status of this register");
	*ret_items = json_array();
	r = forms_store_record_list(st, f, reg_may_read_all(g, a), a->user_id, *ret_items,
	                            ret_next);
	if (r < 0) {
		json_decref(*ret_items);
		*ret_items = NULL;
	}
	return r;
}

/* --- export ------------------------------------------------------------------------------ */

static const char *status_label(const struct reg *g, const char *status, bool en)
{
	size_t i;
	json_t *e;

	json_array_foreach(g->statuses, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "id")), status) == 0)
			return label_text(json_object_get(e, "label"), en);
	}
	return status;
}

static const char *enum_label(const struct field *fd, const char *id, bool en)
{
	size_t i;
	json_t *e;

	json_array_foreach(fd->values, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "id")), id) == 0)
			return label_text(json_object_get(e, "label"), en);
	}
	return id;
}

/* The text of one value for a spreadsheet (owned). */
static char *cell_text(struct store *st, const struct field *fd, json_t *v, bool en)
{
	struct buf b = BUF_INIT(BUF_NOMAX);
	int64_t t;
	size_t i;
	json_t *e;

	if (!v)
		return xstrdup("");
	switch (fd->type) {
	case FT_NUMBER:
		if (json_is_integer(v))
			(void)buf_addf(&b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		else
			(void)buf_addf(&b, "%.15g", json_number_value(v));
		break;
	case FT_DATETIME:
		/* Local time of the organization (UTC+8), as people type it; imports read it back.
		 */
		if (time_parse_rfc3339(json_string_value(v), &t) == 0) {
			char out[RFC3339_LEN];

			time_format_rfc3339(t + 8 * 3600, out);
			out[10] = ' ';
			out[19] = '\0';
			(void)buf_adds(&b, out);
		}
		break;
	case FT_ENUM:
		if (!fd->multiple) {
			(void)buf_adds(&b, enum_label(fd, json_string_value(v), en));
			break;
		}
		json_array_foreach(v, i, e) {
			if (i)
				(void)buf_adds(&b, en ? ", " : "、");
			(void)buf_adds(&b, enum_label(fd, json_string_value(e), en));
		}
		break;
	case FT_USER:
	case FT_DEPARTMENT:
		return forms_store_name(st, fd->type == FT_USER ? "user" : "department",
		                        json_integer_value(v));
	case FT_BOOL:
		(void)buf_adds(&b, json_is_true(v) ? (en ? "yes" : "是") : (en ? "no" : "否"));
		break;
	default:
		(void)buf_adds(&b, json_string_value(v) ? json_string_value(v) : "");
		break;
	}
	return buf_detach(&b, NULL);
}

int record_export(struct store *st, const struct pack *pk, const struct actor *a,
                  const struct record_filter *f, bool en, struct sheet *ret,
                  enum sheet_cell_kind **ret_kinds, struct problem *p)
{
	struct record_filter page = *f;
	const struct reg *g;
	json_t *items = NULL, *e, *detail;
	const char **cells;
	size_t ncols, i, c;
	int64_t next = 0, total = 0;
	int r = reg_of(pk, f->type, &g, p);

	if (r < 0)
		return r;
	ncols = g->ncolumns + 2;
	*ret_kinds = xcalloc(ncols, sizeof(**ret_kinds));
	cells = xcalloc(ncols, sizeof(*cells));
	sheet_init(ret, ncols);
	cells[0] = en ? "No." : "编号";
	for (c = 0; c < g->ncolumns; c++) {
		cells[c + 1] = label_text(json_object_get(g->columns[c]->def, "label"), en);
		(*ret_kinds)[c + 1] = g->columns[c]->type == FT_NUMBER ? SHEET_NUMBER : SHEET_TEXT;
	}
	cells[ncols - 1] = en ? "Status" : "状态";
	(*ret_kinds)[0] = SHEET_NUMBER;
	(void)sheet_add_row(ret, cells);
	r = store_begin_read(st);
	page.limit = 500;
	while (r == 0) {
		r = record_list(st, pk, a, &page, &items, &next, p);
		if (r < 0)
			break;
		json_array_foreach(items, i, e) {
			char **owned = xcalloc(ncols, sizeof(*owned));
			json_t *data = json_object_get(e, "data");

			owned[0] = xasprintf("%" JSON_INTEGER_FORMAT,
			                     json_integer_value(json_object_get(e, "id")));
			for (c = 0; c < g->ncolumns; c++)
				owned[c + 1] =
				        cell_text(st, g->columns[c],
				                  json_object_get(data, g->columns[c]->id), en);
			owned[ncols - 1] = xstrdup(status_label(
			        g, json_string_value(json_object_get(e, "status")), en));
			(void)sheet_add_row(ret, (const char *const *)owned);
			for (c = 0; c < ncols; c++)
				free(owned[c]);
			free(owned);
			total++;
		}
		json_decref(items);
		items = NULL;
		if (!next || total >= EXPORT_MAX)
			break;
		page.after = next;
	}
	if (store_in_tx(st))
		store_rollback(st);
	free(cells);
	if (r < 0) {
		sheet_free(ret);
		free(*ret_kinds);
		*ret_kinds = NULL;
		return r;
	}
	detail = json_pack("{s:s, s:I, s:b}", "type", g->id, "rows", (json_int_t)total, "english",
	                   en);
	r = audit_record(st, &(struct audit_event){ .actor = a,
	                                            .action = "record.export",
	                                            .object = g->id,
	                                            .detail = detail });
	json_decref(detail);
	if (r < 0) {
		sheet_free(ret);
		free(*ret_kinds);
		*ret_kinds = NULL;
	}
	return r;
}

/* --- import ------------------------------------------------------------------------------ */

/* Which field a column title names: its Chinese or English label or its id; NULL for the
 * columns an export adds (编号, 状态) and -1 (via *unknown) for anything else. */
static const struct field *column_field(const struct form *f, const char *title, bool *unknown)
{
	size_t i;

	*unknown = false;
	for (i = 0; i < f->nfields; i++) {
		json_t *l = json_object_get(f->fields[i].def, "label");

		if (strcmp(title, f->fields[i].id) == 0 ||
		    strcmp(title, label_text(l, false)) == 0 ||
		    strcasecmp(title, label_text(l, true)) == 0)
			return &f->fields[i];
	}
	if (strcmp(title, "编号") && strcasecmp(title, "No.") && strcasecmp(title, "id") &&
	    strcmp(title, "状态") && strcasecmp(title, "status"))
		*unknown = true;
	return NULL;
}

static void add_error(json_t *errors, size_t row, const char *column, const char *field,
                      const char *msg)
{
	if (json_array_size(errors) >= IMPORT_ERRORS_MAX)
		return;
	json_array_append_new(errors, json_pack("{s:I, s:s, s:s?, s:s}", "row", (json_int_t)row,
	                                        "column", column, "field", field, "message", msg));
}

int record_import(struct store *st, const struct pack *pk, const struct actor *a, const char *type,
                  const struct sheet *t, bool dry_run, json_t **ret_report, struct problem *p)
{
	const struct reg *g;
	const struct field **cols;
	json_t *errors, *rows, *data, *v, *norm;
	struct problem cp;
	size_t row, c, valid = 0, nerr_rows = 0;
	int64_t id;
	int r = reg_of(pk, type, &g, p);
	bool unknown;

	if (r < 0)
		return r;
	if (!reg_may_write(g, a))
		return problem_setf(p, ERR_FORBIDDEN, "forbidden", NULL,
		                    "only its writers import into this register");
	if (t->nrows < 1)
		return problem_setf(
		        p, ERR_INVALID, "invalid", "file",
		        "the sheet is empty: the first row must hold the column titles");
	errors = json_array();
	rows = json_array();
	cols = xcalloc(t->ncols ? t->ncols : 1, sizeof(*cols));
	for (c = 0; c < t->ncols; c++) {
		cols[c] = column_field(g->form, sheet_cell(t, 0, c), &unknown);
		if (unknown && *sheet_cell(t, 0, c))
			add_error(errors, 1, sheet_cell(t, 0, c), NULL,
			          "no field of this register has this title");
	}
	for (row = 1; row < t->nrows; row++) {
		bool ok = true;

		data = json_object();
		for (c = 0; c < t->ncols; c++) {
			if (!cols[c])
				continue;
			memset(&cp, 0, sizeof(cp));
			if (form_cell_value(st, cols[c], sheet_cell(t, row, c), &v, &cp) < 0) {
				add_error(errors, row + 1, sheet_cell(t, 0, c), cols[c]->id,
				          cp.detail);
				ok = false;
				continue;
			}
			if (v)
				json_object_set_new(data, cols[c]->id, v);
		}
		/* Whole-record rules (required fields, ranges) name the column too. */
		while (ok) {
			memset(&cp, 0, sizeof(cp));
			if (form_validate(st, a, g->form, data, "data", &norm, NULL, &cp) == 0) {
				json_decref(norm);
				break;
			}
			{
				const char *fid = cp.field && strncmp(cp.field, "data.", 5) == 0
				                          ? cp.field + 5
				                          : "";
				const struct field *fd = form_field(g->form, fid);
				const char *title =
				        fd ? label_text(json_object_get(fd->def, "label"), false)
				           : fid;

				add_error(errors, row + 1, title, fd ? fd->id : NULL, cp.detail);
				ok = false;
				/* Report further bad cells of the row too: drop this one and retry.
				 */
				if (fd && json_object_get(data, fd->id)) {
					json_object_del(data, fd->id);
					if (!fd->required)
						continue;
				}
			}
		}
		if (ok) {
			valid++;
			json_array_append(rows, data);
		} else {
			nerr_rows++;
		}
		json_decref(data);
	}
	r = 0;
	if (json_array_size(errors) == 0 && !dry_run) {
		size_t i;

		r = store_begin(st);
		json_array_foreach(rows, i, data) {
			if (r < 0)
				break;
			r = insert(st, g, a, data, 0, &id, p);
		}
		if (r == 0) {
			json_t *detail =
			        json_pack("{s:s, s:I}", "type", g->id, "rows", (json_int_t)valid);

			r = audit_append(st, &(struct audit_event){ .actor = a,
			                                            .action = "record.import",
			                                            .object = g->id,
			                                            .detail = detail });
			json_decref(detail);
		}
		r = store_end(st, r);
	}
	if (r == 0)
		*ret_report = json_pack(
		        "{s:I, s:I, s:I, s:o, s:I, s:b}", "rows", (json_int_t)(t->nrows - 1),
		        "valid", (json_int_t)valid, "invalid_rows", (json_int_t)nerr_rows, "errors",
		        errors, "created",
		        (json_int_t)(json_array_size(errors) == 0 && !dry_run ? valid : 0),
		        "dry_run", dry_run);
	else
		json_decref(errors);
	json_decref(rows);
	free(cols);
	return r;
}

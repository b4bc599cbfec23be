/*
 * forms_store.c: the SQL of records (table records, record_keys, records_fts).
 */
#include "core/common.h"

#include "core/alloc.h"
#include "core/clock.h"
#include "core/util.h"
#include "forms/forms_int.h"
#include "store/store.h"

static const char SQL_USER_EXISTS[] = "SELECT 1 FROM users WHERE id = $1";
static const char SQL_DEPT_EXISTS[] = "SELECT 1 FROM departments WHERE id = $1";

int forms_store_exists(struct store *st, const char *kind, int64_t id)
{
	int64_t one;

	return store_query_int(st, strcmp(kind, "user") == 0 ? SQL_USER_EXISTS : SQL_DEPT_EXISTS,
	                       id, &one);
}

static const char SQL_USER_LOOKUP[] =
        "SELECT id FROM users WHERE id = CAST($1 AS INTEGER) AND $1 GLOB '[0-9]*' "
        "UNION SELECT id FROM users WHERE username = $1 "
        "UNION SELECT id FROM users WHERE display_name = $1 LIMIT 3";
static const char SQL_DEPT_LOOKUP[] =
        "SELECT id FROM departments WHERE id = CAST($1 AS INTEGER) AND $1 GLOB '[0-9]*' "
        "UNION SELECT id FROM departments WHERE name = $1 LIMIT 3";

int forms_store_lookup(struct store *st, const char *kind, const char *name, int64_t *ret_id)
{
	struct stmt *s =
	        store_stmt(st, strcmp(kind, "user") == 0 ? SQL_USER_LOOKUP : SQL_DEPT_LOOKUP);
	int r, n = 0;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_text(s, 1, name);
	while ((r = store_step(st, s)) == 1) {
		*ret_id = store_col_int(s, 0);
		n++;
	}
	store_reset(s);
	if (r < 0)
		return r;
	return n == 1 ? 0 : n == 0 ? -ERR_NOT_FOUND : -ERR_CONFLICT;
}

static const char SQL_USER_NAME[] = "SELECT display_name FROM users WHERE id = $1";
static const char SQL_DEPT_NAME[] = "SELECT name FROM departments WHERE id = $1";

char *forms_store_name(struct store *st, const char *kind, int64_t id)
{
	struct stmt *s = store_stmt(st, strcmp(kind, "user") == 0 ? SQL_USER_NAME : SQL_DEPT_NAME);
	char *name = NULL;

	if (s) {
		store_bind_int(s, 1, id);
		if (store_step(st, s) == 1)
			name = xstrdup(store_col_text(s, 0));
		store_reset(s);
	}
	return name ? name : xstrdup("");
}

/* --- records ---------------------------------------------------------------------------- */

#define RECORD_COLUMNS                                                                             \
 "r.id, r.type, r.status, r.department_id, r.owner_id, r.request_id, r.flagged, r.data, "          \
 "r.flags, r.created_at, r.created_by, r.updated_at, r.updated_by, r.version"

static void row_from(struct stmt *s, struct record_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = store_col_int(s, 0);
	r->type = xstrdup(store_col_text(s, 1));
	r->status = xstrdup(store_col_text(s, 2));
	r->department_id = store_col_int(s, 3);
	r->owner_id = store_col_int(s, 4);
	r->request_id = store_col_int(s, 5);
	r->flagged = store_col_i32(s, 6) != 0;
	r->data = json_loads(store_col_text(s, 7), 0, NULL);
	r->flags = json_loads(store_col_text(s, 8), 0, NULL);
	if (!r->data)
		r->data = json_object();
	if (!r->flags)
		r->flags = json_array();
	r->created_at = store_col_int(s, 9);
	r->created_by = store_col_int(s, 10);
	r->updated_at = store_col_int(s, 11);
	r->updated_by = store_col_int(s, 12);
	r->version = store_col_int(s, 13);
}

void record_row_release(struct record_row *r)
{
	free(r->type);
	free(r->status);
	json_decref(r->data);
	json_decref(r->flags);
	memset(r, 0, sizeof(*r));
}

json_t *record_row_json(const struct record_row *r)
{
	char c[RFC3339_LEN], u[RFC3339_LEN];

	time_format_rfc3339(r->created_at, c);
	time_format_rfc3339(r->updated_at, u);
	return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:O, s:O, s:s, s:o, s:s, s:o, s:I}", "id",
	                 (json_int_t)r->id, "type", r->type, "status", r->status, "department_id",
	                 json_id_or_null(r->department_id), "owner_id",
	                 json_id_or_null(r->owner_id), "request_id", json_id_or_null(r->request_id),
	                 "data", r->data, "flags", r->flags, "created_at", c, "created_by",
	                 json_id_or_null(r->created_by), "updated_at", u, "updated_by",
	                 json_id_or_null(r->updated_by), "version", (json_int_t)r->version);
}

static const char SQL_KEYS_DELETE[] = "DELETE FROM record_keys WHERE record_id = $1";
static const char SQL_KEY_INSERT[] =
        "INSERT INTO record_keys (type, field, value, record_id) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT DO NOTHING";
static const char SQL_FTS_DELETE[] = "DELETE FROM records_fts WHERE rowid = $1";
static const char SQL_FTS_INSERT[] = "INSERT INTO records_fts (rowid, body) VALUES ($1, $2)";

static int index_record(struct store *st, const struct record_row *r, const char *body,
                        json_t *keys)
{
	struct stmt *s;
	size_t i;
	json_t *k;
	int rc;

	s = store_stmt(st, SQL_KEYS_DELETE);
	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, r->id);
	rc = store_exec_stmt(st, s);
	json_array_foreach(keys, i, k) {
		if (rc < 0)
			return rc;
		s = store_stmt(st, SQL_KEY_INSERT);
		if (!s)
			return -ERR_INTERNAL;
		store_bind_text(s, 1, r->type);
		store_bind_text(s, 2, json_string_value(json_array_get(k, 0)));
		store_bind_text(s, 3, json_string_value(json_array_get(k, 1)));
		store_bind_int(s, 4, r->id);
		rc = store_exec_stmt(st, s);
	}
	if (rc < 0)
		return rc;
	s = store_stmt(st, SQL_FTS_DELETE);
	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, r->id);
	rc = store_exec_stmt(st, s);
	if (rc < 0 || !*body)
		return rc;
	s = store_stmt(st, SQL_FTS_INSERT);
	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, r->id);
	store_bind_text(s, 2, body);
	return store_exec_stmt(st, s);
}

static const char SQL_RECORD_INSERT[] =
        "INSERT INTO records (type, status, department_id, owner_id, request_id, flagged, data, "
        "flags, created_at, created_by, updated_at, updated_by, version) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9, $10, 1)";

int forms_store_record_insert(struct store *st, struct record_row *r, const char *body,
                              json_t *keys)
{
	struct stmt *s = store_stmt(st, SQL_RECORD_INSERT);
	int rc;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_text(s, 1, r->type);
	store_bind_text(s, 2, r->status);
	store_bind_id(s, 3, r->department_id);
	store_bind_id(s, 4, r->owner_id);
	store_bind_id(s, 5, r->request_id);
	store_bind_int(s, 6, r->flagged);
	store_bind_json(s, 7, r->data);
	store_bind_json(s, 8, r->flags);
	store_bind_int(s, 9, r->created_at);
	store_bind_id(s, 10, r->created_by);
	rc = store_exec_stmt(st, s);
	if (rc < 0)
		return rc;
	r->id = store_last_id(st);
	r->updated_at = r->created_at;
	r->updated_by = r->created_by;
	r->version = 1;
	return index_record(st, r, body, keys);
}

static const char SQL_RECORD_UPDATE[] =
        "UPDATE records SET status = $2, department_id = $3, owner_id = $4, flagged = $5, "
        "data = $6, flags = $7, updated_at = $8, updated_by = $9, version = version + 1 "
        "WHERE id = $1 AND version = $10";

int forms_store_record_update(struct store *st, const struct record_row *r, const char *body,
                              json_t *keys)
{
	struct stmt *s = store_stmt(st, SQL_RECORD_UPDATE);
	int rc;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, r->id);
	store_bind_text(s, 2, r->status);
	store_bind_id(s, 3, r->department_id);
	store_bind_id(s, 4, r->owner_id);
	store_bind_int(s, 5, r->flagged);
	store_bind_json(s, 6, r->data);
	store_bind_json(s, 7, r->flags);
	store_bind_int(s, 8, r->updated_at);
	store_bind_id(s, 9, r->updated_by);
	store_bind_int(s, 10, r->version - 1);
	rc = store_exec_stmt(st, s);
	if (rc < 0)
		return rc;
	if (store_changes(st) != 1)
		return -ERR_CONFLICT;
	return index_record(st, r, body, keys);
}

static const char SQL_RECORD_LOAD[] = "SELECT " RECORD_COLUMNS " FROM records r WHERE r.id = $1";

int forms_store_record_load(struct store *st, int64_t id, struct record_row *ret)
{
	struct stmt *s = store_stmt(st, SQL_RECORD_LOAD);
	int r;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, id);
	r = store_step(st, s);
	if (r == 1)
		row_from(s, ret);
	store_reset(s);
	return r == 1 ? 0 : r == 0 ? -ERR_NOT_FOUND : r;
}

/*
 * Listing: one static statement per driving index (the most selective filter given), the
 * other filters as residual conditions. Parameters:
 *   ?1 type, ?2 id below (cursor), ?3 status, ?4 department, ?5 owner, ?6 flagged only,
 *   ?7 LIKE pattern, ?8/?9 ?10/?11 ?12/?13 key field/value, ?14 reads all, ?15 me, ?16 limit,
 *   ?17 a search of one or two characters (the trigram index needs three: SQLite 3.40 answers
 *   a shorter LIKE with nothing, so those scan the search text).
 */
#define LIST_WHERE                                                                                 \
 " AND ($3 IS NULL OR r.status = $3) AND ($4 = 0 OR r.department_id = $4)"                         \
 " AND ($5 = 0 OR r.owner_id = $5) AND ($6 = 0 OR r.flagged = 1)"                                  \
 " AND ($7 IS NULL OR r.id IN (SELECT rowid FROM records_fts WHERE body LIKE $7))"                 \
 " AND ($17 IS NULL OR r.id IN (SELECT rowid FROM records_fts WHERE"                               \
 " instr(lower(body), lower($17)) > 0))"                                                           \
 " AND ($10 IS NULL OR EXISTS (SELECT 1 FROM record_keys k WHERE k.type = $1"                      \
 " AND k.field = $10 AND k.value = $11 AND k.record_id = r.id))"                                   \
 " AND ($12 IS NULL OR EXISTS (SELECT 1 FROM record_keys k WHERE k.type = $1"                      \
 " AND k.field = $12 AND k.value = $13 AND k.record_id = r.id))"                                   \
 " AND ($14 = 1 OR r.created_by = $15 OR r.owner_id = $15 OR r.department_id IN"                   \
 " (SELECT id FROM departments WHERE head_user_id = $15))"
#define LIST_TAIL " AND r.id < $2" LIST_WHERE " ORDER BY r.id DESC LIMIT $16"

/* The first key filter drives: CROSS JOIN keeps record_keys outside, read backwards in its
 * primary key's (type, field, value, record_id) order, so a page stops after LIMIT matches.
 * (Repeating the type and cursor on r makes SQLite sort every match: measured 20x slower.) */
static const char SQL_LIST_KEY[] =
        "SELECT " RECORD_COLUMNS " FROM record_keys k0 CROSS JOIN records r "
        "ON r.id = k0.record_id WHERE k0.type = $1 AND k0.field = $8 "
        "AND k0.value = $9 AND k0.record_id < $2" LIST_WHERE
        " ORDER BY k0.record_id DESC LIMIT $16";
static const char SQL_LIST_OWNER[] =
        "SELECT " RECORD_COLUMNS " FROM records r INDEXED BY "
        "records_type_owner WHERE r.type = $1 AND r.owner_id = $5" LIST_TAIL;
static const char SQL_LIST_DEPT[] = "SELECT " RECORD_COLUMNS " FROM records r INDEXED BY "
                                    "records_type_department WHERE r.type = $1 "
                                    "AND r.department_id = $4" LIST_TAIL;
static const char SQL_LIST_STATUS[] =
        "SELECT " RECORD_COLUMNS " FROM records r INDEXED BY "
        "records_type_status WHERE r.type = $1 AND r.status = $3" LIST_TAIL;
static const char SQL_LIST_FLAGGED[] =
        "SELECT " RECORD_COLUMNS " FROM records r INDEXED BY "
        "records_type_flagged WHERE r.type = $1 AND r.flagged = 1" LIST_TAIL;
/* Search: the trigram index answers LIKE (3 characters or more; shorter ones scan it). */
static const char SQL_LIST_SEARCH[] = "SELECT " RECORD_COLUMNS " FROM records r WHERE r.id IN "
                                      "(SELECT rowid FROM records_fts WHERE body LIKE $7) "
                                      "AND r.type = $1" LIST_TAIL;
static const char SQL_LIST_TYPE[] = "SELECT " RECORD_COLUMNS " FROM records r INDEXED BY "
                                    "records_type WHERE r.type = $1" LIST_TAIL;

/* A LIKE pattern matching q anywhere. (No ESCAPE clause: FTS5's trigram index does not
 * take one, so % and _ typed by a user act as wildcards within what they may read.) */
static char *like_pattern(const char *q)
{
	return xasprintf("%%%s%%", q);
}

int forms_store_record_list(struct store *st, const struct record_filter *f, bool all, int64_t me,
                            json_t *items, int64_t *ret_next)
{
	const char *sql = SQL_LIST_TYPE;
	bool short_q = f->q && utf8_count(f->q) < 3;
	char *like = f->q && !short_q ? like_pattern(f->q) : NULL;
	struct record_row row;
	struct stmt *s;
	int64_t last = 0;
	int r, n = 0, i;

	if (f->key_field[0])
		sql = SQL_LIST_KEY;
	else if (f->owner_id)
		sql = SQL_LIST_OWNER;
	else if (f->department_id)
		sql = SQL_LIST_DEPT;
	else if (f->status)
		sql = SQL_LIST_STATUS;
	else if (f->flagged)
		sql = SQL_LIST_FLAGGED;
	else if (like)
		sql = SQL_LIST_SEARCH;
	s = store_stmt(st, sql);
	if (!s) {
		free(like);
		return -ERR_INTERNAL;
	}
	store_bind_text(s, 1, f->type);
	store_bind_int(s, 2, f->after > 0 ? f->after : INT64_MAX);
	store_bind_text(s, 3, f->status);
	store_bind_int(s, 4, f->department_id);
	store_bind_int(s, 5, f->owner_id);
	store_bind_int(s, 6, f->flagged);
	store_bind_text(s, 7, like);
	for (i = 0; i < RECORD_KEY_FILTERS; i++) {
		store_bind_text(s, 8 + 2 * i, f->key_field[i]);
		store_bind_text(s, 9 + 2 * i, f->key_value[i]);
	}
	store_bind_int(s, 14, all);
	store_bind_int(s, 15, me);
	store_bind_int(s, 16, f->limit + 1);
	store_bind_text(s, 17, short_q ? f->q : NULL);
	*ret_next = 0;
	while ((r = store_step(st, s)) == 1) {
		if (n == f->limit) {
			*ret_next =
			        last; /* a next page exists: it starts below the last id shown */
			break;
		}
		row_from(s, &row);
		last = row.id;
		json_array_append_new(items, record_row_json(&row));
		record_row_release(&row);
		n++;
	}
	store_reset(s);
	free(like);
	return r < 0 ? r : 0;
}

/*
 * sla_store.c: the rows of the time rules: deadline clocks, duty tasks and the cursors of the
 * duty schedules (migrations/0004_sla.sql). The clock tick reads only through the partial
 * indexes on next_at and on open tasks' due_at.
 */
#include "core/common.h"

#include "core/alloc.h"
#include "sla/sla_int.h"
#include "store/store.h"

void clock_row_release(struct clock_row *c)
{
	free(c->pause_note);
	c->pause_note = NULL;
}

#define CLOCK_COLUMNS                                                                              \
 "id, rule, record_id, request_id, started_at, due_at, state, paused_at, paused_by, "              \
 "pause_note, remaining, stopped_at, level, next_at, version"

static void text_to(struct stmt *s, int i, char *out, size_t n)
{
	(void)snprintf(out, n, "%s", store_col_text(s, i));
}

static void clock_from(struct stmt *s, struct clock_row *c)
{
	memset(c, 0, sizeof(*c));
	c->id = store_col_int(s, 0);
	text_to(s, 1, c->rule, sizeof(c->rule));
	c->record_id = store_col_int(s, 2);
	c->request_id = store_col_int(s, 3);
	c->started_at = store_col_int(s, 4);
	c->due_at = store_col_int(s, 5);
	text_to(s, 6, c->state, sizeof(c->state));
	c->paused_at = store_col_int(s, 7);
	text_to(s, 8, c->paused_by, sizeof(c->paused_by));
	if (!store_col_is_null(s, 9))
		c->pause_note = xstrdup(store_col_text(s, 9));
	c->remaining = store_col_int(s, 10);
	c->stopped_at = store_col_int(s, 11);
	c->level = store_col_i32(s, 12);
	c->next_at = store_col_is_null(s, 13) ? 0 : store_col_int(s, 13);
	c->version = store_col_int(s, 14);
}

static int clock_one(struct store *st, struct stmt *s, struct clock_row *ret)
{
	int r = store_step(st, s);

	if (r == 1)
		clock_from(s, ret);
	store_reset(s);
	return r;
}

static const char SQL_CLOCK_FIND_RECORD[] =
        "SELECT " CLOCK_COLUMNS " FROM deadlines WHERE record_id = $1 AND rule = $2";
static const char SQL_CLOCK_FIND_REQUEST[] =
        "SELECT " CLOCK_COLUMNS " FROM deadlines WHERE request_id = $1 AND rule = $2";

int sla_store_clock_find(struct store *st, bool record, int64_t subject_id, const char *rule,
                         struct clock_row *ret)
{
	struct stmt *s = store_stmt(st, record ? SQL_CLOCK_FIND_RECORD : SQL_CLOCK_FIND_REQUEST);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, subject_id);
	store_bind_text(s, 2, rule);
	return clock_one(st, s, ret);
}

static const char SQL_CLOCK_LOAD[] = "SELECT " CLOCK_COLUMNS " FROM deadlines WHERE id = $1";

int sla_store_clock_load(struct store *st, int64_t id, struct clock_row *ret)
{
	struct stmt *s = store_stmt(st, SQL_CLOCK_LOAD);
	int r;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, id);
	r = clock_one(st, s, ret);
	return r == 0 ? -ERR_NOT_FOUND : r < 0 ? r : 0;
}

/* The mutable columns, bound from ?3 on in both statements. */
static void bind_clock(struct stmt *s, const struct clock_row *c)
{
	store_bind_int(s, 3, c->started_at);
	store_bind_int(s, 4, c->due_at);
	store_bind_text(s, 5, c->state);
	store_bind_id(s, 6, c->paused_at);
	store_bind_text(s, 7, *c->paused_by ? c->paused_by : NULL);
	store_bind_text(s, 8, c->pause_note);
	store_bind_int(s, 9, c->remaining);
	store_bind_id(s, 10, c->stopped_at);
	store_bind_int(s, 11, c->level);
	store_bind_id(s, 12, c->next_at);
}

static const char SQL_CLOCK_INSERT[] =
        "INSERT INTO deadlines (rule, record_id, request_id, started_at, due_at, state, "
        "paused_at, paused_by, pause_note, remaining, stopped_at, level, next_at) "
        "VALUES ($1, $2, $13, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

int sla_store_clock_insert(struct store *st, struct clock_row *c)
{
	struct stmt *s = store_stmt(st, SQL_CLOCK_INSERT);
	int r;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_text(s, 1, c->rule);
	store_bind_id(s, 2, c->record_id);
	store_bind_id(s, 13, c->request_id);
	bind_clock(s, c);
	r = store_exec_stmt(st, s);
	if (r == 0) {
		c->id = store_last_id(st);
		c->version = 1;
	}
	return r;
}

static const char SQL_CLOCK_UPDATE[] =
        "UPDATE deadlines SET started_at = $3, due_at = $4, state = $5, paused_at = $6, "
        "paused_by = $7, pause_note = $8, remaining = $9, stopped_at = $10, level = $11, "
        "next_at = $12, version = version + 1 WHERE id = $1 AND version = $2";

int sla_store_clock_update(struct store *st, const struct clock_row *c)
{
	struct stmt *s = store_stmt(st, SQL_CLOCK_UPDATE);
	int r;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, c->id);
	store_bind_int(s, 2, c->version - 1);
	bind_clock(s, c);
	r = store_exec_stmt(st, s);
	if (r == 0 && store_changes(st) != 1)
		r = -ERR_CONFLICT;
	return r;
}

/* The first column of the first row of a bound statement; 0 when there is none. */
static int64_t one_id(struct store *st, struct stmt *s)
{
	int64_t id = 0;

	if (store_step(st, s) == 1)
		id = store_col_int(s, 0);
	store_reset(s);
	return id;
}

static json_t *id_row(struct stmt *s)
{
	return json_integer(store_col_int(s, 0));
}

static const char SQL_CLOCKS_DUE[] = "SELECT id FROM deadlines WHERE next_at <= $1 "
                                     "ORDER BY next_at, id LIMIT $2";

int sla_store_clocks_due(struct store *st, int64_t now, int limit, json_t **ret_ids)
{
	struct stmt *s = store_stmt(st, SQL_CLOCKS_DUE);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, now);
	store_bind_int(s, 2, limit);
	return store_rows(st, s, id_row, ret_ids);
}

static const char SQL_CLOCK_LIST[] =
        "SELECT d.id, d.rule, d.record_id, d.request_id, d.started_at, d.due_at, d.state, "
        "d.paused_at, d.paused_by, d.pause_note, d.remaining, d.stopped_at, d.level, d.next_at, "
        "d.version, COALESCE(r.department_id, q.department_id) FROM deadlines d "
        "LEFT JOIN records r ON r.id = d.record_id LEFT JOIN requests q ON q.id = d.request_id "
        "WHERE ($1 = 0 OR d.id < $1) "
        "AND ($2 = 1 OR r.owner_id = $3 OR r.created_by = $3 OR q.applicant_id = $3 "
        "  OR EXISTS (SELECT 1 FROM step_assignees a WHERE a.request_id = d.request_id "
        "             AND a.user_id = $3) "
        "  OR COALESCE(r.department_id, q.department_id) IN "
        "     (SELECT id FROM departments WHERE head_user_id = $3)) "
        "AND ($4 IS NULL OR d.rule = $4) "
        "AND ($5 = 0 OR d.record_id = $5) AND ($6 = 0 OR d.request_id = $6) "
        "AND ($7 IS NULL OR ($7 = 'open' AND d.state IN ('running', 'paused')) "
        "  OR ($7 = 'overdue' AND d.state = 'running' AND d.due_at <= $8) "
        "  OR ($7 = 'due' AND d.state = 'running' AND d.due_at > $8) OR d.state = $7) "
        "ORDER BY d.id DESC LIMIT $9";

/* Moves up to limit rows (of limit + 1 read) into items; the cursor of the next page is the
 * last id moved when there are more. */
static void page(json_t *rows, int limit, json_t *items, int64_t *ret_next)
{
	size_t i;

	for (i = 0; i < json_array_size(rows) && i < (size_t)limit; i++)
		json_array_append(items, json_array_get(rows, i));
	*ret_next = json_array_size(rows) > (size_t)limit
	                    ? json_integer_value(json_object_get(json_array_get(rows, i - 1), "id"))
	                    : 0;
	json_decref(rows);
}

json_t *clock_row_json(const struct clock_row *c)
{
	return json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:s, s:I, s:s, s:s?, s:I, s:I, s:i, s:I, "
	                 "s:I}",
	                 "id", (json_int_t)c->id, "rule", c->rule, "record_id",
	                 (json_int_t)c->record_id, "request_id", (json_int_t)c->request_id,
	                 "started_at", (json_int_t)c->started_at, "due_at", (json_int_t)c->due_at,
	                 "state", c->state, "paused_at", (json_int_t)c->paused_at, "paused_by",
	                 c->paused_by, "pause_note", c->pause_note, "remaining",
	                 (json_int_t)c->remaining, "stopped_at", (json_int_t)c->stopped_at, "level",
	                 c->level, "next_at", (json_int_t)c->next_at, "version",
	                 (json_int_t)c->version);
}

static json_t *clock_json_row(struct stmt *s)
{
	struct clock_row c;
	json_t *o;

	clock_from(s, &c);
	o = clock_row_json(&c);
	clock_row_release(&c);
	/* The department of its subject (the list's last column). */
	json_object_set_new(o, "department_id",
	                    store_col_is_null(s, 15) ? json_null()
	                                             : json_integer(store_col_int(s, 15)));
	return o;
}

int sla_store_clock_list(struct store *st, const struct clock_filter *f, bool all, int64_t me,
                         json_t *items, int64_t *ret_next)
{
	struct stmt *s = store_stmt(st, SQL_CLOCK_LIST);
	json_t *rows;
	int r;

	*ret_next = 0;
	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, f->after);
	store_bind_int(s, 2, all);
	store_bind_int(s, 3, me);
	store_bind_text(s, 4, f->rule);
	store_bind_int(s, 5, f->record_id);
	store_bind_int(s, 6, f->request_id);
	store_bind_text(s, 7, f->status);
	store_bind_int(s, 8, f->now);
	store_bind_int(s, 9, f->limit + 1);
	r = store_rows(st, s, clock_json_row, &rows);
	if (r == 0)
		page(rows, f->limit, items, ret_next);
	return r;
}

static const char SQL_SUBJECT_RECORD[] =
        "SELECT type, CASE WHEN owner_id > 0 THEN owner_id ELSE created_by END, department_id "
        "FROM records WHERE id = $1";
static const char SQL_SUBJECT_REQUEST[] =
        "SELECT type, applicant_id, department_id FROM requests WHERE id = $1";

int sla_store_subject(struct store *st, bool record, int64_t id, char *type, size_t n,
                      int64_t *ret_owner, int64_t *ret_department)
{
	struct stmt *s = store_stmt(st, record ? SQL_SUBJECT_RECORD : SQL_SUBJECT_REQUEST);
	int r;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, id);
	r = store_step(st, s);
	if (r == 1) {
		text_to(s, 0, type, n);
		*ret_owner = store_col_int(s, 1);
		*ret_department = store_col_int(s, 2);
	}
	store_reset(s);
	return r == 0 ? -ERR_NOT_FOUND : r < 0 ? r : 0;
}

/* --- recurring duties ------------------------------------------------------------- */

static const char SQL_CURSOR_GET[] = "SELECT until_at FROM duty_cursors WHERE duty = $1";
static const char SQL_CURSOR_SET[] =
        "INSERT INTO duty_cursors (duty, until_at) VALUES ($1, $2) "
        "ON CONFLICT (duty) DO UPDATE SET until_at = excluded.until_at";

int sla_store_cursor_get(struct store *st, const char *duty, int64_t *ret_until)
{
	struct stmt *s = store_stmt(st, SQL_CURSOR_GET);
	int r;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_text(s, 1, duty);
	r = store_step(st, s);
	if (r == 1)
		*ret_until = store_col_int(s, 0);
	store_reset(s);
	return r;
}

int sla_store_cursor_set(struct store *st, const char *duty, int64_t until)
{
	struct stmt *s = store_stmt(st, SQL_CURSOR_SET);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_text(s, 1, duty);
	store_bind_int(s, 2, until);
	return store_exec_stmt(st, s);
}

static const char SQL_TASK_INSERT[] =
        "INSERT INTO tasks (duty, occurs_at, due_at, owner_id) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (duty, occurs_at) DO NOTHING";

int sla_store_task_insert(struct store *st, const char *duty, int64_t occurs_at, int64_t due_at,
                          int64_t owner, int64_t *ret_id)
{
	struct stmt *s = store_stmt(st, SQL_TASK_INSERT);
	int r;

	*ret_id = 0;
	if (!s)
		return -ERR_INTERNAL;
	store_bind_text(s, 1, duty);
	store_bind_int(s, 2, occurs_at);
	store_bind_int(s, 3, due_at);
	store_bind_id(s, 4, owner);
	r = store_exec_stmt(st, s);
	if (r == 0 && store_changes(st) == 1)
		*ret_id = store_last_id(st);
	return r;
}

static const char SQL_UNLINKED_RECORD[] =
        "SELECT r.id FROM records r WHERE r.type = $1 AND r.created_at > $2 AND r.created_at <= $3 "
        "AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.record_id = r.id AND t.duty = $4) "
        "ORDER BY r.id LIMIT 1";

int64_t sla_store_unlinked_record(struct store *st, const char *reg, const char *duty, int64_t from,
                                  int64_t to)
{
	struct stmt *s = store_stmt(st, SQL_UNLINKED_RECORD);

	if (!s)
		return 0;
	store_bind_text(s, 1, reg);
	store_bind_int(s, 2, from);
	store_bind_int(s, 3, to);
	store_bind_text(s, 4, duty);
	return one_id(st, s);
}

static const char SQL_TASK_OPEN_AT[] =
        "SELECT id FROM tasks WHERE duty = $1 AND status = 'open' AND occurs_at <= $2 "
        "AND due_at >= $2 ORDER BY occurs_at LIMIT 1";

int64_t sla_store_task_open_at(struct store *st, const char *duty, int64_t t)
{
	struct stmt *s = store_stmt(st, SQL_TASK_OPEN_AT);

	if (!s)
		return 0;
	store_bind_text(s, 1, duty);
	store_bind_int(s, 2, t);
	return one_id(st, s);
}

static const char SQL_TASK_DONE[] =
        "UPDATE tasks SET status = 'done', record_id = $2, done_by = $3, done_at = $4, "
        "version = version + 1 WHERE id = $1 AND status = 'open'";

int sla_store_task_done(struct store *st, int64_t id, int64_t record_id, int64_t by, int64_t at)
{
	struct stmt *s = store_stmt(st, SQL_TASK_DONE);
	int r;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, id);
	store_bind_int(s, 2, record_id);
	store_bind_id(s, 3, by);
	store_bind_int(s, 4, at);
	r = store_exec_stmt(st, s);
	if (r == 0 && store_changes(st) != 1)
		r = -ERR_CONFLICT;
	return r;
}

#define TASK_COLUMNS                                                                               \
 "id, duty, occurs_at, due_at, owner_id, status, record_id, done_at, done_by, version"

static json_t *task_row(struct stmt *s)
{
	return json_pack("{s:I, s:s, s:I, s:I, s:o, s:s, s:o, s:I, s:o, s:I}", "id",
	                 (json_int_t)store_col_int(s, 0), "duty", store_col_text(s, 1), "occurs_at",
	                 (json_int_t)store_col_int(s, 2), "due_at", (json_int_t)store_col_int(s, 3),
	                 "owner_id", json_id_or_null(store_col_int(s, 4)), "status",
	                 store_col_text(s, 5), "record_id", json_id_or_null(store_col_int(s, 6)),
	                 "done_at", (json_int_t)store_col_int(s, 7), "done_by",
	                 json_id_or_null(store_col_int(s, 8)), "version",
	                 (json_int_t)store_col_int(s, 9));
}

static const char SQL_TASKS_OVERDUE[] = "SELECT " TASK_COLUMNS " FROM tasks "
                                        "WHERE status = 'open' AND due_at <= $1 "
                                        "ORDER BY due_at, id LIMIT $2";

int sla_store_tasks_overdue(struct store *st, int64_t now, int limit, json_t **ret)
{
	struct stmt *s = store_stmt(st, SQL_TASKS_OVERDUE);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, now);
	store_bind_int(s, 2, limit);
	return store_rows(st, s, task_row, ret);
}

static const char SQL_TASK_MISSED[] = "UPDATE tasks SET status = 'missed', version = version + 1 "
                                      "WHERE id = $1 AND status = 'open'";

int sla_store_task_missed(struct store *st, int64_t id)
{
	struct stmt *s = store_stmt(st, SQL_TASK_MISSED);

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, id);
	return store_exec_stmt(st, s);
}

static const char SQL_TASK_GET[] = "SELECT " TASK_COLUMNS " FROM tasks WHERE id = $1";

int sla_store_task_get(struct store *st, int64_t id, json_t **ret)
{
	struct stmt *s = store_stmt(st, SQL_TASK_GET);
	json_t *rows;
	int r;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, id);
	r = store_rows(st, s, task_row, &rows);
	if (r < 0)
		return r;
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		return -ERR_NOT_FOUND;
	}
	*ret = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return 0;
}

static const char SQL_RECORD_FREE[] =
        "SELECT r.id FROM records r WHERE r.id = $1 AND r.type = $2 "
        "AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.record_id = r.id AND t.duty = $3)";

bool sla_store_record_free_for(struct store *st, int64_t record_id, const char *reg,
                               const char *duty)
{
	struct stmt *s = store_stmt(st, SQL_RECORD_FREE);

	if (!s)
		return false;
	store_bind_int(s, 1, record_id);
	store_bind_text(s, 2, reg);
	store_bind_text(s, 3, duty);
	return one_id(st, s) > 0;
}

static const char SQL_TASK_LIST[] = "SELECT " TASK_COLUMNS " FROM tasks "
                                    "WHERE ($1 = 0 OR id < $1) AND ($2 = 0 OR owner_id = $2) "
                                    "AND ($3 IS NULL OR duty = $3) AND ($4 IS NULL OR status = $4) "
                                    "ORDER BY id DESC LIMIT $5";

int sla_store_task_list(struct store *st, const struct task_filter *f, json_t *items,
                        int64_t *ret_next)
{
	struct stmt *s = store_stmt(st, SQL_TASK_LIST);
	json_t *rows;
	int r;

	*ret_next = 0;
	if (!s)
		return -ERR_INTERNAL;
	store_bind_int(s, 1, f->after);
	store_bind_int(s, 2, f->owner);
	store_bind_text(s, 3, f->duty);
	store_bind_text(s, 4, f->status);
	store_bind_int(s, 5, f->limit + 1);
	r = store_rows(st, s, task_row, &rows);
	if (r == 0)
		page(rows, f->limit, items, ret_next);
	return r;
}

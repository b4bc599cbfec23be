/*
 * backup_store.c: the rows of isms's own backups and their configuration
 * (migrations/0005_backup.sql), and the read-only checks a verification runs on a restored
 * database: integrity_check, row counts of the tables that matter, the attachments named.
 */
#include "core/common.h"

#include "backup/backup_int.h"
#include "store/store.h"

static const char SQL_INTERRUPTED[] =
        "UPDATE backups SET status = 'failed', finished_at = $1, "
        "error = 'interrupted: the process stopped before the backup was finished' "
        "WHERE status = 'running'";

int bs_mark_interrupted(struct store *st, int64_t now)
{
	struct stmt *s = store_stmt(st, SQL_INTERRUPTED);
	int r;

	store_bind_int(s, 1, now);
	r = store_exec_stmt(st, s);
	return r < 0 ? r : store_changes(st);
}

static const char SQL_INSERT[] =
        "INSERT INTO backups (trigger, requested_by, started_at) VALUES ($1, $2, $3)";

int bs_insert(struct store *st, const char *trigger, int64_t requested_by, int64_t started_at,
              int64_t *ret_id)
{
	struct stmt *s = store_stmt(st, SQL_INSERT);
	int r;

	store_bind_text(s, 1, trigger);
	store_bind_id(s, 2, requested_by);
	store_bind_int(s, 3, started_at);
	r = store_exec_stmt(st, s);
	if (r == 0)
		*ret_id = store_last_id(st);
	return r;
}

static const char SQL_SET_NAME[] = "UPDATE backups SET name = $2 WHERE id = $1";

int bs_set_name(struct store *st, int64_t id, const char *name)
{
	struct stmt *s = store_stmt(st, SQL_SET_NAME);

	store_bind_int(s, 1, id);
	store_bind_text(s, 2, name);
	return store_exec_stmt(st, s);
}

static const char SQL_FINISH[] =
        "UPDATE backups SET finished_at = $2, size = $3, sha256 = $4, status = $5, error = $6, "
        "check_result = $7, offsite_status = $8, offsite_error = $9 WHERE id = $1";

int bs_finish(struct store *st, const struct bs_outcome *o)
{
	struct stmt *s = store_stmt(st, SQL_FINISH);

	store_bind_int(s, 1, o->id);
	store_bind_int(s, 2, o->finished_at);
	if (o->size > 0)
		store_bind_int(s, 3, (int64_t)o->size);
	store_bind_text(s, 4, o->sha256[0] ? o->sha256 : NULL);
	store_bind_text(s, 5, o->status);
	store_bind_text(s, 6, o->error[0] ? o->error : NULL);
	store_bind_json(s, 7, o->check);
	store_bind_text(s, 8, o->offsite_status);
	store_bind_text(s, 9, o->offsite_error[0] ? o->offsite_error : NULL);
	return store_exec_stmt(st, s);
}

#define BACKUP_COLUMNS                                                                             \
 "id, name, trigger, requested_by, started_at, finished_at, size, sha256, status, error, "         \
 "check_result, offsite_status, offsite_error, pruned_at"

static json_t *backup_row(struct stmt *s)
{
	return json_pack(
	        "{s:I, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:{s:s, s:o}, s:o}", "id",
	        (json_int_t)store_col_int(s, 0), "name", store_col_json_text(s, 1), "trigger",
	        store_col_text(s, 2), "requested_by", json_id_or_null(store_col_int(s, 3)),
	        "started_at", json_time_or_null(store_col_int(s, 4)), "finished_at",
	        json_time_or_null(store_col_int(s, 5)), "size",
	        store_col_is_null(s, 6) ? json_null() : json_integer(store_col_int(s, 6)), "sha256",
	        store_col_json_text(s, 7), "status", store_col_text(s, 8), "error",
	        store_col_json_text(s, 9), "check",
	        store_col_is_null(s, 10) ? json_null() : store_col_json(s, 10), "offsite", "status",
	        store_col_text(s, 11), "error", store_col_json_text(s, 12), "pruned_at",
	        json_time_or_null(store_col_int(s, 13)));
}

static const char SQL_GET[] = "SELECT " BACKUP_COLUMNS " FROM backups WHERE id = $1";

int bs_get(struct store *st, int64_t id, json_t **ret)
{
	struct stmt *s = store_stmt(st, SQL_GET);
	json_t *rows = NULL;
	int r;

	store_bind_int(s, 1, id);
	r = store_rows(st, s, backup_row, &rows);
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

static const char SQL_LIST[] = "SELECT " BACKUP_COLUMNS " FROM backups WHERE id < $1 "
                               "ORDER BY id DESC LIMIT $2";

int bs_list(struct store *st, int64_t after, int limit, json_t **ret_items)
{
	struct stmt *s = store_stmt(st, SQL_LIST);

	store_bind_int(s, 1, after > 0 ? after : INT64_MAX);
	store_bind_int(s, 2, limit);
	return store_rows(st, s, backup_row, ret_items);
}

static json_t *kept_row(struct stmt *s)
{
	return json_pack("{s:I, s:s, s:I}", "id", (json_int_t)store_col_int(s, 0), "name",
	                 store_col_text(s, 1), "started_at", (json_int_t)store_col_int(s, 2));
}

static const char SQL_KEPT[] =
        "SELECT id, name, started_at FROM backups WHERE status = 'verified' AND pruned_at IS NULL "
        "AND name IS NOT NULL ORDER BY started_at DESC, id DESC";

int bs_retained(struct store *st, json_t **ret_rows)
{
	return store_rows(st, store_stmt(st, SQL_KEPT), kept_row, ret_rows);
}

static const char SQL_PRUNED[] = "UPDATE backups SET pruned_at = $2 WHERE id = $1";

int bs_pruned(struct store *st, int64_t id, int64_t at)
{
	struct stmt *s = store_stmt(st, SQL_PRUNED);

	store_bind_int(s, 1, id);
	store_bind_int(s, 2, at);
	return store_exec_stmt(st, s);
}

static const char SQL_CONFIG[] = "SELECT schedule, keep_daily, keep_weekly, keep_monthly, "
                                 "offsite_dir, requested_at, requested_by, version "
                                 "FROM backup_config WHERE id = 1";

int bs_config_load(struct store *st, struct bs_config *ret)
{
	struct stmt *s = store_stmt(st, SQL_CONFIG);
	int r = store_step(st, s);

	memset(ret, 0, sizeof(*ret));
	if (r == 1) {
		(void)snprintf(ret->schedule, sizeof(ret->schedule), "%s", store_col_text(s, 0));
		ret->keep_daily = store_col_i32(s, 1);
		ret->keep_weekly = store_col_i32(s, 2);
		ret->keep_monthly = store_col_i32(s, 3);
		(void)snprintf(ret->offsite_dir, sizeof(ret->offsite_dir), "%s",
		               store_col_text(s, 4));
		ret->requested_at = store_col_int(s, 5);
		ret->requested_by = store_col_int(s, 6);
		ret->version = store_col_int(s, 7);
	}
	store_reset(s);
	return r < 0 ? r : r == 1 ? 0 : -ERR_NOT_FOUND;
}

static const char SQL_CONFIG_PUT[] =
        "UPDATE backup_config SET schedule = $1, keep_daily = $2, keep_weekly = $3, "
        "keep_monthly = $4, offsite_dir = $5, version = version + 1 WHERE id = 1 AND version = $6";

int bs_config_put(struct store *st, const struct bs_config *c)
{
	struct stmt *s = store_stmt(st, SQL_CONFIG_PUT);
	int r;

	store_bind_text(s, 1, c->schedule);
	store_bind_int(s, 2, c->keep_daily);
	store_bind_int(s, 3, c->keep_weekly);
	store_bind_int(s, 4, c->keep_monthly);
	store_bind_text(s, 5, c->offsite_dir[0] ? c->offsite_dir : NULL);
	store_bind_int(s, 6, c->version);
	r = store_exec_stmt(st, s);
	return r < 0 ? r : store_changes(st) == 1 ? 0 : -ERR_CONFLICT;
}

static const char SQL_REQUEST[] =
        "UPDATE backup_config SET requested_at = $1, requested_by = $2 WHERE id = 1";

int bs_config_request(struct store *st, int64_t at, int64_t by)
{
	struct stmt *s = store_stmt(st, SQL_REQUEST);

	if (at > 0)
		store_bind_int(s, 1, at);
	store_bind_id(s, 2, by);
	return store_exec_stmt(st, s);
}

static const char SQL_RUNNING[] = "SELECT count(*) FROM backups WHERE status = 'running' AND $1";
static const char SQL_LAST_SCHEDULED[] =
        "SELECT max(started_at) FROM backups WHERE trigger = 'schedule' AND $1";

int bs_running(struct store *st, int64_t *ret)
{
	return store_query_int(st, SQL_RUNNING, 1, ret);
}

int bs_last_scheduled(struct store *st, int64_t *ret)
{
	return store_query_int(st, SQL_LAST_SCHEDULED, 1, ret);
}

/* --- checks of a restored database ---------------------------------------------------- */

int bs_integrity(struct store *st, char *ret, size_t n)
{
	static const char sql[] = "PRAGMA integrity_check(20)";
	struct stmt *s = store_stmt(st, sql);
	size_t used = 0;
	int r;

	ret[0] = '\0';
	while ((r = store_step(st, s)) == 1) {
		const char *line = store_col_text(s, 0);
		int k = snprintf(ret + used, n - used, "%s%s", used ? "; " : "", line);

		if (k > 0)
			used = MIN(n - 1, used + (size_t)k);
	}
	store_reset(s);
	return r;
}

/* The tables whose rows a verification counts: people, their work and its evidence. A
 * table of a later migration is added here with it. */
static const struct {
	const char *table;
	const char *sql;
} counted[] = {
	{ "users", "SELECT count(*) FROM users WHERE $1" },
	{ "departments", "SELECT count(*) FROM departments WHERE $1" },
	{ "user_roles", "SELECT count(*) FROM user_roles WHERE $1" },
	{ "records", "SELECT count(*) FROM records WHERE $1" },
	{ "requests", "SELECT count(*) FROM requests WHERE $1" },
	{ "request_steps", "SELECT count(*) FROM request_steps WHERE $1" },
	{ "files", "SELECT count(*) FROM files WHERE $1" },
	{ "audit_log", "SELECT count(*) FROM audit_log WHERE $1" },
	{ "audit_checkpoints", "SELECT count(*) FROM audit_checkpoints WHERE $1" },
	{ "notifications", "SELECT count(*) FROM notifications WHERE $1" },
	{ "deadlines", "SELECT count(*) FROM deadlines WHERE $1" },
	{ "tasks", "SELECT count(*) FROM tasks WHERE $1" },
	{ "backups", "SELECT count(*) FROM backups WHERE $1" },
	{ "backup_jobs", "SELECT count(*) FROM backup_jobs WHERE $1" },
	{ "backup_runs", "SELECT count(*) FROM backup_runs WHERE $1" },
	{ "vault_entries", "SELECT count(*) FROM vault_entries WHERE $1" },
	{ "vault_reveals", "SELECT count(*) FROM vault_reveals WHERE $1" },
};

int bs_counts(struct store *st, json_t **ret)
{
	json_t *o = json_object();
	size_t i;
	int r;

	for (i = 0; i < ARRAY_SIZE(counted); i++) {
		int64_t n = 0;

		r = store_query_int(st, counted[i].sql, 1, &n);
		if (r < 0) {
			json_decref(o);
			return r;
		}
		json_object_set_new(o, counted[i].table, json_integer(n));
	}
	*ret = o;
	return 0;
}

static json_t *file_row(struct stmt *s)
{
	return json_pack("{s:s, s:I}", "sha256", store_col_text(s, 0), "size",
	                 (json_int_t)store_col_int(s, 1));
}

static const char SQL_FILES[] = "SELECT sha256, size FROM files ORDER BY sha256";

int bs_files(struct store *st, json_t **ret_rows)
{
	return store_rows(st, store_stmt(st, SQL_FILES), file_row, ret_rows);
}

/*
 * jobs_store.c: the rows of the organization's backup jobs, their reported runs and the
 * scheduled times found missed (migrations/0006_backup_jobs.sql). The only SQL of jobs.c.
 */
#include "core/common.h"

#include "backup/jobs_int.h"
#include "core/alloc.h"
#include "store/store.h"

void job_row_release(struct job_row *j)
{
	free(j->key);
	free(j->system);
	free(j->within);
	free(j->offsite);
	free(j->max_age);
	free(j->source);
	free(j->pack_def);
	json_decref(j->label);
	json_decref(j->schedule);
	memset(j, 0, sizeof(*j));
}

#define JOB_COLUMNS                                                                                \
 "id, key, system, label, schedule, within, offsite, max_age, source, pack_def, enabled, "         \
 "retired, checked_until, created_at, updated_at, version"

static char *text_or_null(struct stmt *s, int i)
{
	return store_col_is_null(s, i) ? NULL : xstrdup(store_col_text(s, i));
}

static void job_from(struct stmt *s, struct job_row *j)
{
	memset(j, 0, sizeof(*j));
	j->id = store_col_int(s, 0);
	j->key = xstrdup(store_col_text(s, 1));
	j->system = xstrdup(store_col_text(s, 2));
	j->label = store_col_json(s, 3);
	j->schedule = store_col_json(s, 4);
	j->within = xstrdup(store_col_text(s, 5));
	j->offsite = text_or_null(s, 6);
	j->max_age = xstrdup(store_col_text(s, 7));
	j->source = xstrdup(store_col_text(s, 8));
	j->pack_def = text_or_null(s, 9);
	j->enabled = store_col_i32(s, 10) != 0;
	j->retired = store_col_i32(s, 11) != 0;
	j->checked_until = store_col_int(s, 12);
	j->created_at = store_col_int(s, 13);
	j->updated_at = store_col_int(s, 14);
	j->version = store_col_int(s, 15);
	if (!j->label)
		j->label = json_object();
	if (!j->schedule)
		j->schedule = json_array();
}

static int job_one(struct store *st, struct stmt *s, struct job_row *ret)
{
	int r = store_step(st, s);

	if (r == 1)
		job_from(s, ret);
	store_reset(s);
	return r == 0 ? -ERR_NOT_FOUND : r < 0 ? r : 0;
}

static const char SQL_JOB_GET[] = "SELECT " JOB_COLUMNS " FROM backup_jobs WHERE id = $1";

int jobs_store_job_get(struct store *st, int64_t id, struct job_row *ret)
{
	struct stmt *s = store_stmt(st, SQL_JOB_GET);

	store_bind_int(s, 1, id);
	return job_one(st, s, ret);
}

static const char SQL_JOB_BY_KEY[] = "SELECT " JOB_COLUMNS " FROM backup_jobs WHERE key = $1";

int jobs_store_job_by_key(struct store *st, const char *key, struct job_row *ret)
{
	struct stmt *s = store_stmt(st, SQL_JOB_BY_KEY);

	store_bind_text(s, 1, key);
	return job_one(st, s, ret);
}

/* The columns after id, bound from ?2 on by both statements. */
static void bind_job(struct stmt *s, const struct job_row *j)
{
	store_bind_text(s, 2, j->key);
	store_bind_text(s, 3, j->system);
	store_bind_json(s, 4, j->label);
	store_bind_json(s, 5, j->schedule);
	store_bind_text(s, 6, j->within);
	store_bind_text(s, 7, j->offsite);
	store_bind_text(s, 8, j->max_age);
	store_bind_text(s, 9, j->source);
	store_bind_text(s, 10, j->pack_def);
	store_bind_int(s, 11, j->enabled);
	store_bind_int(s, 12, j->retired);
	store_bind_int(s, 13, j->checked_until);
	store_bind_int(s, 14, j->created_at);
	store_bind_int(s, 15, j->updated_at);
}

static const char SQL_JOB_INSERT[] =
        "INSERT INTO backup_jobs (key, system, label, schedule, within, offsite, max_age, "
        "source, pack_def, enabled, retired, checked_until, created_at, updated_at) "
        "VALUES ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";

int jobs_store_job_insert(struct store *st, struct job_row *j)
{
	struct stmt *s = store_stmt(st, SQL_JOB_INSERT);
	int r;

	bind_job(s, j);
	r = store_exec_stmt(st, s);
	if (r == 0) {
		j->id = store_last_id(st);
		j->version = 1;
	}
	return r;
}

static const char SQL_JOB_UPDATE[] =
        "UPDATE backup_jobs SET key = $2, system = $3, label = $4, schedule = $5, within = $6, "
        "offsite = $7, max_age = $8, source = $9, pack_def = $10, enabled = $11, retired = $12, "
        "checked_until = $13, created_at = $14, updated_at = $15, version = version + 1 "
        "WHERE id = $1 AND version = $16";

int jobs_store_job_update(struct store *st, struct job_row *j)
{
	struct stmt *s = store_stmt(st, SQL_JOB_UPDATE);
	int r;

	store_bind_int(s, 1, j->id);
	bind_job(s, j);
	store_bind_int(s, 16, j->version);
	r = store_exec_stmt(st, s);
	if (r == 0 && store_changes(st) != 1)
		r = -ERR_CONFLICT;
	if (r == 0)
		j->version++;
	return r;
}

static const char SQL_JOB_CHECKED[] = "UPDATE backup_jobs SET checked_until = $2 WHERE id = $1";

int jobs_store_job_checked(struct store *st, int64_t id, int64_t until)
{
	struct stmt *s = store_stmt(st, SQL_JOB_CHECKED);

	store_bind_int(s, 1, id);
	store_bind_int(s, 2, until);
	return store_exec_stmt(st, s);
}

static const char SQL_JOB_IDS[] =
        "SELECT id FROM backup_jobs WHERE id > $1 AND ($2 IS NULL OR system = $2) "
        "AND ($3 = 0 OR (enabled = 1 AND retired = 0)) ORDER BY id LIMIT $4";

static json_t *id_row(struct stmt *s)
{
	return json_integer(store_col_int(s, 0));
}

int jobs_store_job_ids(struct store *st, const char *system, bool active_only, int64_t after,
                       int limit, json_t **ret_ids)
{
	struct stmt *s = store_stmt(st, SQL_JOB_IDS);

	store_bind_int(s, 1, after);
	store_bind_text(s, 2, system);
	store_bind_int(s, 3, active_only);
	store_bind_int(s, 4, limit > 0 ? limit : -1);
	return store_rows(st, s, id_row, ret_ids);
}

static const char SQL_PACK_JOBS[] =
        "SELECT id, key FROM backup_jobs WHERE source = 'pack' AND retired = 0 ORDER BY id";

static json_t *pack_job_row(struct stmt *s)
{
	return json_pack("{s:I, s:s}", "id", (json_int_t)store_col_int(s, 0), "key",
	                 store_col_text(s, 1));
}

int jobs_store_pack_jobs(struct store *st, json_t **ret)
{
	return store_rows(st, store_stmt(st, SQL_PACK_JOBS), pack_job_row, ret);
}

/* --- runs ---------------------------------------------------------------------------------- */

static const char SQL_RUN_INSERT[] =
        "INSERT INTO backup_runs (job_id, status, started_at, finished_at, size, sha256, "
        "location, offsite, verified, message, reported_by, reporter_id, reported_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

int jobs_store_run_insert(struct store *st, const struct run_row *r, int64_t *ret_id)
{
	struct stmt *s = store_stmt(st, SQL_RUN_INSERT);
	int rc;

	store_bind_int(s, 1, r->job_id);
	store_bind_text(s, 2, r->status);
	store_bind_id(s, 3, r->started_at);
	store_bind_int(s, 4, r->finished_at);
	store_bind_int(s, 5, r->size);
	store_bind_text(s, 6, r->sha256);
	store_bind_text(s, 7, r->location);
	store_bind_int(s, 8, r->offsite);
	store_bind_int(s, 9, r->verified);
	store_bind_text(s, 10, r->message);
	store_bind_text(s, 11, r->reported_by);
	store_bind_id(s, 12, r->reporter_id);
	store_bind_int(s, 13, r->reported_at);
	rc = store_exec_stmt(st, s);
	if (rc == 0)
		*ret_id = store_last_id(st);
	return rc;
}

#define RUN_COLUMNS                                                                                \
 "r.id, r.job_id, j.key, r.status, r.started_at, r.finished_at, r.size, r.sha256, r.location, "    \
 "r.offsite, r.verified, r.message, r.reported_by, r.reported_at"

static json_t *run_row_json(struct stmt *s)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:I, s:o, s:o, s:b, s:b, s:o, s:s, s:o}",
	                 "id", (json_int_t)store_col_int(s, 0), "job_id",
	                 (json_int_t)store_col_int(s, 1), "job_key", store_col_text(s, 2), "status",
	                 store_col_text(s, 3), "started_at", json_time_or_null(store_col_int(s, 4)),
	                 "finished_at", json_time_or_null(store_col_int(s, 5)), "size",
	                 (json_int_t)store_col_int(s, 6), "sha256", store_col_json_text(s, 7),
	                 "location", store_col_json_text(s, 8), "offsite", store_col_i32(s, 9),
	                 "verified", store_col_i32(s, 10), "message", store_col_json_text(s, 11),
	                 "reported_by", store_col_text(s, 12), "reported_at",
	                 json_time_or_null(store_col_int(s, 13)));
}

static int run_one(struct store *st, struct stmt *s, json_t **ret)
{
	int r = store_step(st, s);

	if (r == 1)
		*ret = run_row_json(s);
	store_reset(s);
	return r;
}

static const char SQL_RUN_GET[] = "SELECT " RUN_COLUMNS " FROM backup_runs r "
                                  "JOIN backup_jobs j ON j.id = r.job_id WHERE r.id = $1";

int jobs_store_run_get(struct store *st, int64_t id, json_t **ret)
{
	struct stmt *s = store_stmt(st, SQL_RUN_GET);
	int r;

	store_bind_int(s, 1, id);
	r = run_one(st, s, ret);
	return r == 0 ? -ERR_NOT_FOUND : r < 0 ? r : 0;
}

static const char SQL_RUN_LAST[] =
        "SELECT " RUN_COLUMNS " FROM backup_runs r JOIN backup_jobs j ON j.id = r.job_id "
        "WHERE r.job_id = $1 ORDER BY r.finished_at DESC, r.id DESC LIMIT 1";

int jobs_store_run_last(struct store *st, int64_t job_id, json_t **ret)
{
	struct stmt *s = store_stmt(st, SQL_RUN_LAST);
	int r;

	*ret = NULL;
	store_bind_int(s, 1, job_id);
	r = run_one(st, s, ret);
	return r < 0 ? r : 0;
}

static const char SQL_RUN_LIST[] =
        "SELECT " RUN_COLUMNS " FROM backup_runs r JOIN backup_jobs j ON j.id = r.job_id "
        "WHERE ($1 = 0 OR r.id < $1) AND ($2 = 0 OR r.job_id = $2) "
        "AND ($3 IS NULL OR r.status = $3) ORDER BY r.id DESC LIMIT $4";

int jobs_store_run_list(struct store *st, const struct backup_run_filter *f, json_t *items,
                        int64_t *ret_next)
{
	struct stmt *s = store_stmt(st, SQL_RUN_LIST);
	int64_t last = 0;
	int r, n = 0;

	store_bind_int(s, 1, f->after);
	store_bind_int(s, 2, f->job_id);
	store_bind_text(s, 3, f->status);
	store_bind_int(s, 4, (int64_t)f->limit + 1);
	while ((r = store_step(st, s)) == 1) {
		if (n == f->limit) {
			*ret_next = last;
			break;
		}
		last = store_col_int(s, 0);
		json_array_append_new(items, run_row_json(s));
		n++;
	}
	store_reset(s);
	if (r == 0)
		*ret_next = 0;
	return r < 0 ? r : 0;
}

static const char SQL_LAST_VERIFIED[] =
        "SELECT id, finished_at FROM backup_runs WHERE job_id = $1 AND status = 'ok' "
        "AND verified = 1 ORDER BY finished_at DESC, id DESC LIMIT 1";

int jobs_store_last_verified(struct store *st, int64_t job_id, int64_t *ret_run,
                             int64_t *ret_finished)
{
	struct stmt *s = store_stmt(st, SQL_LAST_VERIFIED);
	int r;

	store_bind_int(s, 1, job_id);
	r = store_step(st, s);
	if (r == 1) {
		*ret_run = store_col_int(s, 0);
		*ret_finished = store_col_int(s, 1);
	}
	store_reset(s);
	return r;
}

static const char SQL_RUN_IN_WINDOW[] =
        "SELECT 1 FROM backup_runs WHERE job_id = $1 AND status = 'ok' AND finished_at >= $2 "
        "AND finished_at <= $3 AND ($4 = 0 OR offsite = 1) LIMIT 1";

int jobs_store_run_in_window(struct store *st, int64_t job_id, int64_t from, int64_t to,
                             bool offsite)
{
	struct stmt *s = store_stmt(st, SQL_RUN_IN_WINDOW);
	int r;

	store_bind_int(s, 1, job_id);
	store_bind_int(s, 2, from);
	store_bind_int(s, 3, to);
	store_bind_int(s, 4, offsite);
	r = store_step(st, s);
	store_reset(s);
	return r;
}

/* --- missed scheduled times ------------------------------------------------------------------ */

static const char SQL_MISS_ADD[] =
        "INSERT INTO backup_misses (job_id, due_at, kind, found_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (job_id, due_at, kind) DO NOTHING";

int jobs_store_miss_add(struct store *st, int64_t job_id, int64_t due_at, const char *kind,
                        int64_t now)
{
	struct stmt *s = store_stmt(st, SQL_MISS_ADD);
	int r;

	store_bind_int(s, 1, job_id);
	store_bind_int(s, 2, due_at);
	store_bind_text(s, 3, kind);
	store_bind_int(s, 4, now);
	r = store_exec_stmt(st, s);
	return r < 0 ? r : store_changes(st) == 1;
}

static const char SQL_MISS_OPEN[] =
        "SELECT m.due_at, m.kind FROM backup_misses m WHERE m.job_id = $1 AND NOT EXISTS ("
        "SELECT 1 FROM backup_runs r WHERE r.job_id = m.job_id AND r.status = 'ok' "
        "AND r.finished_at >= m.due_at - $2 AND (m.kind = 'run' OR r.offsite = 1)) "
        "ORDER BY m.due_at DESC LIMIT 1";

int jobs_store_miss_open(struct store *st, int64_t job_id, int64_t *ret_due, char ret_kind[8])
{
	struct stmt *s = store_stmt(st, SQL_MISS_OPEN);
	int r;

	store_bind_int(s, 1, job_id);
	store_bind_int(s, 2, BACKUP_SKEW);
	r = store_step(st, s);
	if (r == 1) {
		*ret_due = store_col_int(s, 0);
		(void)snprintf(ret_kind, 8, "%s", store_col_text(s, 1));
	}
	store_reset(s);
	return r;
}

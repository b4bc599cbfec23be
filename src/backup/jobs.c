/*
 * jobs.c: the rules of the organization's backup jobs (SPEC BAK-3, BAK-4; see jobs.h): the
 * pack's jobs synced in by key, administrators' jobs, runs reported by scripts, the alerts of
 * failed, unverified and missed runs, and the check a data cleanup must pass. All SQL is in
 * jobs_store.c.
 *
 * A scheduled time T (of the schedule or of the offsite schedule, in the calendar's time zone)
 * has the window [T - BACKUP_SKEW, T + within] for a run to finish in:
 *
 *   T ------------- T + within ----------------- tick
 *   |  an ok run here keeps T  |  none: T is missed (recorded once, alerted once)
 *
 * checked_until is the last T the tick has judged; a job's scheduled times count from its
 * creation, from a change of its schedule and from its enabling, never before.
 */
#include "core/common.h"
#include "core/perm.h"

#include "audit/audit.h"
#include "backup/jobs_int.h"
#include "core/actor.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/cron.h"
#include "core/util.h"
#include "forms/pack.h"
#include "org/org.h"
#include "store/calendar_store.h"
#include "store/store.h"
#include "workflow/workflow.h"

#define CATCH_UP 1000      /* scheduled times of one job judged per tick */
#define EARLIEST 946684800 /* 2000-01-01: no backup report is older */

#define ALERTED (ROLE_IT_STAFF | ROLE_SYS_ADMIN)

static const struct actor system_actor = { .user_id = 0, .username = "system", .source = "backup" };

static bool may_read(const struct actor *a)
{
	return a->user_id == 0 || perm_check(a, "backup_jobs.read", 0);
}

static bool may_write(const struct actor *a)
{
	return a->user_id == 0 || perm_check(a, "backup_jobs.write", 0);
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static int utc_offset(struct store *st, int *ret)
{
	struct calendar cal;
	int r = calendar_load(st, &cal, NULL);

	if (r < 0)
		return r;
	*ret = cal.utc_offset;
	calendar_release(&cal);
	return 0;
}

static char *object_of(int64_t id)
{
	return xasprintf("backup_job:%" PRId64, id);
}

/* --- definitions ------------------------------------------------------------------------- */

/* The definition keys of a stored job, as backup_job_compile reads them. */
static json_t *row_def(const struct job_row *j)
{
	return json_pack("{s:s, s:O, s:O, s:s, s:s, s:s?}", "system", j->system, "label", j->label,
	                 "schedule", j->schedule, "within", j->within, "max_age", j->max_age,
	                 "offsite", j->offsite);
}

static void no_problem(void *ctx, const char *key, const char *msg)
{
	(void)ctx;
	(void)key;
	(void)msg;
}

/* The first problem of a definition, as a 400 with the field. */
struct first_problem {
	struct problem *p;
	int n;
};

static void first_problem(void *ctx, const char *key, const char *msg)
{
	struct first_problem *f = ctx;

	if (f->n++ == 0)
		(void)problem_setf(f->p, ERR_INVALID, "invalid", problem_path(f->p, "%s", key),
		                   "%s", msg);
}

/* The compiled schedule of a stored job (*ret borrows from *ret_def); -ERR_INTERNAL when a
 * stored definition no longer passes (never written so). */
static int row_compile(const struct job_row *j, json_t **ret_def, struct backup_job_def *ret)
{
	json_t *def = row_def(j);

	if (backup_job_compile(def, ret, no_problem, NULL) > 0) {
		json_decref(def);
		return -ERR_INTERNAL;
	}
	*ret_def = def;
	return 0;
}

/* The next scheduled time after t (of the schedule or the offsite schedule); -1 when none. */
static int64_t next_time(const struct backup_job_def *d, int64_t t, int off)
{
	int64_t best = -1, o;
	size_t i;

	for (i = 0; i < d->nschedule; i++) {
		o = cron_next(&d->schedule[i], t, off);
		if (o > 0 && (best < 0 || o < best))
			best = o;
	}
	if (d->has_offsite) {
		o = cron_next(&d->offsite, t, off);
		if (o > 0 && (best < 0 || o < best))
			best = o;
	}
	return best;
}

static bool offsite_at(const struct backup_job_def *d, int64_t t, int off)
{
	return d->has_offsite && cron_next(&d->offsite, t - 1, off) == t;
}

/* The job's definition as the audit trail keeps it. */
static json_t *job_audit(const struct job_row *j)
{
	return json_pack("{s:s, s:s, s:O, s:O, s:s, s:s?, s:s, s:s, s:b, s:b}", "key", j->key,
	                 "system", j->system, "label", j->label, "schedule", j->schedule, "within",
	                 j->within, "offsite", j->offsite, "max_age", j->max_age, "source",
	                 j->source, "enabled", j->enabled, "retired", j->retired);
}

static void set_text(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? xstrdup(src) : NULL;
}

/* Copies the definition keys of def (checked) into j. */
static void apply_def(struct job_row *j, json_t *def)
{
	json_t *off = json_object_get(def, "offsite");

	set_text(&j->system, json_string_value(json_object_get(def, "system")));
	set_text(&j->within, json_string_value(json_object_get(def, "within")));
	set_text(&j->max_age, json_string_value(json_object_get(def, "max_age")));
	set_text(&j->offsite, json_is_string(off) ? json_string_value(off) : NULL);
	json_decref(j->label);
	j->label = json_deep_copy(json_object_get(def, "label"));
	json_decref(j->schedule);
	j->schedule = json_deep_copy(json_object_get(def, "schedule"));
}

static bool same_times(const struct job_row *j, json_t *def)
{
	json_t *off = json_object_get(def, "offsite");
	const char *o = json_is_string(off) ? json_string_value(off) : NULL;

	return json_equal(j->schedule, json_object_get(def, "schedule")) &&
	       ((!o && !j->offsite) || (o && j->offsite && strcmp(o, j->offsite) == 0));
}

/* --- the job as the API shows it ----------------------------------------------------------- */

static int job_view(struct store *st, const struct job_row *j, int64_t now, int off, json_t **ret)
{
	struct backup_job_def d;
	json_t *def = NULL, *last = NULL, *o, *pack = NULL;
	int64_t due = 0, vrun = 0, vtime = 0, next = -1;
	char kind[8] = "";
	const char *status;
	int r, missed, verified;

	missed = jobs_store_miss_open(st, j->id, &due, kind);
	if (missed < 0)
		return missed;
	r = jobs_store_run_last(st, j->id, &last);
	if (r < 0)
		return r;
	verified = jobs_store_last_verified(st, j->id, &vrun, &vtime);
	if (verified < 0) {
		json_decref(last);
		return verified;
	}
	if (missed)
		status = "missed";
	else if (!last)
		status = "never";
	else if (strcmp(json_string_value(json_object_get(last, "status")), "ok") != 0)
		status = "failed";
	else if (!json_is_true(json_object_get(last, "verified")))
		status = "unverified";
	else
		status = "ok";
	if (j->enabled && !j->retired && row_compile(j, &def, &d) == 0)
		next = next_time(&d, now, off);
	json_decref(def);
	if (j->pack_def)
		pack = json_loads(j->pack_def, 0, NULL);
	o = json_pack(
	        "{s:I, s:s, s:s, s:O, s:O, s:s, s:s?, s:s, s:s, s:O?, s:O?, s:b, s:b, s:I, "
	        "s:o, s:o, s:s, s:o, s:o, s:o, s:o}",
	        "id", (json_int_t)j->id, "key", j->key, "system", j->system, "label", j->label,
	        "schedule", j->schedule, "within", j->within, "offsite", j->offsite, "max_age",
	        j->max_age, "source", j->source, "clause", json_object_get(pack, "source"), "help",
	        json_object_get(pack, "help"), "enabled", j->enabled, "retired", j->retired,
	        "version", (json_int_t)j->version, "created_at", json_time_or_null(j->created_at),
	        "updated_at", json_time_or_null(j->updated_at), "status", status, "missed",
	        missed ? json_pack("{s:o, s:s}", "due_at", json_time_or_null(due), "kind", kind)
	               : json_null(),
	        "last_run", last ? last : json_null(), "last_verified_at",
	        json_time_or_null(verified ? vtime : 0), "next_due_at",
	        json_time_or_null(next > 0 ? next : 0));
	json_decref(pack);
	*ret = o;
	return 0;
}

static int view_by_id(struct store *st, int64_t id, int64_t now, json_t **ret)
{
	struct job_row j;
	int off, r = utc_offset(st, &off);

	if (r < 0)
		return r;
	r = jobs_store_job_get(st, id, &j);
	if (r < 0)
		return r;
	r = job_view(st, &j, now, off, ret);
	job_row_release(&j);
	return r;
}

int backup_job_list(struct store *st, const struct actor *a, const struct backup_job_filter *f,
                    int64_t now, json_t **ret_items, int64_t *ret_next, struct problem *p)
{
	json_t *ids = NULL, *items, *e, *o;
	struct job_row j;
	size_t i;
	int off, r;

	if (!may_read(a))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	if (f->system && !pack_id_valid(f->system))
		return problem_setf(p, ERR_INVALID, "invalid", "system",
		                    "a system id: a-z, 0-9 and _, starting with a letter");
	r = utc_offset(st, &off);
	if (r < 0)
		return r;
	r = store_begin_read(st);
	if (r < 0)
		return r;
	r = jobs_store_job_ids(st, f->system, false, f->after, f->limit + 1, &ids);
	items = json_array();
	json_array_foreach(ids, i, e) {
		if (r < 0 || i == (size_t)f->limit)
			break;
		r = jobs_store_job_get(st, json_integer_value(e), &j);
		if (r < 0)
			break;
		r = job_view(st, &j, now, off, &o);
		job_row_release(&j);
		if (r == 0)
			json_array_append_new(items, o);
	}
	store_rollback(st);
	if (r < 0) {
		json_decref(ids);
		json_decref(items);
		return r;
	}
	*ret_next = json_array_size(ids) > (size_t)f->limit
	                    ? json_integer_value(json_array_get(ids, (size_t)f->limit - 1))
	                    : 0;
	json_decref(ids);
	*ret_items = items;
	return 0;
}

int backup_job_get(struct store *st, const struct actor *a, int64_t id, int64_t now, json_t **ret,
                   struct problem *p)
{
	int r;

	if (!may_read(a))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	r = view_by_id(st, id, now, ret);
	if (r == -ERR_NOT_FOUND)
		return problem_set(p, ERR_NOT_FOUND, "not_found", NULL);
	return r;
}

/* --- the pack's jobs ------------------------------------------------------------------------ */

static int sync_one(struct store *st, const struct backup_job_def *d, int64_t now)
{
	char *text = json_dumps(d->def, JSON_COMPACT | JSON_SORT_KEYS);
	json_t *before = NULL, *after = NULL, *en = json_object_get(d->def, "enabled");
	struct job_row j = { 0 };
	bool times;
	int r = jobs_store_job_by_key(st, d->id, &j);

	if (r == -ERR_NOT_FOUND) {
		j.key = xstrdup(d->id);
		apply_def(&j, d->def);
		j.source = xstrdup("pack");
		j.pack_def = text;
		text = NULL;
		j.enabled = !json_is_false(en);
		j.checked_until = j.created_at = j.updated_at = now;
		r = jobs_store_job_insert(st, &j);
		after = r == 0 ? job_audit(&j) : NULL;
		if (r == 0)
			r = audit_change(
			        st, (struct audit_event){ .actor = &system_actor,
			                                  .action = "backup_job.create",
			                                  .object = AUDIT_OBJ("backup_job", j.id),
			                                  .before = NULL,
			                                  .after = json_incref(after) });
		goto out;
	}
	if (r < 0 || (strcmp(j.source, "pack") == 0 && !j.retired && j.pack_def &&
	              strcmp(j.pack_def, text) == 0))
		goto out; /* unchanged since the last start */
	before = job_audit(&j);
	times = same_times(&j, d->def);
	apply_def(&j, d->def);
	if (j.retired)
		j.enabled = !json_is_false(en);
	if (j.retired || !times)
		j.checked_until = max64(j.checked_until, now);
	j.retired = false;
	set_text(&j.source, "pack");
	free(j.pack_def);
	j.pack_def = text;
	text = NULL;
	j.updated_at = now;
	r = jobs_store_job_update(st, &j);
	after = r == 0 ? job_audit(&j) : NULL;
	if (r == 0)
		r = audit_change(st, (struct audit_event){ .actor = &system_actor,
		                                           .action = "backup_job.sync",
		                                           .object = AUDIT_OBJ("backup_job", j.id),
		                                           .before = json_incref(before),
		                                           .after = json_incref(after) });
out:
	free(text);
	json_decref(before);
	json_decref(after);
	job_row_release(&j);
	return r;
}

static int retire(struct store *st, int64_t id, int64_t now)
{
	struct job_row j;
	json_t *before, *after;
	int r = jobs_store_job_get(st, id, &j);

	if (r < 0)
		return r;
	before = job_audit(&j);
	j.retired = true;
	j.updated_at = now;
	r = jobs_store_job_update(st, &j);
	after = job_audit(&j);
	if (r == 0)
		r = audit_change(st, (struct audit_event){ .actor = &system_actor,
		                                           .action = "backup_job.retire",
		                                           .object = AUDIT_OBJ("backup_job", j.id),
		                                           .before = json_incref(before),
		                                           .after = json_incref(after) });
	json_decref(before);
	json_decref(after);
	job_row_release(&j);
	return r;
}

int backup_jobs_sync(struct store *st, const struct pack *pk)
{
	json_t *known = NULL, *e;
	int64_t now = clock_now();
	size_t i;
	int r = store_begin(st);

	for (i = 0; r == 0 && i < pk->nbackup_jobs; i++)
		r = sync_one(st, &pk->backup_jobs[i], now);
	if (r == 0)
		r = jobs_store_pack_jobs(st, &known);
	json_array_foreach(known, i, e) {
		if (r == 0 && !pack_backup_job(pk, json_string_value(json_object_get(e, "key"))))
			r = retire(st, json_integer_value(json_object_get(e, "id")), now);
	}
	json_decref(known);
	return store_end(st, r);
}

/* --- administrators' jobs -------------------------------------------------------------------- */

static const char *const def_keys[] = { "system",  "label",   "schedule", "within",
	                                "offsite", "max_age", NULL };

static bool listed(const char *key, const char *const *keys)
{
	for (; *keys; keys++)
		if (strcmp(key, *keys) == 0)
			return true;
	return false;
}

/* Refuses keys in neither list (b may be NULL). */
static int only_keys(json_t *in, const char *const *a, const char *const *b, struct problem *p)
{
	const char *key;
	json_t *v;

	if (!json_is_object(in))
		return problem_set(p, ERR_INVALID, "invalid_json", NULL);
	json_object_foreach(in, key, v) {
		if (!listed(key, a) && !(b && listed(key, b)))
			return problem_setf(p, ERR_INVALID, "unknown_field",
			                    problem_path(p, "%.60s", key),
			                    "'%.60s' is not accepted here", key);
	}
	return 0;
}

static int enabled_of(json_t *in, bool *ret, struct problem *p)
{
	json_t *v = json_object_get(in, "enabled");

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return problem_setf(p, ERR_INVALID, "invalid", "enabled", "true or false");
	*ret = json_is_true(v);
	return 0;
}

int backup_job_create(struct store *st, const struct actor *a, json_t *in, int64_t now,
                      json_t **ret, struct problem *p)
{
	static const char *const extra[] = { "key", "enabled", NULL };
	const char *key = json_string_value(json_object_get(in, "key"));
	struct first_problem fp = { .p = p };
	struct backup_job_def d;
	struct job_row j = { 0 };
	json_t *after = NULL;
	bool enabled = true;
	int r;

	if (!may_write(a))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	r = only_keys(in, def_keys, extra, p);
	if (r < 0)
		return r;
	if (!pack_id_valid(key))
		return problem_setf(p, ERR_INVALID, "invalid", "key",
		                    "1-48 characters of a-z, 0-9 and _, starting with a letter");
	r = enabled_of(in, &enabled, p);
	if (r < 0)
		return r;
	if (backup_job_compile(in, &d, first_problem, &fp) > 0)
		return -ERR_INVALID;
	j.key = xstrdup(key);
	apply_def(&j, in);
	j.source = xstrdup("admin");
	j.enabled = enabled;
	j.checked_until = j.created_at = j.updated_at = now;
	r = store_begin(st);
	if (r == 0)
		r = jobs_store_job_insert(st, &j);
	if (r == -ERR_CONFLICT)
		r = problem_setf(p, ERR_CONFLICT, "name_taken", "key",
		                 "a backup job with key '%s' exists", key);
	if (r == 0) {
		after = job_audit(&j);
		r = audit_change(st, (struct audit_event){ .actor = a,
		                                           .action = "backup_job.create",
		                                           .object = AUDIT_OBJ("backup_job", j.id),
		                                           .before = NULL,
		                                           .after = json_incref(after) });
	}
	r = store_end(st, r);
	if (r == 0)
		r = view_by_id(st, j.id, now, ret);
	json_decref(after);
	job_row_release(&j);
	return r;
}

int backup_job_update(struct store *st, const struct actor *a, int64_t id, json_t *in, int64_t now,
                      json_t **ret, struct problem *p)
{
	static const char *const extra[] = { "version", "enabled", NULL };
	static const char *const pack_keys[] = { "within", "max_age", NULL };
	struct first_problem fp = { .p = p };
	json_t *v = json_object_get(in, "version"), *merged = NULL, *before = NULL, *after = NULL;
	struct backup_job_def d;
	struct job_row j = { 0 };
	const char *key;
	json_t *val;
	bool enabled, times;
	int r;

	if (!may_write(a))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	r = only_keys(in, def_keys, extra, p);
	if (r < 0)
		return r;
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return problem_setf(p, ERR_INVALID, "invalid", "version",
		                    "the version the change was made on");
	r = store_begin(st);
	if (r < 0)
		return r;
	r = jobs_store_job_get(st, id, &j);
	if (r == -ERR_NOT_FOUND)
		r = problem_set(p, ERR_NOT_FOUND, "not_found", NULL);
	if (r < 0)
		goto out;
	if (json_integer_value(v) != j.version) {
		r = problem_set(p, ERR_CONFLICT, "stale_version", NULL);
		goto out;
	}
	merged = row_def(&j);
	json_object_foreach(in, key, val) {
		if (!listed(key, def_keys))
			continue;
		if (strcmp(j.source, "pack") == 0 && !listed(key, pack_keys)) {
			r = problem_setf(p, ERR_CONFLICT, "pack_job", problem_path(p, "%s", key),
			                 "job '%s' is the policy pack's: change its %s in the pack "
			                 "(DIR/policy)",
			                 j.key, key);
			goto out;
		}
		json_object_set(merged, key, val);
	}
	enabled = j.enabled;
	r = enabled_of(in, &enabled, p);
	if (r < 0)
		goto out;
	if (backup_job_compile(merged, &d, first_problem, &fp) > 0) {
		r = -ERR_INVALID;
		goto out;
	}
	before = job_audit(&j);
	times = same_times(&j, merged);
	apply_def(&j, merged);
	if (!times || (enabled && !j.enabled))
		j.checked_until = max64(j.checked_until, now);
	j.enabled = enabled;
	j.updated_at = now;
	r = jobs_store_job_update(st, &j);
	if (r == -ERR_CONFLICT)
		r = problem_set(p, ERR_CONFLICT, "stale_version", NULL);
	if (r == 0) {
		after = job_audit(&j);
		r = audit_change(st, (struct audit_event){ .actor = a,
		                                           .action = "backup_job.update",
		                                           .object = AUDIT_OBJ("backup_job", j.id),
		                                           .before = json_incref(before),
		                                           .after = json_incref(after) });
	}
out:
	r = store_end(st, r);
	if (r == 0)
		r = view_by_id(st, id, now, ret);
	json_decref(merged);
	json_decref(before);
	json_decref(after);
	job_row_release(&j);
	return r;
}

/* --- runs ------------------------------------------------------------------------------------ */

/* The notification parameters of a job (and of a run, when given). */
static json_t *alert_params(const struct job_row *j, json_t *run, int off)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "job", label_text(j->label, false), "job_en",
	                      label_text(j->label, true), "key", j->key, "system", j->system);
	char when[LOCAL_TIME_LEN];
	int64_t t = 0;

	if (!run)
		return o;
	(void)time_parse_rfc3339(json_string_value(json_object_get(run, "finished_at")), &t);
	time_format_local(t, off, when);
	json_object_set(o, "run_id", json_object_get(run, "id"));
	json_object_set_new(o, "finished", json_string(when));
	json_object_set(o, "location", json_object_get(run, "location"));
	json_object_set(o, "message", json_object_get(run, "message"));
	json_object_set(o, "reported_by", json_object_get(run, "reported_by"));
	return o;
}

static int bad(struct problem *p, const char *field, const char *why)
{
	return problem_setf(p, ERR_INVALID, "invalid", field, "%s", why);
}

static int opt_time(json_t *in, const char *key, int64_t *ret, struct problem *p)
{
	json_t *v = json_object_get(in, key);

	*ret = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || time_parse_rfc3339(json_string_value(v), ret) < 0)
		return bad(p, key, "an RFC 3339 time, e.g. 2026-11-21T09:30:00+08:00");
	if (*ret < EARLIEST)
		return bad(p, key, "not before 2000-01-01");
	return 0;
}

static int opt_bool(json_t *in, const char *key, bool *ret, struct problem *p)
{
	json_t *v = json_object_get(in, key);

	*ret = false;
	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return bad(p, key, "true or false");
	*ret = json_is_true(v);
	return 0;
}

/* An optional text of 1..max code points (multi-line when lines); NULL when absent. */
static int opt_text(json_t *in, const char *key, size_t max, bool lines, const char **ret,
                    struct problem *p)
{
	json_t *v = json_object_get(in, key);
	const char *s = json_string_value(v);

	*ret = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!s || !*s || strlen(s) != json_string_length(v) || !utf8_valid(s, strlen(s), lines) ||
	    utf8_count(s) > max)
		return problem_setf(p, ERR_INVALID, "invalid", key,
		                    "a text of 1 to %zu characters%s", max,
		                    lines ? "" : " on one line");
	*ret = s;
	return 0;
}

/* Checks a report into *r (borrowing from in); the job is looked up by the caller. */
static int parse_run(json_t *in, int64_t now, struct run_row *r, char sha[65], struct problem *p)
{
	static const char *const allowed[] = { "job",      "status",  "finished_at", "started_at",
		                               "size",     "sha256",  "location",    "offsite",
		                               "verified", "message", NULL };
	json_t *size = json_object_get(in, "size"), *hash = json_object_get(in, "sha256");
	const char *status = json_string_value(json_object_get(in, "status")), *h;
	int rc = only_keys(in, allowed, NULL, p);
	size_t i;
	bool ok;

	if (rc < 0)
		return rc;
	if (!status || (strcmp(status, "ok") != 0 && strcmp(status, "failed") != 0))
		return bad(p, "status", "\"ok\" or \"failed\"");
	ok = strcmp(status, "ok") == 0;
	r->status = status;
	rc = opt_time(in, "finished_at", &r->finished_at, p);
	if (rc == 0)
		rc = opt_time(in, "started_at", &r->started_at, p);
	if (rc < 0)
		return rc;
	if (!r->finished_at)
		r->finished_at = now;
	if (r->finished_at > now + BACKUP_SKEW)
		return bad(p, "finished_at", "in the future (more than 5 minutes ahead)");
	if (r->started_at && r->started_at > r->finished_at)
		return bad(p, "started_at", "after finished_at");
	if (size && !json_is_null(size)) {
		if (!json_is_integer(size) || json_integer_value(size) < 0)
			return bad(p, "size", "a whole number of bytes, 0 or more");
		r->size = json_integer_value(size);
	} else if (ok) {
		return bad(p, "size", "required for a successful run (bytes)");
	}
	if (hash && !json_is_null(hash)) {
		h = json_string_value(hash);
		if (!h || strlen(h) != 64 || strspn(h, "0123456789abcdefABCDEF") != 64)
			return bad(p, "sha256", "the SHA-256 of the backup: 64 hexadecimal digits");
		for (i = 0; i < 64; i++)
			sha[i] = (char)(h[i] >= 'A' && h[i] <= 'F' ? h[i] - 'A' + 'a' : h[i]);
		sha[64] = '\0';
		r->sha256 = sha;
	} else if (ok) {
		return bad(p, "sha256", "required for a successful run");
	}
	rc = opt_text(in, "location", BACKUP_LOCATION_MAX, false, &r->location, p);
	if (rc == 0 && ok && !r->location)
		rc = bad(p, "location", "required for a successful run: where the backup is kept");
	if (rc == 0)
		rc = opt_text(in, "message", BACKUP_MESSAGE_MAX, true, &r->message, p);
	if (rc == 0)
		rc = opt_bool(in, "offsite", &r->offsite, p);
	if (rc == 0)
		rc = opt_bool(in, "verified", &r->verified, p);
	if (rc == 0 && r->verified && !ok)
		rc = bad(p, "verified", "a failed run is never verified");
	return rc;
}

int backup_run_report(struct store *st, const struct actor *a, json_t *in, int64_t now,
                      json_t **ret, struct problem *p)
{
	const char *key = json_string_value(json_object_get(in, "job"));
	struct run_row run = { 0 };
	struct job_row j = { 0 };
	json_t *view = NULL, *params = NULL;
	char sha[65], *obj = NULL;
	int64_t id = 0;
	int off = 0, r;

	if (!may_write(a))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	if (!json_is_object(in))
		return problem_set(p, ERR_INVALID, "invalid_json", NULL);
	if (!key || !pack_id_valid(key))
		return bad(p, "job", "the key of a backup job, e.g. \"erp_daily\"");
	r = parse_run(in, now, &run, sha, p);
	if (r < 0)
		return r;
	r = utc_offset(st, &off);
	if (r < 0)
		return r;
	r = store_begin(st);
	if (r < 0)
		return r;
	r = jobs_store_job_by_key(st, key, &j);
	if (r == -ERR_NOT_FOUND)
		r = problem_setf(p, ERR_INVALID, "invalid", "job", "no backup job '%s'", key);
	if (r < 0)
		goto out;
	if (!j.enabled || j.retired) {
		r = problem_setf(p, ERR_CONFLICT, "job_disabled", "job",
		                 "the backup job '%s' is %s", key,
		                 j.retired ? "no longer in the policy pack" : "disabled");
		goto out;
	}
	run.job_id = j.id;
	run.reported_by = a->username ? a->username : "system";
	run.reporter_id = a->user_id;
	run.reported_at = now;
	r = jobs_store_run_insert(st, &run, &id);
	if (r == 0)
		r = jobs_store_run_get(st, id, &view);
	if (r == 0) {
		obj = object_of(j.id);
		r = audit_append(st, &(struct audit_event){ .actor = a,
		                                            .action = "backup_run.report",
		                                            .object = obj,
		                                            .after = view });
	}
	if (r == 0 && (strcmp(run.status, "ok") != 0 || !run.verified)) {
		params = alert_params(&j, view, off);
		r = org_notify_role(st, ALERTED,
		                    strcmp(run.status, "ok") != 0 ? "backup.failed"
		                                                  : "backup.unverified",
		                    params);
	}
out:
	r = store_end(st, r);
	if (r == 0)
		*ret = json_incref(view);
	json_decref(view);
	json_decref(params);
	free(obj);
	job_row_release(&j);
	return r;
}

int backup_run_list(struct store *st, const struct actor *a, const struct backup_run_filter *f,
                    json_t **ret_items, int64_t *ret_next, struct problem *p)
{
	json_t *items;
	int r;

	if (!may_read(a))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	if (f->status && strcmp(f->status, "ok") != 0 && strcmp(f->status, "failed") != 0)
		return bad(p, "status", "\"ok\" or \"failed\"");
	items = json_array();
	r = jobs_store_run_list(st, f, items, ret_next);
	if (r < 0) {
		json_decref(items);
		return r;
	}
	*ret_items = items;
	return 0;
}

/* --- the tick --------------------------------------------------------------------------------- */

struct misses {
	int count;
	int64_t latest;
};

static int alert_missed(struct store *st, const struct job_row *j, const char *kind,
                        const struct misses *m, int off)
{
	json_t *params = alert_params(j, NULL, off);
	char when[LOCAL_TIME_LEN];
	bool run = strcmp(kind, "run") == 0;
	int r;

	time_format_local(m->latest, off, when);
	json_object_set_new(params, "due", json_string(when));
	json_object_set_new(params, "count", json_integer(m->count));
	json_object_set_new(params, "within", json_string(j->within));
	json_object_set_new(params, "kind", json_string(kind));
	json_object_set_new(params, "what", json_string(run ? "备份" : "异地备份"));
	json_object_set_new(params, "what_en", json_string(run ? "backup run" : "off-site backup"));
	r = org_notify_role(st, ALERTED, "backup.missed", params);
	json_decref(params);
	return r;
}

static int tick_job(struct store *st, int64_t id, int64_t now, int off, json_t *report)
{
	struct misses m[2] = { { 0 } };
	struct backup_job_def d;
	struct job_row j = { 0 };
	json_t *def = NULL, *found = json_array(), *detail = NULL;
	int64_t t, o;
	int n, r = store_begin(st), ok;
	const char *kind;

	if (r == 0)
		r = jobs_store_job_get(st, id, &j);
	if (r < 0 || !j.enabled || j.retired)
		goto out;
	r = row_compile(&j, &def, &d);
	if (r < 0)
		goto out;
	for (t = j.checked_until, n = 0; r == 0 && n < CATCH_UP; t = o, n++) {
		o = next_time(&d, t, off);
		if (o <= 0 || o + d.within > now)
			break;
		kind = NULL;
		ok = jobs_store_run_in_window(st, j.id, o - BACKUP_SKEW, o + d.within, false);
		if (ok == 0) {
			kind = "run";
		} else if (ok == 1 && offsite_at(&d, o, off)) {
			ok = jobs_store_run_in_window(st, j.id, o - BACKUP_SKEW, o + d.within,
			                              true);
			kind = ok == 0 ? "offsite" : NULL;
		}
		if (ok < 0) {
			r = ok;
			break;
		}
		if (!kind)
			continue;
		r = jobs_store_miss_add(st, j.id, o, kind, now);
		if (r == 1) {
			json_t *e = json_pack("{s:s, s:s, s:I, s:s, s:o}", "event", "missed", "job",
			                      j.key, "job_id", (json_int_t)j.id, "kind", kind,
			                      "due_at", json_time_or_null(o));

			json_array_append_new(found, e);
			m[kind[0] == 'o'].count++;
			m[kind[0] == 'o'].latest = o;
			r = 0;
		}
	}
	if (r == 0 && t != j.checked_until)
		r = jobs_store_job_checked(st, j.id, t);
	if (r == 0 && json_array_size(found) > 0) {
		char *obj = object_of(j.id);

		detail = json_pack("{s:s, s:O}", "job", j.key, "missed", found);
		r = audit_append(st, &(struct audit_event){ .actor = &system_actor,
		                                            .action = "backup.missed",
		                                            .object = obj,
		                                            .detail = detail });
		free(obj);
	}
	if (r == 0 && m[0].count)
		r = alert_missed(st, &j, "run", &m[0], off);
	if (r == 0 && m[1].count)
		r = alert_missed(st, &j, "offsite", &m[1], off);
out:
	r = store_end(st, r);
	if (r == 0 && report) /* only what was committed */
		json_array_extend(report, found);
	json_decref(def);
	json_decref(found);
	json_decref(detail);
	job_row_release(&j);
	return r;
}

int backup_jobs_tick(struct store *st, const struct pack *pk, int64_t now, json_t **ret_report)
{
	json_t *ids = NULL, *report = json_array(), *e;
	size_t i;
	int off = 0, r;

	(void)pk; /* the pack's jobs are in the database since the start (backup_jobs_sync) */
	r = utc_offset(st, &off);
	if (r == 0)
		r = jobs_store_job_ids(st, NULL, true, 0, 0, &ids);
	json_array_foreach(ids, i, e) {
		if (r == 0)
			r = tick_job(st, json_integer_value(e), now, off, report);
	}
	json_decref(ids);
	if (r == 0 && ret_report)
		*ret_report = json_incref(report);
	json_decref(report);
	return r;
}

/* --- data cleanup (BAK-4) ----------------------------------------------------------------------
 */

int backup_cleanup_check(struct store *st, const char *system, const char *field, int64_t now,
                         json_t **ret_basis, struct problem *p)
{
	json_t *ids = NULL, *basis = json_array(), *e;
	struct job_row j = { 0 };
	int64_t run = 0, at = 0;
	size_t i, active = 0;
	int r = 0;

	if (!pack_id_valid(system)) {
		r = problem_setf(p, ERR_INVALID, "invalid", field,
		                 "the system's id as its backup jobs name it, e.g. \"erp\"");
		goto out;
	}
	r = jobs_store_job_ids(st, system, false, 0, 0, &ids);
	if (r == 0 && json_array_size(ids) == 0)
		r = problem_setf(p, ERR_INVALID, "invalid", field,
		                 "no backup job names the system '%s'", system);
	json_array_foreach(ids, i, e) {
		if (r < 0)
			break;
		r = jobs_store_job_get(st, json_integer_value(e), &j);
		if (r < 0)
			break;
		if (j.enabled && !j.retired) {
			struct duration age = { 0 };

			active++;
			(void)duration_parse(j.max_age, &age);
			r = jobs_store_last_verified(st, j.id, &run, &at);
			if (r == 1 && at >= now - age.n) {
				json_array_append_new(
				        basis, json_pack("{s:s, s:I, s:o}", "job", j.key, "run_id",
				                         (json_int_t)run, "finished_at",
				                         json_time_or_null(at)));
				r = 0;
			} else if (r >= 0) {
				r = problem_setf(p, ERR_CONFLICT, "no_verified_backup", field,
				                 "系统 %s 没有 %s 内经验证的备份（%s）/ %s has no "
				                 "verified backup newer than %s (%s)",
				                 system, j.max_age, j.key, system, j.max_age,
				                 j.key);
			}
		}
		job_row_release(&j);
	}
	if (r == 0 && active == 0)
		r = problem_setf(p, ERR_CONFLICT, "no_verified_backup", field,
		                 "系统 %s 没有启用的备份任务 / %s has no enabled backup job",
		                 system, system);
out:
	if (r == 0 && ret_basis)
		*ret_basis = json_incref(basis);
	json_decref(basis);
	json_decref(ids);
	return r;
}

/* BAK-4: the system's data is cleaned up only while a verified backup of it, newer than its
 * jobs allow, exists; the runs relied on are kept in the request's result. */
static int cleanup_precheck(struct store *st, json_t *data, struct problem *p)
{
	return backup_cleanup_check(st, json_string_value(json_object_get(data, "system")),
	                            "data.system", clock_now(), NULL, p);
}

static int cleanup_run(struct action_run *x)
{
	const char *system = json_string_value(json_object_get(x->data, "system"));
	json_t *basis = NULL;
	int rc = backup_cleanup_check(x->st, system, "data.system", clock_now(), &basis, x->p);

	if (rc < 0)
		return rc;
	json_object_set_new(x->result, "system", json_string(system));
	json_object_set_new(x->result, "backups", basis);
	return 0;
}

const struct request_action backup_jobs_actions[BACKUP_JOBS_NACTIONS] = {
	{ "data_cleanup", cleanup_precheck, cleanup_run },
};

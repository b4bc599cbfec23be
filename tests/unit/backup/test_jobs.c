/*
 * test_jobs.c: the backup jobs of the organization's systems (SPEC BAK-3, BAK-4), verbs called
 * directly with a chosen "now": the pack's "backup_jobs" validated with file and path and
 * synced in by key; scheduled times kept on time, missed, made good late, off-site
 * requirements; the tick idempotent and alerting once; reports validated; the data-cleanup
 * check. The calendar is the default one (Asia/Shanghai, UTC+8).
 */
#include <criterion/criterion.h>
#include <unistd.h>

#include "core/common.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/fs.h"
#include "audit/audit.h"
#include "backup/jobs.h"
#include "fixture.h"
#include "forms/pack.h"
#include "org/org.h"
#include "store/store.h"

static struct store *st;
static const char *dir;
static int64_t it_uid;

static const struct actor op = { .user_id = 0, .username = "cli:test", .source = "cli" };
static const struct actor leader = {
	.user_id = 9001, .username = "boss", .source = "test", .roles = ROLE_LEADER
};

static void setup(void)
{
	fixture_setup("jobs");
	st = fx.st;
	dir = fx.dir;
	it_uid = fixture_user("it-one", ROLE_IT_STAFF).user_id;
}

TestSuite(jobs, .init = setup, .fini = fixture_teardown);

/* A local time of March 2027 in Asia/Shanghai. */
static int64_t at(int day, int hour, int minute)
{
	char s[40];
	int64_t t = 0;

	(void)snprintf(s, sizeof(s), "2027-03-%02dT%02d:%02d:00+08:00", day, hour, minute);
	cr_assert_eq(time_parse_rfc3339(s, &t), 0, "%s", s);
	return t;
}

static void rfc(int64_t t, char out[RFC3339_LEN])
{
	time_format_rfc3339(t, out);
}

static int64_t audit_n(void)
{
	int64_t n = 0;

	cr_assert_eq(audit_size(st, &n), 0);
	return n;
}

/* The it_staff holder's notifications of a kind. */
static size_t notes(const char *kind)
{
	json_t *items = NULL, *e;
	int64_t next = 0;
	size_t i, n = 0;

	cr_assert_eq(org_notifications(st, it_uid, 0, 500, &items, &next), 0);
	json_array_foreach(items, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "kind")), kind) == 0)
			n++;
	}
	json_decref(items);
	return n;
}

/* Adds an administrator's job created at now; returns its view's id. */
static int64_t job(const char *key, const char *system, const char *schedule, const char *within,
                   const char *offsite, const char *max_age, int64_t now)
{
	json_error_t je;
	json_t *in = json_loads(schedule, 0, &je), *out = NULL;
	struct problem p = { 0 };
	int64_t id;

	cr_assert_not_null(in, "%s", je.text);
	in = json_pack("{s:s, s:s, s:{s:s, s:s}, s:o, s:s, s:s, s:s?}", "key", key, "system",
	               system, "label", "zh-CN", "测试任务", "en", "Test job", "schedule", in,
	               "within", within, "max_age", max_age, "offsite", offsite);
	cr_assert_eq(backup_job_create(st, &op, in, now, &out, &p), 0, "%s: %s", p.field, p.detail);
	id = json_integer_value(json_object_get(out, "id"));
	cr_assert_str_eq(json_string_value(json_object_get(out, "status")), "never");
	cr_assert_str_eq(json_string_value(json_object_get(out, "source")), "admin");
	json_decref(in);
	json_decref(out);
	return id;
}

/* Reports a run; returns 0 or the error (with p filled). */
static int report_p(const char *key, const char *status, int64_t finished, bool verified,
                    bool offsite, int64_t now, struct problem *p)
{
	char t[RFC3339_LEN];
	json_t *in, *out = NULL;
	int r;

	rfc(finished, t);
	in = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:b, s:b}", "job", key, "status", status,
	               "finished_at", t, "size", (json_int_t)1024, "sha256",
	               "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
	               "location", "nas:/backups", "verified", verified, "offsite", offsite);
	r = backup_run_report(st, &op, in, now, &out, p);
	json_decref(in);
	json_decref(out);
	return r;
}

static void report(const char *key, const char *status, int64_t finished, bool verified,
                   bool offsite)
{
	struct problem p = { 0 };

	cr_assert_eq(report_p(key, status, finished, verified, offsite, finished + 60, &p), 0,
	             "%s: %s", p.field, p.detail);
}

/* Runs the tick at now; returns its report (caller decrefs). */
static json_t *tick(int64_t now)
{
	json_t *rep = NULL;

	cr_assert_eq(backup_jobs_tick(st, NULL, now, &rep), 0);
	return rep;
}

static json_t *view(int64_t id, int64_t now)
{
	struct problem p = { 0 };
	json_t *o = NULL;

	cr_assert_eq(backup_job_get(st, &op, id, now, &o, &p), 0);
	return o;
}

static void expect_status(int64_t id, int64_t now, const char *status)
{
	json_t *o = view(id, now);

	cr_assert_str_eq(json_string_value(json_object_get(o, "status")), status);
	json_decref(o);
}

/* The misses of a tick report as "kind@due" strings joined by spaces. */
static void expect_misses(json_t *rep, const char *want)
{
	char got[1024] = "", t[RFC3339_LEN];
	json_t *e;
	size_t i, n = 0;

	json_array_foreach(rep, i, e) {
		int64_t due = 0;

		cr_assert_eq(
		        time_parse_rfc3339(json_string_value(json_object_get(e, "due_at")), &due),
		        0);
		rfc(due, t);
		n += (size_t)snprintf(got + n, sizeof(got) - n, "%s%s:%s@%s", n ? " " : "",
		                      json_string_value(json_object_get(e, "job")),
		                      json_string_value(json_object_get(e, "kind")), t);
	}
	cr_assert_str_eq(got, want);
}

/* --- the schedule: on time, missed, late -------------------------------------------------------
 */

Test(jobs, run_inside_the_window_keeps_the_scheduled_time)
{
	int64_t id = job("oa_db", "oa", "[\"0 9 * * *\"]", "2h", NULL, "26h", at(1, 0, 0));
	json_t *rep;

	report("oa_db", "ok", at(1, 9, 40), true, false);
	/* Four minutes early is inside the clock skew; ten minutes early is not. */
	report("oa_db", "ok", at(2, 8, 56), true, false);
	report("oa_db", "ok", at(3, 8, 50), true, false);
	rep = tick(at(3, 12, 0));
	expect_misses(rep, "oa_db:run@2027-03-03T01:00:00Z");
	json_decref(rep);
	expect_status(id, at(3, 12, 0), "missed");
}

Test(jobs, missed_only_once_its_window_has_closed)
{
	int64_t id = job("erp", "erp", "[\"0 9 * * *\"]", "2h", NULL, "26h", at(1, 0, 0));
	json_t *rep;

	rep = tick(at(1, 10, 59));
	expect_misses(rep, "");
	json_decref(rep);
	expect_status(id, at(1, 10, 59), "never");
	rep = tick(at(1, 11, 0));
	expect_misses(rep, "erp:run@2027-03-01T01:00:00Z");
	json_decref(rep);
	expect_status(id, at(1, 11, 0), "missed");
	cr_assert_eq(notes("backup.missed"), 1);
}

Test(jobs, late_run_does_not_keep_its_time_but_makes_the_job_good_again)
{
	int64_t id = job("mail", "mail", "[\"0 9 * * 5\"]", "2h", NULL, "170h", at(1, 0, 0));
	json_t *rep, *o;

	/* Friday 2027-03-05 09:00: the run comes at 11:30, after its window. */
	report("mail", "ok", at(5, 11, 30), false, false);
	rep = tick(at(5, 12, 0));
	expect_misses(rep, "mail:run@2027-03-05T01:00:00Z");
	json_decref(rep);
	/* Made good since: the status follows the last run (not verified). */
	expect_status(id, at(5, 12, 0), "unverified");
	report("mail", "ok", at(5, 12, 30), true, false);
	o = view(id, at(5, 13, 0));
	cr_assert_str_eq(json_string_value(json_object_get(o, "status")), "ok");
	cr_assert(json_is_null(json_object_get(o, "missed")));
	cr_assert_str_eq(json_string_value(json_object_get(o, "last_verified_at")),
	                 "2027-03-05T04:30:00Z");
	cr_assert_str_eq(json_string_value(json_object_get(o, "next_due_at")),
	                 "2027-03-12T01:00:00Z");
	json_decref(o);
}

Test(jobs, failed_run_does_not_keep_its_time)
{
	int64_t id = job("fin", "finance", "[\"0 22 * * 2\", \"0 22 * * 5\"]", "8h", NULL, "104h",
	                 at(1, 0, 0));
	json_t *rep;

	report("fin", "ok", at(2, 23, 0), true, false);      /* Tuesday */
	report("fin", "failed", at(5, 23, 0), false, false); /* Friday */
	cr_assert_eq(notes("backup.failed"), 1);
	expect_status(id, at(6, 0, 0), "failed");
	rep = tick(at(8, 0, 0));
	expect_misses(rep, "fin:run@2027-03-05T14:00:00Z");
	json_decref(rep);
	expect_status(id, at(8, 0, 0), "missed");
}

Test(jobs, tick_is_idempotent_and_alerts_once_per_job_and_kind)
{
	int64_t a0 = audit_n();
	json_t *rep;

	(void)job("daily", "erp", "[\"0 9 * * *\"]", "2h", NULL, "26h", at(1, 0, 0));
	rep = tick(at(4, 12, 0));
	expect_misses(rep, "daily:run@2027-03-01T01:00:00Z daily:run@2027-03-02T01:00:00Z "
	                   "daily:run@2027-03-03T01:00:00Z daily:run@2027-03-04T01:00:00Z");
	json_decref(rep);
	cr_assert_eq(notes("backup.missed"), 1, "one alert for the four misses of one tick");
	cr_assert_eq(audit_n(), a0 + 2, "the job's creation and one backup.missed entry");
	/* Again at the same time, and at an earlier one: nothing new. */
	rep = tick(at(4, 12, 0));
	expect_misses(rep, "");
	json_decref(rep);
	rep = tick(at(2, 12, 0));
	expect_misses(rep, "");
	json_decref(rep);
	cr_assert_eq(notes("backup.missed"), 1);
	cr_assert_eq(audit_n(), a0 + 2);
	/* The next day's miss is a new alert. */
	rep = tick(at(5, 12, 0));
	expect_misses(rep, "daily:run@2027-03-05T01:00:00Z");
	json_decref(rep);
	cr_assert_eq(notes("backup.missed"), 2);
}

Test(jobs, scheduled_times_before_the_job_existed_are_not_judged)
{
	json_t *rep;

	(void)job("new", "erp", "[\"0 9 * * *\"]", "2h", NULL, "26h", at(3, 10, 0));
	rep = tick(at(3, 23, 0));
	expect_misses(rep, "");
	json_decref(rep);
}

/* --- off-site --------------------------------------------------------------------------------- */

Test(jobs, offsite_time_needs_an_offsite_run)
{
	int64_t id =
	        job("fin", "finance", "[\"0 22 * * 2\"]", "8h", "0 10 1 * *", "104h", at(1, 0, 0));
	json_t *rep, *o;

	/* Monday the 1st at 10:00 is an off-site time: a local copy is not enough. */
	report("fin", "ok", at(1, 10, 30), true, false);
	/* Tuesday the 2nd at 22:00 is an ordinary time: any successful run keeps it. */
	report("fin", "ok", at(2, 22, 30), true, false);
	rep = tick(at(3, 12, 0));
	expect_misses(rep, "fin:offsite@2027-03-01T02:00:00Z");
	json_decref(rep);
	o = view(id, at(3, 12, 0));
	cr_assert_str_eq(json_string_value(json_object_get(o, "status")), "missed");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(o, "missed"), "kind")),
	                 "offsite");
	json_decref(o);
	/* A later local run does not make the off-site copy good; an off-site one does. */
	report("fin", "ok", at(3, 13, 0), true, false);
	expect_status(id, at(3, 14, 0), "missed");
	report("fin", "ok", at(3, 15, 0), true, true);
	expect_status(id, at(3, 16, 0), "ok");
	cr_assert_eq(notes("backup.missed"), 1);
}

Test(jobs, offsite_run_on_time_keeps_an_offsite_time)
{
	json_t *rep;

	(void)job("mail", "mail", "[\"0 9 * * 5\"]", "2h", "0 9 * * 5", "170h", at(1, 0, 0));
	report("mail", "ok", at(5, 9, 30), true, true);
	report("mail", "ok", at(12, 9, 30), true, false);
	rep = tick(at(13, 0, 0));
	expect_misses(rep, "mail:offsite@2027-03-12T01:00:00Z");
	json_decref(rep);
}

Test(jobs, disabled_job_is_not_judged_and_counts_again_from_its_enabling)
{
	int64_t id = job("oa", "oa", "[\"0 9 * * *\"]", "2h", NULL, "26h", at(1, 0, 0));
	struct problem p = { 0 };
	json_t *in, *out = NULL, *rep;

	in = json_pack("{s:I, s:b}", "version", (json_int_t)1, "enabled", 0);
	cr_assert_eq(backup_job_update(st, &op, id, in, at(1, 1, 0), &out, &p), 0, "%s", p.detail);
	json_decref(in);
	cr_assert(json_is_null(json_object_get(out, "next_due_at")), "disabled: nothing is due");
	json_decref(out);
	cr_assert_eq(report_p("oa", "ok", at(1, 9, 0), true, false, at(1, 9, 1), &p),
	             -ERR_CONFLICT);
	cr_assert_str_eq(p.code, "job_disabled");
	rep = tick(at(5, 12, 0));
	expect_misses(rep, "");
	json_decref(rep);
	in = json_pack("{s:I, s:b}", "version", (json_int_t)2, "enabled", 1);
	cr_assert_eq(backup_job_update(st, &op, id, in, at(5, 12, 0), &out, &p), 0, "%s", p.detail);
	json_decref(in);
	json_decref(out);
	rep = tick(at(6, 12, 0));
	expect_misses(rep, "oa:run@2027-03-06T01:00:00Z");
	json_decref(rep);
}

/* --- reports -------------------------------------------------------------------------------------
 */

static void refused(json_t *in, int64_t now, int err, const char *code, const char *field)
{
	struct problem p = { 0 };
	json_t *out = NULL;
	int64_t a0 = audit_n();

	cr_assert_eq(backup_run_report(st, &op, in, now, &out, &p), err, "%s", p.detail);
	cr_assert_str_eq(p.code, code);
	if (field)
		cr_assert_str_eq(p.field, field);
	cr_assert_null(out);
	cr_assert_eq(audit_n(), a0, "a refused report changes nothing");
	json_decref(in);
}

Test(jobs, reports_are_checked)
{
	static const char sha[] =
	        "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";
	int64_t now = at(2, 12, 0);
	char t[RFC3339_LEN], *loc;
	struct problem p = { 0 };
	json_t *out = NULL, *in;

	(void)job("erp", "erp", "[\"0 9 * * *\"]", "2h", NULL, "26h", at(1, 0, 0));
#define OK_RUN()                                                                                   \
 json_pack("{s:s, s:s, s:I, s:s, s:s}", "job", "erp", "status", "ok", "size", (json_int_t)5,       \
	   "sha256", sha, "location", "nas:/erp")
	refused(json_pack("{s:s, s:s}", "job", "nosuch", "status", "failed"), now, -ERR_INVALID,
	        "invalid", "job");
	refused(json_pack("{s:s, s:s}", "job", "Bad Key", "status", "failed"), now, -ERR_INVALID,
	        "invalid", "job");
	refused(json_pack("{s:s, s:s}", "job", "erp", "status", "done"), now, -ERR_INVALID,
	        "invalid", "status");
	in = OK_RUN();
	json_object_set_new(in, "sha256", json_string("abc"));
	refused(in, now, -ERR_INVALID, "invalid", "sha256");
	in = OK_RUN();
	json_object_set_new(
	        in, "sha256",
	        json_string("zz86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
	refused(in, now, -ERR_INVALID, "invalid", "sha256");
	in = OK_RUN();
	json_object_del(in, "sha256");
	refused(in, now, -ERR_INVALID, "invalid", "sha256");
	in = OK_RUN();
	json_object_set_new(in, "size", json_integer(-1));
	refused(in, now, -ERR_INVALID, "invalid", "size");
	in = OK_RUN();
	json_object_set_new(in, "size", json_real(1.5));
	refused(in, now, -ERR_INVALID, "invalid", "size");
	in = OK_RUN();
	json_object_set_new(in, "size", json_string("5"));
	refused(in, now, -ERR_INVALID, "invalid", "size");
	in = OK_RUN();
	json_object_del(in, "location");
	refused(in, now, -ERR_INVALID, "invalid", "location");
	in = OK_RUN();
	json_object_set_new(in, "location", json_string("nas:/a\nb"));
	refused(in, now, -ERR_INVALID, "invalid", "location");
	in = OK_RUN();
	json_object_set_new(in, "nosuch", json_true());
	refused(in, now, -ERR_INVALID, "unknown_field", "nosuch");
	in = OK_RUN();
	json_object_set_new(in, "verified", json_string("yes"));
	refused(in, now, -ERR_INVALID, "invalid", "verified");
	in = json_pack("{s:s, s:s, s:b}", "job", "erp", "status", "failed", "verified", 1);
	refused(in, now, -ERR_INVALID, "invalid", "verified");
	in = OK_RUN();
	rfc(now + BACKUP_SKEW + 1, t);
	json_object_set_new(in, "finished_at", json_string(t));
	refused(in, now, -ERR_INVALID, "invalid", "finished_at");
	in = OK_RUN();
	json_object_set_new(in, "finished_at", json_string("yesterday"));
	refused(in, now, -ERR_INVALID, "invalid", "finished_at");
	in = OK_RUN();
	rfc(now - 60, t);
	json_object_set_new(in, "started_at", json_string(t));
	rfc(now - 120, t);
	json_object_set_new(in, "finished_at", json_string(t));
	refused(in, now, -ERR_INVALID, "invalid", "started_at");
	/* 500 code points of location are fine, 501 are not. */
	loc = xcalloc(501 * 3 + 1, 1);
	for (int i = 0; i < 501; i++)
		memcpy(loc + i * 3, "备", 3);
	in = OK_RUN();
	json_object_set_new(in, "location", json_string(loc));
	refused(in, now, -ERR_INVALID, "invalid", "location");
	loc[500 * 3] = '\0';
	in = OK_RUN();
	json_object_set_new(in, "location", json_string(loc));
	rfc(now + BACKUP_SKEW, t);
	json_object_set_new(in, "finished_at", json_string(t));
	cr_assert_eq(backup_run_report(st, &op, in, now, &out, &p), 0, "%s", p.detail);
	cr_assert_str_eq(json_string_value(json_object_get(out, "sha256")),
	                 "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
	cr_assert_str_eq(json_string_value(json_object_get(out, "reported_by")), "cli:test");
	cr_assert(json_is_false(json_object_get(out, "verified")));
	json_decref(out);
	json_decref(in);
	free(loc);
	cr_assert_eq(notes("backup.unverified"), 1);
	/* Not the leadership's to report. */
	in = OK_RUN();
	cr_assert_eq(backup_run_report(st, &leader, in, now, &out, &p), -ERR_FORBIDDEN);
	json_decref(in);
#undef OK_RUN
}

/* --- the data-cleanup check (BAK-4) ------------------------------------------------------------
 */

static int cleanup(const char *system, int64_t now, struct problem *p)
{
	return backup_cleanup_check(st, system, "data.system", now, NULL, p);
}

Test(jobs, cleanup_needs_a_verified_run_newer_than_max_age_of_every_job)
{
	struct problem p = { 0 };
	json_t *basis = NULL;

	(void)job("oa_db", "oa", "[\"0 9 * * *\"]", "2h", NULL, "26h", at(1, 0, 0));
	(void)job("oa_files", "oa", "[\"0 9 * * 5\"]", "2h", NULL, "170h", at(1, 0, 0));
	cr_assert_eq(cleanup("hr", at(1, 12, 0), &p), -ERR_INVALID);
	cr_assert_str_eq(p.field, "data.system");
	memset(&p, 0, sizeof(p));
	cr_assert_eq(cleanup("oa", at(1, 12, 0), &p), -ERR_CONFLICT);
	cr_assert_str_eq(p.code, "no_verified_backup");
	cr_assert_str_eq(p.field, "data.system");
	cr_assert(strstr(p.detail, "oa") && strstr(p.detail, "26h"), "%s", p.detail);
	/* An unverified and a failed run do not count. */
	report("oa_db", "ok", at(1, 9, 30), false, false);
	report("oa_files", "failed", at(1, 9, 30), false, false);
	cr_assert_eq(cleanup("oa", at(1, 12, 0), &p), -ERR_CONFLICT);
	report("oa_db", "ok", at(1, 10, 0), true, false);
	memset(&p, 0, sizeof(p));
	cr_assert_eq(cleanup("oa", at(1, 12, 0), &p), -ERR_CONFLICT, "the files job has none");
	cr_assert(strstr(p.detail, "170h"), "%s", p.detail);
	report("oa_files", "ok", at(1, 10, 0), true, false);
	cr_assert_eq(backup_cleanup_check(st, "oa", "data.system", at(1, 12, 0), &basis, &p), 0);
	cr_assert_eq(json_array_size(basis), 2);
	json_decref(basis);
	/* 26 hours after the database's verified run it is too old. */
	cr_assert_eq(cleanup("oa", at(2, 12, 0), &p), 0);
	cr_assert_eq(cleanup("oa", at(2, 12, 1), &p), -ERR_CONFLICT);
}

Test(jobs, cleanup_ignores_disabled_jobs_but_not_all_of_them)
{
	int64_t id = job("mail_a", "mail", "[\"0 9 * * 5\"]", "2h", NULL, "170h", at(1, 0, 0));
	struct problem p = { 0 };
	json_t *in, *out = NULL;

	(void)job("mail_b", "mail", "[\"0 9 28 * *\"]", "1d", NULL, "32d", at(1, 0, 0));
	report("mail_b", "ok", at(1, 10, 0), true, false);
	cr_assert_eq(cleanup("mail", at(1, 12, 0), &p), -ERR_CONFLICT);
	in = json_pack("{s:I, s:b}", "version", (json_int_t)1, "enabled", 0);
	cr_assert_eq(backup_job_update(st, &op, id, in, at(1, 12, 0), &out, &p), 0);
	json_decref(in);
	json_decref(out);
	cr_assert_eq(cleanup("mail", at(1, 12, 0), &p), 0);
	/* With every job of the system disabled nothing vouches for its data. */
	in = json_pack("{s:I, s:b}", "version", (json_int_t)1, "enabled", 0);
	cr_assert_eq(backup_job_update(st, &op, id + 1, in, at(1, 12, 0), &out, &p), 0);
	json_decref(in);
	json_decref(out);
	memset(&p, 0, sizeof(p));
	cr_assert_eq(cleanup("mail", at(1, 12, 0), &p), -ERR_CONFLICT);
	cr_assert_str_eq(p.code, "no_verified_backup");
	cr_assert(strstr(p.detail, "no enabled backup job"), "%s", p.detail);
}

/* --- administrators' jobs ----------------------------------------------------------------------
 */

static void create_refused(const char *json, int err, const char *code, const char *field)
{
	json_error_t je;
	json_t *in = json_loads(json, 0, &je), *out = NULL;
	struct problem p = { 0 };

	cr_assert_not_null(in, "%s: %s", json, je.text);
	cr_assert_eq(backup_job_create(st, &op, in, at(1, 0, 0), &out, &p), err, "%s: %s", json,
	             p.detail);
	cr_assert_str_eq(p.code, code, "%s", json);
	cr_assert_str_eq(p.field, field, "%s: %s", json, p.field);
	json_decref(in);
}

#define GOOD                                                                                            \
 "\"system\": \"erp\", \"label\": {\"zh-CN\": \"备\", \"en\": \"B\"}, \"schedule\": [\"0 9 * * *\"], " \
 "\"within\": \"2h\", \"max_age\": \"26h\""

Test(jobs, administrators_jobs_are_checked)
{
	struct problem p = { 0 };
	json_t *in, *out = NULL;

	create_refused("{\"key\": \"Bad\", " GOOD "}", -ERR_INVALID, "invalid", "key");
	create_refused("{\"key\": \"j\", " GOOD ", \"x\": 1}", -ERR_INVALID, "unknown_field", "x");
	create_refused("{\"key\": \"j\", " GOOD ", \"enabled\": \"yes\"}", -ERR_INVALID, "invalid",
	               "enabled");
	create_refused(
	        "{\"key\": \"j\", \"system\": \"ERP!\", \"label\": {\"zh-CN\": \"备\", \"en\": "
	        "\"B\"}, \"schedule\": [\"0 9 * * *\"], \"within\": \"2h\", \"max_age\": "
	        "\"26h\"}",
	        -ERR_INVALID, "invalid", "system");
	create_refused("{\"key\": \"j\", \"system\": \"erp\", \"label\": {\"zh-CN\": \"备\"}, "
	               "\"schedule\": [\"0 9 * * *\"], \"within\": \"2h\", \"max_age\": \"26h\"}",
	               -ERR_INVALID, "invalid", "label.en");
	create_refused(
	        "{\"key\": \"j\", \"system\": \"erp\", \"label\": {\"zh-CN\": \"备\", \"en\": "
	        "\"B\"}, \"schedule\": [\"0 25 * * *\"], \"within\": \"2h\", \"max_age\": "
	        "\"26h\"}",
	        -ERR_INVALID, "invalid", "schedule[0]");
	create_refused(
	        "{\"key\": \"j\", \"system\": \"erp\", \"label\": {\"zh-CN\": \"备\", \"en\": "
	        "\"B\"}, \"schedule\": [], \"within\": \"2h\", \"max_age\": \"26h\"}",
	        -ERR_INVALID, "invalid", "schedule");
	create_refused(
	        "{\"key\": \"j\", \"system\": \"erp\", \"label\": {\"zh-CN\": \"备\", \"en\": "
	        "\"B\"}, \"schedule\": [\"0 9 * * *\"], \"within\": \"8wh\", \"max_age\": "
	        "\"26h\"}",
	        -ERR_INVALID, "invalid", "within");
	create_refused(
	        "{\"key\": \"j\", \"system\": \"erp\", \"label\": {\"zh-CN\": \"备\", \"en\": "
	        "\"B\"}, \"schedule\": [\"0 9 * * *\"], \"within\": \"2h\", \"max_age\": "
	        "\"30m\"}",
	        -ERR_INVALID, "invalid", "max_age");
	create_refused("{\"key\": \"j\", " GOOD ", \"offsite\": \"monthly\"}", -ERR_INVALID,
	               "invalid", "offsite");
	in = json_loads("{\"key\": \"j\", " GOOD "}", 0, NULL);
	cr_assert_eq(backup_job_create(st, &leader, in, at(1, 0, 0), &out, &p), -ERR_FORBIDDEN);
	cr_assert_eq(backup_job_create(st, &op, in, at(1, 0, 0), &out, &p), 0, "%s", p.detail);
	json_decref(out);
	create_refused("{\"key\": \"j\", " GOOD "}", -ERR_CONFLICT, "name_taken", "key");
	json_decref(in);
}

Test(jobs, updates_carry_the_version_and_respect_the_pack)
{
	struct pack *pk = NULL;
	json_t *errors = NULL, *in, *out = NULL, *items = NULL;
	struct backup_job_filter f = { .system = "erp", .limit = 50 };
	struct problem p = { 0 };
	int64_t id, next = 0;

	cr_assert_eq(pack_load(NULL, &pk, &errors), 0);
	cr_assert_eq(backup_jobs_sync(st, pk), 0);
	cr_assert_eq(backup_job_list(st, &op, &f, at(1, 0, 0), &items, &next, &p), 0);
	cr_assert_eq(json_array_size(items), 1);
	id = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
	json_decref(items);
	in = json_pack("{s:I, s:s}", "version", (json_int_t)1, "schedule", "[\"0 8 * * *\"]");
	cr_assert_eq(backup_job_update(st, &op, id, in, at(1, 0, 0), &out, &p), -ERR_CONFLICT);
	cr_assert_str_eq(p.code, "pack_job");
	cr_assert_str_eq(p.field, "schedule");
	json_decref(in);
	in = json_pack("{s:I, s:s}", "version", (json_int_t)7, "within", "4h");
	cr_assert_eq(backup_job_update(st, &op, id, in, at(1, 0, 0), &out, &p), -ERR_CONFLICT);
	cr_assert_str_eq(p.code, "stale_version");
	json_decref(in);
	in = json_pack("{s:I, s:s, s:s}", "version", (json_int_t)1, "within", "4h", "max_age",
	               "30h");
	cr_assert_eq(backup_job_update(st, &op, id, in, at(1, 0, 0), &out, &p), 0, "%s", p.detail);
	cr_assert_str_eq(json_string_value(json_object_get(out, "within")), "4h");
	cr_assert_eq(json_integer_value(json_object_get(out, "version")), 2);
	json_decref(out);
	json_decref(in);
	/* The same pack again keeps the administrator's change. */
	cr_assert_eq(backup_jobs_sync(st, pk), 0);
	out = view(id, at(1, 0, 0));
	cr_assert_str_eq(json_string_value(json_object_get(out, "within")), "4h");
	cr_assert_eq(json_integer_value(json_object_get(out, "version")), 2);
	json_decref(out);
	in = json_pack("{s:I, s:s}", "version", (json_int_t)2, "within", "8wh");
	cr_assert_eq(backup_job_update(st, &op, id, in, at(1, 0, 0), &out, &p), -ERR_INVALID);
	cr_assert_str_eq(p.field, "within");
	json_decref(in);
	in = json_pack("{s:I, s:s}", "version", (json_int_t)2, "key", "other");
	cr_assert_eq(backup_job_update(st, &op, id, in, at(1, 0, 0), &out, &p), -ERR_INVALID);
	cr_assert_str_eq(p.code, "unknown_field");
	json_decref(in);
	pack_free(pk);
}

/* --- the pack ------------------------------------------------------------------------------------
 */

/* Loads the built-in pack plus one override file; returns the pack or NULL with *ret_errors. */
static struct pack *with_override(const char *json, json_t **ret_errors)
{
	char sub[96], *file;
	struct pack *pk = NULL;

	*ret_errors = NULL;
	(void)snprintf(sub, sizeof(sub), "%s/policy", dir);
	(void)fs_mkdir(sub, 0700);
	file = xasprintf("%s/org.json", sub);
	cr_assert_eq(fs_write_atomic(file, json, strlen(json), 0600), 0);
	(void)pack_load(sub, &pk, ret_errors);
	unlink(file);
	free(file);
	return pk;
}

static bool has_error(json_t *errors, const char *text)
{
	json_t *e;
	size_t i;

	json_array_foreach(errors, i, e) {
		if (strstr(json_string_value(e), text))
			return true;
	}
	return false;
}

static void pack_refuses(const char *json, const char *text)
{
	json_t *errors = NULL;
	struct pack *pk = with_override(json, &errors);
	char *all = json_dumps(errors, 0);

	cr_assert_null(pk, "accepted: %s", json);
	cr_assert(has_error(errors, text), "want \"%s\" among %s", text, all);
	free(all);
	json_decref(errors);
}

#define PJ(extra)                                                                                  \
 "{\"backup_jobs\": [{\"id\": \"hr_db\", \"system\": \"hr\", \"label\": {\"zh-CN\": \"人事\", "  \
 "\"en\": \"HR\"}, \"schedule\": [\"0 9 * * *\"], \"within\": \"2h\", \"max_age\": \"26h\"" extra  \
 "}]}"

Test(jobs, pack_errors_name_file_path_and_problem)
{
	pack_refuses(PJ(", \"schedul\": []"),
	             "policy/org.json: backup_jobs[0].schedul: unknown key");
	pack_refuses(
	        "{\"backup_jobs\": [{\"id\": \"hr_db\", \"system\": \"hr\", \"label\": "
	        "{\"zh-CN\": \"人事\", \"en\": \"HR\"}, \"schedule\": [\"0 9 * * *\", \"61 * * * "
	        "*\"], \"within\": \"2h\", \"max_age\": \"26h\"}]}",
	        "backup_jobs[0].schedule[1]: must be a cron schedule");
	pack_refuses("{\"backup_jobs\": [{\"id\": \"hr_db\", \"system\": \"hr\", \"label\": "
	             "{\"zh-CN\": \"人事\", \"en\": \"HR\"}, \"schedule\": \"0 9 * * *\", "
	             "\"within\": \"2h\", \"max_age\": \"26h\"}]}",
	             "backup_jobs[0].schedule: must be an array of 1-8 cron schedules");
	pack_refuses("{\"backup_jobs\": [{\"id\": \"hr_db\", \"system\": \"hr\", \"label\": "
	             "{\"zh-CN\": \"人事\", \"en\": \"HR\"}, \"schedule\": [\"0 9 * * *\"], "
	             "\"within\": \"3wd\", \"max_age\": \"26h\"}]}",
	             "backup_jobs[0].within: must be a duration on the clock");
	pack_refuses("{\"backup_jobs\": [{\"id\": \"hr_db\", \"system\": \"hr\", \"label\": "
	             "{\"zh-CN\": \"人事\", \"en\": \"HR\"}, \"schedule\": [\"0 9 * * *\"], "
	             "\"within\": \"2h\"}]}",
	             "backup_jobs[0].max_age: missing");
	pack_refuses("{\"backup_jobs\": [{\"id\": \"hr_db\", \"system\": \"HR\", \"label\": "
	             "{\"zh-CN\": \"人事\", \"en\": \"HR\"}, \"schedule\": [\"0 9 * * *\"], "
	             "\"within\": \"2h\", \"max_age\": \"26h\"}]}",
	             "backup_jobs[0].system: must be the system's id");
	pack_refuses("{\"backup_jobs\": [{\"id\": \"hr_db\", \"system\": \"hr\", \"label\": "
	             "{\"zh-CN\": \"人事\"}, \"schedule\": [\"0 9 * * *\"], "
	             "\"within\": \"2h\", \"max_age\": \"26h\"}]}",
	             "backup_jobs[0].label.en: must be a non-empty text");
	pack_refuses(PJ(", \"offsite\": \"0 9 31 2 *\""), "backup_jobs[0].offsite: must be a cron");
	pack_refuses(PJ(", \"enabled\": 1"), "backup_jobs[0].enabled: must be true or false");
	pack_refuses("{\"backup_jobs\": [{\"id\": \"erp_daily\", \"remove\": true}, {\"id\": "
	             "\"nosuch\", \"remove\": true}]}",
	             "backup_jobs[1]: removes \"nosuch\", which no earlier file defines");
}

Test(jobs, builtin_pack_has_the_seed_regime)
{
	static const struct {
		const char *id, *system, *schedule, *offsite;
	} want[] = {
		{ "erp_daily", "erp", "0 7 * * *", NULL },
		{ "oa_database_daily", "oa", "0 9 * * *", NULL },
		{ "oa_files_weekly", "oa", "0 9 * * 5", NULL },
		{ "mail_weekly", "mail", "0 9 * * 5", "0 9 * * 5" },
		{ "mail_folder_monthly", "mail", "0 9 28 * *", "0 9 28 * *" },
		{ "finance_database", "finance", "0 22 * * 2", "0 10 1 * *" },
	};
	json_t *errors = NULL;
	struct pack *pk = NULL;
	size_t i;

	cr_assert_eq(pack_load(NULL, &pk, &errors), 0);
	cr_assert_eq(pk->nbackup_jobs, ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		const struct backup_job_def *d = pack_backup_job(pk, want[i].id);
		json_t *def;

		cr_assert_not_null(d, "%s", want[i].id);
		def = d->def;
		cr_assert_str_eq(d->system, want[i].system);
		cr_assert_str_eq(
		        json_string_value(json_array_get(json_object_get(def, "schedule"), 0)),
		        want[i].schedule);
		cr_assert_eq(d->has_offsite, want[i].offsite != NULL, "%s", want[i].id);
		if (want[i].offsite)
			cr_assert_str_eq(json_string_value(json_object_get(def, "offsite")),
			                 want[i].offsite);
		cr_assert_not_null(json_string_value(json_object_get(def, "source")));
	}
	cr_assert_eq(pack_backup_job(pk, "finance_database")->nschedule, 2, "twice a week");
	cr_assert_eq(pack_reqtype(pk, "data_cleanup")->action, ACT_DATA_CLEANUP);
	pack_free(pk);
}

Test(jobs, pack_jobs_sync_by_key_retire_and_revive)
{
	json_t *errors = NULL, *items = NULL, *o;
	struct backup_job_filter f = { .limit = 50 };
	struct problem p = { 0 };
	struct pack *pk = NULL, *changed, *removed;
	int64_t a0, next = 0, id;

	cr_assert_eq(pack_load(NULL, &pk, &errors), 0);
	cr_assert_eq(backup_jobs_sync(st, pk), 0);
	a0 = audit_n();
	cr_assert_eq(backup_jobs_sync(st, pk), 0);
	cr_assert_eq(audit_n(), a0, "the same pack again changes nothing");
	cr_assert_eq(backup_job_list(st, &op, &f, at(1, 0, 0), &items, &next, &p), 0);
	cr_assert_eq(json_array_size(items), 6);
	cr_assert_eq(next, 0);
	o = json_array_get(items, 0);
	id = json_integer_value(json_object_get(o, "id"));
	cr_assert_str_eq(json_string_value(json_object_get(o, "key")), "erp_daily");
	cr_assert_str_eq(json_string_value(json_object_get(o, "source")), "pack");
	cr_assert_str_eq(json_string_value(json_object_get(o, "clause")), "S0-5 三.9.6a");
	json_decref(items);
	/* An override of the job by id changes it. */
	changed = with_override("{\"backup_jobs\": [{\"id\": \"erp_daily\", \"system\": \"erp\", "
	                        "\"label\": {\"zh-CN\": \"ERP\", \"en\": \"ERP\"}, \"schedule\": "
	                        "[\"30 6 * * *\"], \"within\": \"1h\", \"max_age\": \"25h\"}]}",
	                        &errors);
	cr_assert_not_null(changed);
	cr_assert_eq(backup_jobs_sync(st, changed), 0);
	o = view(id, at(1, 0, 0));
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(o, "schedule"), 0)),
	                 "30 6 * * *");
	cr_assert_str_eq(json_string_value(json_object_get(o, "within")), "1h");
	cr_assert_eq(json_integer_value(json_object_get(o, "version")), 2);
	json_decref(o);
	/* Removed from the pack: retired, its reports refused; back: revived. */
	removed = with_override("{\"backup_jobs\": [{\"id\": \"erp_daily\", \"remove\": true}]}",
	                        &errors);
	cr_assert_not_null(removed);
	cr_assert_eq(backup_jobs_sync(st, removed), 0);
	o = view(id, at(1, 0, 0));
	cr_assert(json_is_true(json_object_get(o, "retired")));
	cr_assert(json_is_null(json_object_get(o, "next_due_at")));
	json_decref(o);
	cr_assert_eq(report_p("erp_daily", "ok", clock_now(), true, false, clock_now(), &p),
	             -ERR_CONFLICT);
	cr_assert_str_eq(p.code, "job_disabled");
	cr_assert_eq(backup_jobs_sync(st, pk), 0);
	o = view(id, at(1, 0, 0));
	cr_assert(json_is_false(json_object_get(o, "retired")));
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(o, "schedule"), 0)),
	                 "0 7 * * *");
	json_decref(o);
	pack_free(changed);
	pack_free(removed);
	pack_free(pk);
}

Test(jobs, readers_and_writers)
{
	const struct actor assessor = { .user_id = 9002, .username = "a", .roles = ROLE_ASSESSOR };
	const struct actor employee = { .user_id = 9003, .username = "e", .roles = 0 };
	struct backup_job_filter f = { .limit = 50 };
	struct backup_run_filter rf = { .limit = 50 };
	struct problem p = { 0 };
	json_t *items = NULL;
	int64_t next = 0;

	cr_assert_eq(backup_job_list(st, &assessor, &f, at(1, 0, 0), &items, &next, &p), 0);
	json_decref(items);
	cr_assert_eq(backup_run_list(st, &leader, &rf, &items, &next, &p), 0);
	json_decref(items);
	cr_assert_eq(backup_job_list(st, &employee, &f, at(1, 0, 0), &items, &next, &p),
	             -ERR_FORBIDDEN);
	cr_assert_eq(backup_run_list(st, &employee, &rf, &items, &next, &p), -ERR_FORBIDDEN);
	rf.status = "lost";
	cr_assert_eq(backup_run_list(st, &leader, &rf, &items, &next, &p), -ERR_INVALID);
	cr_assert_str_eq(p.field, "status");
}

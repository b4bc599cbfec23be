/*
 * test_schedule.c: when the server's backup worker backs up (backup_due): at the first
 * occurrence of the schedule after the newest scheduled backup (or after the server started,
 * for a folder that never had one), once per occurrence, catching up once after a long stop;
 * and at once when someone asked for it, a second ask being refused while the first waits.
 */
#include <criterion/criterion.h>

#include "core/common.h"
#include "backup/backup.h"
#include "backup/backup_int.h"
#include "core/actor.h"
#include "core/clock.h"
#include "fixture.h"
#include "store/store.h"

static struct store *st;

static void setup(void)
{
	fixture_setup("bkdue");
	st = fx.st;
}

static int64_t at(const char *rfc3339)
{
	int64_t t;

	cr_assert_eq(time_parse_rfc3339(rfc3339, &t), 0, "%s", rfc3339);
	return t;
}

static int due(const char *now, const char *since, enum backup_trigger *tr)
{
	return backup_due(st, at(now), at(since), tr);
}

static void scheduled_backup_at(const char *when)
{
	int64_t id;

	cr_assert_eq(store_begin(st), 0);
	cr_assert_eq(bs_insert(st, "schedule", 0, at(when), &id), 0);
	cr_assert_eq(store_end(st, 0), 0);
}

TestSuite(backup_due, .init = setup, .fini = fixture_teardown);

/* The default schedule is 02:30 in the organization's time (UTC+8): 18:30 UTC. */
Test(backup_due, the_first_occurrence_after_the_start)
{
	enum backup_trigger tr = BACKUP_CLI;
	const char *start = "2026-11-22T00:00:00Z"; /* 08:00 local */

	cr_assert_eq(due("2026-11-22T01:00:00Z", start, &tr), 0);
	cr_assert_eq(due("2026-11-22T18:29:59Z", start, &tr), 0, "before 02:30 local");
	cr_assert_eq(due("2026-11-22T18:30:00Z", start, &tr), 1);
	cr_assert_eq(tr, BACKUP_SCHEDULE);
}

Test(backup_due, once_per_occurrence_and_one_catch_up_after_a_stop)
{
	enum backup_trigger tr = BACKUP_CLI;
	const char *start = "2026-11-22T00:00:00Z";

	scheduled_backup_at("2026-11-22T18:30:05Z");
	cr_assert_eq(due("2026-11-22T19:00:00Z", start, &tr), 0, "done for tonight");
	cr_assert_eq(due("2026-11-23T18:29:00Z", start, &tr), 0);
	cr_assert_eq(due("2026-11-23T18:30:00Z", start, &tr), 1, "the next night");
	/* Down for three nights: one backup when it comes back, not three. */
	cr_assert_eq(due("2026-11-26T09:00:00Z", start, &tr), 1);
	scheduled_backup_at("2026-11-26T09:00:10Z");
	cr_assert_eq(due("2026-11-26T09:05:00Z", start, &tr), 0);
}

Test(backup_due, an_asked_backup_runs_at_once_and_a_second_ask_waits)
{
	struct actor op = { .user_id = 0, .username = "cli:test", .source = "cli" };
	struct problem p = { 0 };
	enum backup_trigger tr = BACKUP_CLI;

	cr_assert_eq(backup_request(st, &op, &p), 0);
	cr_assert_eq(due("2026-11-22T01:00:00Z", "2026-11-22T00:00:00Z", &tr), 1);
	cr_assert_eq(tr, BACKUP_MANUAL);
	memset(&p, 0, sizeof(p));
	cr_assert_eq(backup_request(st, &op, &p), -ERR_CONFLICT);
	cr_assert_str_eq(p.code, "backup_running");
}

Test(backup_due, a_schedule_can_be_changed_and_is_checked)
{
	struct actor op = { .user_id = 0, .username = "cli:test", .source = "cli" };
	struct actor staff = { .user_id = 7, .username = "x", .source = "t", .roles = 0 };
	struct problem p = { 0 };
	enum backup_trigger tr = BACKUP_CLI;
	json_t *out = NULL, *in = json_pack("{s:s, s:i}", "schedule", "0 * * * *", "version", 1);

	cr_assert_eq(backup_config_put(st, &staff, in, &out, &p), -ERR_FORBIDDEN);
	cr_assert_eq(backup_config_put(st, &op, in, &out, &p), 0, "%s", p.detail);
	json_decref(out);
	cr_assert_eq(due("2026-11-22T00:59:00Z", "2026-11-22T00:00:00Z", &tr), 0);
	cr_assert_eq(due("2026-11-22T01:00:00Z", "2026-11-22T00:00:00Z", &tr), 1, "hourly");
	json_decref(in);
	in = json_pack("{s:s, s:i}", "schedule", "61 * * * *", "version", 2);
	memset(&p, 0, sizeof(p));
	cr_assert_eq(backup_config_put(st, &op, in, &out, &p), -ERR_INVALID);
	cr_assert_str_eq(p.field, "schedule");
	json_decref(in);
}

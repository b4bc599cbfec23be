/*
 * test_cron.c: schedules of recurring duties: the seed's duties parse and fall where the
 * regulations say, bad schedules are refused with the field named, and the next occurrence
 * agrees with a minute-by-minute reference on random schedules.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "core/common.h"
#include "core/calendar.h"
#include "core/cron.h"

#define CST (8 * 3600)

static int64_t local(int y, int m, int d, int hh, int mm)
{
	return (int64_t)days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 - CST;
}

static int64_t next(const char *expr, int64_t t)
{
	struct cron c;
	const char *err = NULL;

	cr_assert_eq(cron_parse(expr, &c, &err), 0, "%s: %s", expr, err);
	return cron_next(&c, t, CST);
}

Test(cron, seed_duties)
{
	int64_t sat = local(2026, 11, 21, 10, 0); /* a Saturday */

	/* Friday 09:00 backups of OA files and mail. */
	cr_assert_eq(next("0 9 * * 5", sat), local(2026, 11, 27, 9, 0));
	/* The monthly account review on the 25th. */
	cr_assert_eq(next("0 9 25 * *", sat), local(2026, 11, 25, 9, 0));
	cr_assert_eq(next("0 9 25 * *", local(2026, 11, 25, 9, 0)), local(2026, 12, 25, 9, 0));
	/* Mail-folder backup on the 28th. */
	cr_assert_eq(next("0 9 28 * *", local(2026, 12, 28, 9, 1)), local(2027, 1, 28, 9, 0));
	/* Yearly password rotation, daily inspection, every weekday. */
	cr_assert_eq(next("@yearly", sat), local(2027, 1, 1, 0, 0));
	cr_assert_eq(next("30 8 * * *", sat), local(2026, 11, 22, 8, 30));
	cr_assert_eq(next("0 9 * * 1-5", sat), local(2026, 11, 23, 9, 0));
	cr_assert_eq(next("0 9 * * 7", sat), local(2026, 11, 22, 9, 0)); /* 7 = Sunday */
	/* Strictly after: an occurrence at t itself is not the next one. */
	cr_assert_eq(next("0 10 * * *", sat), local(2026, 11, 22, 10, 0));
	/* Either day field when both are restricted (Vixie cron). */
	cr_assert_eq(next("0 0 1 * 1", sat), local(2026, 11, 23, 0, 0));
	/* Never: 30 February. */
	cr_assert_eq(next("0 0 30 2 *", sat), -1);
	/* Leap day. */
	cr_assert_eq(next("0 0 29 2 *", sat), local(2028, 2, 29, 0, 0));
}

Test(cron, bad_schedules_name_the_field)
{
	static const struct {
		const char *expr, *what;
	} bad[] = {
		{ "", "five fields" },
		{ "* * * *", "five fields" },
		{ "60 * * * *", "minute" },
		{ "* 24 * * *", "hour" },
		{ "* * 0 * *", "month (1" },
		{ "* * * 13 *", "month (1-12)" },
		{ "* * * * 8", "week" },
		{ "*/0 * * * *", "minute" },
		{ "5-1 * * * *", "minute" },
		{ "a * * * *", "minute" },
		{ "* * * * * *", "five fields" },
		{ "1,,2 * * * *", "minute" },
	};
	struct cron c;
	const char *err;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err = NULL;
		cr_assert_eq(cron_parse(bad[i].expr, &c, &err), -1, "%s", bad[i].expr);
		cr_assert(err && strstr(err, bad[i].what), "%s: %s", bad[i].expr, err);
	}
	cr_assert_eq(cron_parse(NULL, &c, &err), -1);
}

static bool ref_match(const struct cron *c, int64_t t)
{
	int64_t l = t + CST;
	int32_t day = (int32_t)(l / 86400);
	int mod = (int)(l % 86400), y, m, d, wd = (int)((day + 4) % 7);
	bool md, w, days;

	civil_from_days(day, &y, &m, &d);
	md = (c->mdays >> d) & 1u;
	w = (c->wdays >> wd) & 1u;
	days = c->mday_any || c->wday_any ? md && w : md || w;
	return ((c->minutes >> (mod % 3600 / 60)) & 1u) && ((c->hours >> (mod / 3600)) & 1u) &&
	       ((c->months >> m) & 1u) && days;
}

Test(cron, matches_minute_reference, .timeout = 120)
{
	static const char *const pool[5][6] = {
		{ "*", "0", "*/15", "5,35", "10-20/5", "59" },
		{ "*", "9", "*/6", "8-17", "0,12", "23" },
		{ "*", "1", "15", "*/10", "28-31", "1,15" },
		{ "*", "2", "*/3", "6-8", "12", "1,7" },
		{ "*", "5", "1-5", "0,6", "7", "3" },
	};
	unsigned seed = 2026;
	int round;

	for (round = 0; round < 300; round++) {
		char expr[80];
		struct cron c;
		const char *err;
		int64_t t = local(2026, 1, 1, 0, 0) + 60 * (rand_r(&seed) % (365 * 1440)) +
		            rand_r(&seed) % 60,
		        want, got;

		(void)snprintf(expr, sizeof(expr), "%s %s %s %s %s", pool[0][rand_r(&seed) % 6],
		               pool[1][rand_r(&seed) % 6], pool[2][rand_r(&seed) % 6],
		               pool[3][rand_r(&seed) % 6], pool[4][rand_r(&seed) % 6]);
		cr_assert_eq(cron_parse(expr, &c, &err), 0, "%s: %s", expr, err);
		got = cron_next(&c, t, CST);
		for (want = (t / 60 + 1) * 60; want < t + 400LL * 86400; want += 60)
			if (ref_match(&c, want))
				break;
		if (want >= t + 400LL * 86400)
			cr_assert(got == -1 || got >= t + 400LL * 86400, "%s", expr);
		else
			cr_assert_eq(got, want, "%s after %lld", expr, (long long)t);
	}
}

/*
 * test_calendar.c: working-time arithmetic (SPEC SLA) against a reference that walks minute
 * by minute, over random calendars with weekends, holidays, make-up days and split working
 * hours; and the cases the regulations name (a Friday-evening request, a holiday week with
 * its 调休 Saturday, the lunch break).
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "core/common.h"
#include "core/calendar.h"

static int64_t at(const struct calendar *c, int y, int m, int d, int hh, int mm)
{
	return calendar_midnight(c, days_from_civil(y, m, d)) + hh * 3600 + mm * 60;
}

Test(calendar, civil_days_round_trip)
{
	int32_t day;
	int y, m, d;

	cr_assert_eq(days_from_civil(1970, 1, 1), 0);
	cr_assert_eq(days_from_civil(2026, 11, 21), 20778);
	for (day = -800000; day < 800000; day += 37) {
		civil_from_days(day, &y, &m, &d);
		cr_assert_eq(days_from_civil(y, m, d), day);
	}
}

Test(calendar, weekdays_and_local_days)
{
	struct calendar c;

	calendar_default(&c);
	/* 2026-11-21 is a Saturday, 2026-11-23 a Monday. */
	cr_assert_not(calendar_is_workday(&c, days_from_civil(2026, 11, 21)));
	cr_assert(calendar_is_workday(&c, days_from_civil(2026, 11, 23)));
	/* 2026-11-22T16:30Z is Monday 00:30 in Shanghai. */
	cr_assert_eq(calendar_day(&c, at(&c, 2026, 11, 23, 0, 30)), days_from_civil(2026, 11, 23));
	cr_assert_eq(calendar_day(&c, 1795365000), days_from_civil(2026, 11, 23));
	cr_assert_eq(calendar_day_seconds(&c), 7 * 3600 + 1800);
}

Test(calendar, named_cases)
{
	struct calendar c;
	int32_t d;

	calendar_default(&c);
	/* Friday 17:00 + 1 working hour: 30 minutes on Friday, 30 on Monday → Monday 09:00. */
	cr_assert_eq(calendar_add_work(&c, at(&c, 2026, 11, 20, 17, 0), 3600),
	             at(&c, 2026, 11, 23, 9, 0));
	/* 11:30 + 1 h crosses lunch: 12:00 → 13:30 + 30 min. */
	cr_assert_eq(calendar_add_work(&c, at(&c, 2026, 11, 23, 11, 30), 3600),
	             at(&c, 2026, 11, 23, 14, 0));
	/* Ending exactly at the close of the morning: 12:00, not 13:30. */
	cr_assert_eq(calendar_add_work(&c, at(&c, 2026, 11, 23, 11, 0), 3600),
	             at(&c, 2026, 11, 23, 12, 0));
	/* A request at 22:00 on a Saturday counts from Monday 08:30. */
	cr_assert_eq(calendar_add_work(&c, at(&c, 2026, 11, 21, 22, 0), 8 * 3600),
	             at(&c, 2026, 11, 24, 9, 0));
	/* 3 working days from Wednesday 10:00 → Monday 10:00. */
	cr_assert_eq(calendar_add_workdays(&c, at(&c, 2026, 11, 25, 10, 0), 3),
	             at(&c, 2026, 11, 30, 10, 0));
	/* A holiday week (Oct 1-7) with a make-up Saturday (Oct 10): Sept 30 16:30 + 1 day. */
	for (d = days_from_civil(2026, 10, 1); d <= days_from_civil(2026, 10, 7); d++)
		calendar_add_holiday(&c, d);
	calendar_add_workday(&c, days_from_civil(2026, 10, 10));
	cr_assert_eq(calendar_add_workdays(&c, at(&c, 2026, 9, 30, 16, 30), 1),
	             at(&c, 2026, 10, 8, 16, 30));
	cr_assert_eq(calendar_add_workdays(&c, at(&c, 2026, 10, 9, 16, 30), 1),
	             at(&c, 2026, 10, 10, 16, 30));
	cr_assert_eq(
	        calendar_work_between(&c, at(&c, 2026, 9, 30, 17, 0), at(&c, 2026, 10, 8, 9, 0)),
	        30 * 60 + 30 * 60);
	/* A day both: the last word wins. */
	calendar_add_holiday(&c, days_from_civil(2026, 10, 10));
	cr_assert_not(calendar_is_workday(&c, days_from_civil(2026, 10, 10)));
	calendar_release(&c);
}

Test(calendar, no_working_time_at_all)
{
	struct calendar c;

	calendar_default(&c);
	c.weekend = 0x7f;
	cr_assert_eq(calendar_add_work(&c, 1795365000, 60), -1);
	cr_assert_eq(calendar_add_work(&c, 1795365000, 0), 1795365000);
	cr_assert_eq(calendar_work_between(&c, 1795365000, 1795365000 + 86400 * 30), 0);
}

/* --- against a minute-by-minute reference ------------------------------------------------ */

static bool ref_working_minute(const struct calendar *c, int64_t t)
{
	return calendar_is_working_time(c, t);
}

static int64_t ref_between(const struct calendar *c, int64_t a, int64_t b)
{
	int64_t n = 0, t;

	for (t = a; t < b; t += 60)
		n += ref_working_minute(c, t) ? 60 : 0;
	return n;
}

static int64_t ref_add(const struct calendar *c, int64_t t, int64_t seconds)
{
	while (seconds > 0) {
		if (ref_working_minute(c, t))
			seconds -= 60;
		t += 60;
	}
	return t;
}

static void random_calendar(struct calendar *c, unsigned *seed, int32_t first)
{
	int i, n, start;

	calendar_default(c);
	c->utc_offset = (rand_r(seed) % 27 - 12) * 3600 + (rand_r(seed) % 2) * 1800;
	c->weekend = (unsigned)rand_r(seed) & 0x7f;
	if (c->weekend == 0x7f)
		c->weekend = 1;
	n = 1 + rand_r(seed) % 3;
	start = 0;
	c->nperiods = 0;
	for (i = 0; i < n; i++) {
		int s = start + 60 * (rand_r(seed) % (6 * 60 / n));
		int e = s + 60 * (1 + rand_r(seed) % (6 * 60 / n));

		if (e > 86400)
			break;
		c->periods[c->nperiods].start = s;
		c->periods[c->nperiods].end = e;
		c->nperiods++;
		start = e + 60 * (rand_r(seed) % 60);
	}
	for (i = 0; i < 10; i++) {
		int32_t day = first + rand_r(seed) % 40;

		if (rand_r(seed) % 2)
			calendar_add_holiday(c, day);
		else
			calendar_add_workday(c, day);
	}
}

Test(calendar, matches_minute_reference, .timeout = 120)
{
	unsigned seed = 20261121;
	int32_t first = days_from_civil(2026, 9, 25);
	int round, k;

	for (round = 0; round < 60; round++) {
		struct calendar c;

		random_calendar(&c, &seed, first);
		for (k = 0; k < 40; k++) {
			int64_t a =
			        calendar_midnight(&c, first) + 60 * (rand_r(&seed) % (20 * 1440));
			int64_t b = a + 60 * (rand_r(&seed) % (10 * 1440));
			int64_t s = 60 * (rand_r(&seed) % (3 * 600));
			int64_t got = calendar_add_work(&c, a, s), want = ref_add(&c, a, s);

			cr_assert_eq(calendar_work_between(&c, a, b), ref_between(&c, a, b),
			             "round %d: between %lld %lld", round, (long long)a,
			             (long long)b);
			/* The reference lands on the minute after the last working minute; the
			 * earliest instant is that same moment. */
			cr_assert_eq(got, want, "round %d: add %lld + %lld", round, (long long)a,
			             (long long)s);
			cr_assert_eq(calendar_work_between(&c, a, got), s);
		}
		calendar_release(&c);
	}
}

Test(duration, parse)
{
	static const struct {
		const char *s;
		int64_t n;
		enum duration_unit unit;
	} ok[] = {
		{ "0m", 0, DUR_SECONDS },
		{ "30m", 1800, DUR_SECONDS },
		{ "1h", 3600, DUR_SECONDS },
		{ "24h", 86400, DUR_SECONDS },
		{ "3d", 3 * 86400, DUR_SECONDS },
		{ "1w", 7 * 86400, DUR_SECONDS },
		{ "8wh", 8 * 3600, DUR_WORK_SECONDS },
		{ "3wd", 3, DUR_WORK_DAYS },
		{ "3660wd", 3660, DUR_WORK_DAYS },
	};
	static const char *const bad[] = { "",    "h",      "1",    "1 h",
		                           "-1h", "1H",     "1hh",  "1.5h",
		                           "1y",  "3661wd", "523w", "99999999999999999h",
		                           "wd" };
	struct duration d;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		cr_assert_eq(duration_parse(ok[i].s, &d), 0, "%s", ok[i].s);
		cr_assert_eq(d.n, ok[i].n, "%s", ok[i].s);
		cr_assert_eq(d.unit, ok[i].unit, "%s", ok[i].s);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(duration_parse(bad[i], &d), -1, "'%s' must be refused", bad[i]);
	cr_assert_eq(duration_parse(NULL, &d), -1);
}

/* The deadlines of the regulations on the default calendar, across a weekend and a holiday,
 * and a pause that spans the night. */
Test(duration, add_pause_resume)
{
	struct calendar c;
	struct duration d;
	int64_t due, left;

	calendar_default(&c);
	calendar_add_holiday(&c, calendar_day(&c, at(&c, 2026, 10, 1, 12, 0)));
	/* Document loan, Friday 16:00 + 8 working hours: 1.5 h Friday, 6.5 h Monday (3.5 h in
	 * the morning, 3 h from 13:30). */
	cr_assert_eq(duration_parse("8wh", &d), 0);
	due = duration_add(&c, at(&c, 2026, 11, 20, 16, 0), &d);
	cr_assert_eq(due, at(&c, 2026, 11, 23, 16, 30));
	/* Complaint, Wednesday 30 Sep 10:00 + 3 working days: 1 Oct is a holiday. */
	cr_assert_eq(duration_parse("3wd", &d), 0);
	cr_assert_eq(duration_add(&c, at(&c, 2026, 9, 30, 10, 0), &d), at(&c, 2026, 10, 6, 10, 0));
	/* 24 h runs on the clock, weekend or not. */
	cr_assert_eq(duration_parse("24h", &d), 0);
	cr_assert(!duration_working(&d));
	cr_assert_eq(duration_add(&c, at(&c, 2026, 11, 21, 10, 0), &d),
	             at(&c, 2026, 11, 22, 10, 0));
	cr_assert_eq(duration_parse("8wh", &d), 0);
	/* Paused Friday 17:00 while due Monday 16:30: 7 h left (0.5 h Friday, 6.5 h Monday);
	 * resumed Tuesday 08:30 it ends Tuesday 17:00 — the pause moved it by exactly the
	 * working time it covered (Monday). */
	left = duration_left(&c, &d, at(&c, 2026, 11, 20, 17, 0), due);
	cr_assert_eq(left, 7 * 3600);
	cr_assert_eq(duration_resume(&c, &d, at(&c, 2026, 11, 24, 8, 30), left),
	             at(&c, 2026, 11, 24, 17, 0));
	/* A pause after the deadline keeps nothing. */
	cr_assert_eq(duration_left(&c, &d, due + 60, due), 0);
	/* On the clock: 1 h left at a pause stays 1 h after it. */
	cr_assert_eq(duration_parse("1h", &d), 0);
	left = duration_left(&c, &d, 1000, 1000 + 3600);
	cr_assert_eq(left, 3600);
	cr_assert_eq(duration_resume(&c, &d, 50000, left), 53600);
	calendar_release(&c);
}

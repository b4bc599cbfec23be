/*
 * calendar.c: working-time arithmetic over a fixed-offset time zone, working periods,
 * weekends, holidays and make-up working days. Walks day by day (a few hundred days at most
 * for any deadline of the regulations), each day by its periods.
 */
#include "core/common.h"

#include <ctype.h>

#include "core/alloc.h"
#include "core/calendar.h"
#include "core/clock.h"

#define DAY 86400

void calendar_default(struct calendar *c)
{
	memset(c, 0, sizeof(*c));
	(void)snprintf(c->tz, sizeof(c->tz), "%s", "Asia/Shanghai");
	c->utc_offset = 8 * 3600;
	c->nperiods = 2;
	c->periods[0].start = 8 * 3600 + 30 * 60;
	c->periods[0].end = 12 * 3600;
	c->periods[1].start = 13 * 3600 + 30 * 60;
	c->periods[1].end = 17 * 3600 + 30 * 60;
	c->weekend = 1u << 0 | 1u << 6;
}

void calendar_release(struct calendar *c)
{
	free(c->holidays);
	free(c->workdays);
	c->holidays = c->workdays = NULL;
	c->nholidays = c->nworkdays = 0;
}

static bool find(const int32_t *days, size_t n, int32_t day, size_t *ret_at)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (days[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	*ret_at = lo;
	return lo < n && days[lo] == day;
}

static void insert(int32_t **days, size_t *n, int32_t day)
{
	size_t at;

	if (find(*days, *n, day, &at))
		return;
	*days = xrealloc(*days, (*n + 1) * sizeof(**days));
	memmove(*days + at + 1, *days + at, (*n - at) * sizeof(**days));
	(*days)[at] = day;
	(*n)++;
}

static void remove_day(int32_t *days, size_t *n, int32_t day)
{
	size_t at;

	if (!find(days, *n, day, &at))
		return;
	memmove(days + at, days + at + 1, (*n - at - 1) * sizeof(*days));
	(*n)--;
}

void calendar_add_holiday(struct calendar *c, int32_t day)
{
	remove_day(c->workdays, &c->nworkdays, day);
	insert(&c->holidays, &c->nholidays, day);
}

void calendar_add_workday(struct calendar *c, int32_t day)
{
	remove_day(c->holidays, &c->nholidays, day);
	insert(&c->workdays, &c->nworkdays, day);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int32_t calendar_day(const struct calendar *c, int64_t t)
{
	return (int32_t)floor_div(t + c->utc_offset, DAY);
}

int64_t calendar_midnight(const struct calendar *c, int32_t day)
{
	return (int64_t)day * DAY - c->utc_offset;
}

bool calendar_is_workday(const struct calendar *c, int32_t day)
{
	size_t at;
	int wd = day_of_week(day);
	if (find(c->workdays, c->nworkdays, day, &at))
		return true;
	if (find(c->holidays, c->nholidays, day, &at))
		return false;
	return !(c->weekend & (1u << wd));
}

int64_t calendar_day_seconds(const struct calendar *c)
{
	int64_t s = 0;
	int i;

	for (i = 0; i < c->nperiods; i++)
		s += c->periods[i].end - c->periods[i].start;
	return s;
}

bool calendar_is_working_time(const struct calendar *c, int64_t t)
{
	int32_t day = calendar_day(c, t);
	int64_t tod = t - calendar_midnight(c, day);
	int i;

	if (!calendar_is_workday(c, day))
		return false;
	for (i = 0; i < c->nperiods; i++)
		if (tod >= c->periods[i].start && tod < c->periods[i].end)
			return true;
	return false;
}

int64_t calendar_add_work(const struct calendar *c, int64_t t, int64_t seconds)
{
	int32_t day = calendar_day(c, t), last = day + CAL_SEARCH_DAYS;
	int64_t from = t - calendar_midnight(c, day); /* time of day to start from */
	int i;

	if (seconds <= 0)
		return t;
	for (; day <= last; day++, from = 0) {
		if (!calendar_is_workday(c, day))
			continue;
		for (i = 0; i < c->nperiods; i++) {
			int64_t start = c->periods[i].start > from ? c->periods[i].start : from;
			int64_t avail = c->periods[i].end - start;

			if (avail <= 0)
				continue;
			if (seconds <= avail)
				return calendar_midnight(c, day) + start + seconds;
			seconds -= avail;
		}
	}
	return -1;
}

int64_t calendar_add_workdays(const struct calendar *c, int64_t t, int n)
{
	return calendar_add_work(c, t, (int64_t)n * calendar_day_seconds(c));
}

/* Working seconds of day in [lo, hi) (times of day). */
static int64_t day_work(const struct calendar *c, int32_t day, int64_t lo, int64_t hi)
{
	int64_t sum = 0, s, e;
	int i;

	if (!calendar_is_workday(c, day))
		return 0;
	for (i = 0; i < c->nperiods; i++) {
		s = c->periods[i].start > lo ? c->periods[i].start : lo;
		e = c->periods[i].end < hi ? c->periods[i].end : hi;
		if (e > s)
			sum += e - s;
	}
	return sum;
}

int64_t calendar_work_between(const struct calendar *c, int64_t a, int64_t b)
{
	int32_t da, db, day;
	int64_t sum;

	if (b <= a)
		return 0;
	da = calendar_day(c, a);
	db = calendar_day(c, b);
	if (da == db)
		return day_work(c, da, a - calendar_midnight(c, da), b - calendar_midnight(c, da));
	sum = day_work(c, da, a - calendar_midnight(c, da), DAY);
	for (day = da + 1; day < db; day++)
		sum += day_work(c, day, 0, DAY);
	return sum + day_work(c, db, 0, b - calendar_midnight(c, db));
}

int duration_parse(const char *s, struct duration *ret)
{
	static const struct {
		const char *suffix;
		int64_t scale;
		enum duration_unit unit;
	} units[] = {
		{ "m", 60, DUR_SECONDS },         { "h", 3600, DUR_SECONDS },
		{ "d", 86400, DUR_SECONDS },      { "w", 7 * 86400, DUR_SECONDS },
		{ "wh", 3600, DUR_WORK_SECONDS }, { "wd", 1, DUR_WORK_DAYS },
	};
	int64_t n = 0;
	size_t i;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	while (isdigit((unsigned char)*s)) {
		n = n * 10 + (*s++ - '0');
		if (n > 100000)
			return -1;
	}
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		if (strcmp(s, units[i].suffix) != 0)
			continue;
		ret->n = n * units[i].scale;
		ret->unit = units[i].unit;
		if (ret->unit == DUR_WORK_DAYS ? n > DURATION_MAX_DAYS
		                               : ret->n > (int64_t)DURATION_MAX_DAYS * 86400)
			return -1;
		return 0;
	}
	return -1;
}

int64_t duration_add(const struct calendar *c, int64_t t, const struct duration *d)
{
	switch (d->unit) {
	case DUR_WORK_SECONDS:
		return calendar_add_work(c, t, d->n);
	case DUR_WORK_DAYS:
		return calendar_add_workdays(c, t, (int)d->n);
	default:
		return t + d->n;
	}
}

int64_t duration_left(const struct calendar *c, const struct duration *d, int64_t t, int64_t due)
{
	if (due <= t)
		return 0;
	return duration_working(d) ? calendar_work_between(c, t, due) : due - t;
}

int64_t duration_resume(const struct calendar *c, const struct duration *d, int64_t t, int64_t left)
{
	return duration_working(d) ? calendar_add_work(c, t, left) : t + left;
}

/*
 * calendar.h: the organization's working-day calendar (SPEC SLA): its time zone, working
 * hours (e.g. 08:30-12:00 and 13:30-17:30), weekends, public holidays and 调休 make-up
 * working days, and the arithmetic every deadline of the regulations needs: "8 working
 * hours after t", "3 working days after t", "how much working time lies between a and b".
 *
 * Times are unix seconds (UTC). Days are local day numbers: days since 1970-01-01 in the
 * calendar's time zone. The zone is a fixed offset (China has kept UTC+8 without daylight
 * saving since 1991), named for display.
 */
#ifndef ISMS_CORE_CALENDAR_H
#define ISMS_CORE_CALENDAR_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/clock.h" /* days_from_civil, civil_from_days, day_of_week */

struct problem;

#define CAL_PERIODS_MAX 8
#define CAL_SEARCH_DAYS 3660 /* how far a deadline is looked for: ten years */

struct calendar {
	char tz[48];    /* "Asia/Shanghai" */
	int utc_offset; /* seconds east of UTC */
	int nperiods;
	struct {
		int start, end;     /* seconds after local midnight, start < end */
	} periods[CAL_PERIODS_MAX]; /* sorted, not overlapping */
	unsigned weekend;           /* bit d set: weekday d (0 = Sunday) is not a working day */
	int32_t *holidays;          /* sorted local days off that would be working days */
	size_t nholidays;
	int32_t *workdays; /* sorted make-up working days (调休) on a weekend */
	size_t nworkdays;
};

/* Asia/Shanghai, 08:30-12:00 and 13:30-17:30, Saturday and Sunday off, no holidays. */
void calendar_default(struct calendar *c);
void calendar_release(struct calendar *c);
/* Adds a holiday or a make-up working day (kept sorted; a day is never both). */
void calendar_add_holiday(struct calendar *c, int32_t day);
void calendar_add_workday(struct calendar *c, int32_t day);

/* The local day of t, and the unix time of a local day's midnight. */
int32_t calendar_day(const struct calendar *c, int64_t t);
int64_t calendar_midnight(const struct calendar *c, int32_t day);

bool calendar_is_workday(const struct calendar *c, int32_t day);
/* Working seconds of a full working day (e.g. 7.5 h). */
int64_t calendar_day_seconds(const struct calendar *c);
/* Is t inside working hours? */
bool calendar_is_working_time(const struct calendar *c, int64_t t);

/*
 * The earliest time T >= t with exactly `seconds` of working time in [t, T]; seconds = 0
 * gives t. A deadline ending exactly at the close of a period ends there (12:00), not at the
 * next opening. -1 when no working time exists within CAL_SEARCH_DAYS.
 */
int64_t calendar_add_work(const struct calendar *c, int64_t t, int64_t seconds);
/* n working days: n full working days of working time. */
int64_t calendar_add_workdays(const struct calendar *c, int64_t t, int n);
/* Working seconds in [a, b); 0 when b <= a. */
int64_t calendar_work_between(const struct calendar *c, int64_t a, int64_t b);

/*
 * A span of time as the regulations state it: "30m", "1h", "24h", "3d", "1w" run on the
 * clock; "8wh" (working hours) and "3wd" (working days) run only in working time.
 */
enum duration_unit { DUR_SECONDS, DUR_WORK_SECONDS, DUR_WORK_DAYS };

struct duration {
	int64_t n; /* seconds, or working days for DUR_WORK_DAYS */
	enum duration_unit unit;
};

#define DURATION_MAX_DAYS 3660

/* Parses "N" followed by m, h, d, w, wh or wd (N 0..100000, at most ten years); -1 if not. */
int duration_parse(const char *s, struct duration *ret);
static inline bool duration_working(const struct duration *d)
{
	return d->unit != DUR_SECONDS;
}
/* t + d; -1 when a working duration finds no working time. */
int64_t duration_add(const struct calendar *c, int64_t t, const struct duration *d);
/* What is left of a running span that ends at due, at time t (working seconds for a working
 * duration, else seconds; 0 once due has passed). */
int64_t duration_left(const struct calendar *c, const struct duration *d, int64_t t, int64_t due);
/* The end of a span resumed at t with `left` remaining (as duration_left gave it). */
int64_t duration_resume(const struct calendar *c, const struct duration *d, int64_t t,
                        int64_t left);

/* --- the calendar as configuration (calendar_cfg.c) ----------------------------------- */

/*
 * The calendar as JSON:
 *   {"time_zone": "Asia/Shanghai", "utc_offset": "+08:00",
 *    "working_hours": [{"start": "08:30", "end": "12:00"}, {"start": "13:30", "end": "17:30"}],
 *    "weekend": ["saturday", "sunday"], "holidays": ["2026-10-01", …],
 *    "workdays": ["2026-10-10", …], "version": N}
 */
json_t *calendar_to_json(const struct calendar *c);
/* Parses and checks a whole calendar object (400 invalid with the field's path). */
int calendar_from_json(json_t *o, struct calendar *ret, struct problem *p);
/* The stored text of a calendar (calendar_to_json's), read leniently: a day it cannot parse
 * is skipped rather than failing every later read and import. -ERR_INTERNAL, and *ret the
 * default calendar, when the text is no calendar. */
int calendar_from_stored(const char *text, struct calendar *ret);

/* An iCalendar file of public holidays and make-up days, parsed (libical). */
struct calendar_ics;

struct calendar_import {
	size_t events, holidays, workdays; /* what calendar_ics_apply added */
};

/* Parses an .ics file of at most 2 MiB; 400 invalid (field "file") when it is none.
 * *ret: free with calendar_ics_free. */
int calendar_ics_parse(const char *data, size_t len, struct calendar_ics **ret, struct problem *p);
/*
 * Adds the all-day events of the file to c: an event whose summary says 班 (补班, 上班: a
 * make-up working day) adds working days, every other event holidays, for each day from
 * DTSTART up to (not including) DTEND. 400 invalid (field "file") for a date that is no day,
 * an event that ends before it starts or spans more than a year, more than 4000 days in all,
 * or a file without events.
 */
int calendar_ics_apply(struct calendar_ics *ics, struct calendar *c, struct calendar_import *ret,
                       struct problem *p);
void calendar_ics_free(struct calendar_ics *ics);

#endif

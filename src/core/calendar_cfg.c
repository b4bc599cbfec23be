/*
 * calendar_cfg.c: the working-day calendar as configuration: JSON in and out (the setting's
 * shape, checked field by field), the stored text read back, and the public holidays and
 * make-up days of iCalendar files (libical). Touches no database: the row that holds the
 * calendar is src/store/calendar_store.c, the audited update and import src/sla/calendar.c.
 */
#include "core/common.h"

#include <jansson.h>
#include <libical/ical.h>

#include "core/alloc.h"
#include "core/calendar.h"
#include "core/clock.h"

#define DAYS_MAX    4000 /* holidays + make-up days kept: ten years and more */
#define ICS_MAX     (2u << 20)
#define IMPORT_SPAN 366 /* days one event may cover */

static const char *const weekdays[] = { "sunday",   "monday", "tuesday", "wednesday",
	                                "thursday", "friday", "saturday" };

#define HHMM_LEN 16
#define YMD_LEN  24

static void hhmm(int s, char out[HHMM_LEN])
{
	(void)snprintf(out, HHMM_LEN, "%02d:%02d", (s / 3600) % 100, (s / 60) % 60);
}

static void ymd(int32_t day, char out[YMD_LEN])
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	(void)snprintf(out, YMD_LEN, "%04d-%02d-%02d", y, m, d);
}

static json_t *days_json(const int32_t *days, size_t n)
{
	json_t *a = json_array();
	char s[YMD_LEN];
	size_t i;

	for (i = 0; i < n; i++) {
		ymd(days[i], s);
		json_array_append_new(a, json_string(s));
	}
	return a;
}

json_t *calendar_to_json(const struct calendar *c)
{
	json_t *hours = json_array(), *weekend = json_array();
	char a[HHMM_LEN], b[HHMM_LEN], off[HHMM_LEN];
	int i, m = c->utc_offset < 0 ? -c->utc_offset : c->utc_offset;

	for (i = 0; i < c->nperiods; i++) {
		hhmm(c->periods[i].start, a);
		hhmm(c->periods[i].end, b);
		json_array_append_new(hours, json_pack("{s:s, s:s}", "start", a, "end", b));
	}
	for (i = 0; i < 7; i++)
		if (c->weekend & (1u << i))
			json_array_append_new(weekend, json_string(weekdays[i]));
	(void)snprintf(off, sizeof(off), "%c%02d:%02d", c->utc_offset < 0 ? '-' : '+',
	               (m / 3600) % 100, (m / 60) % 60);
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "time_zone", c->tz, "utc_offset", off,
	                 "working_hours", hours, "weekend", weekend, "holidays",
	                 days_json(c->holidays, c->nholidays), "workdays",
	                 days_json(c->workdays, c->nworkdays));
}

static int parse_hhmm(const char *s, int *ret)
{
	int h, m;

	if (!s || strlen(s) != 5 || s[2] != ':' || strspn(s, "0123456789:") != 5)
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || m > 59 || (h == 24 && m != 0))
		return -1;
	*ret = h * 3600 + m * 60;
	return 0;
}

static int bad(struct problem *p, const char *field, const char *msg)
{
	return problem_setf(p, ERR_INVALID, "invalid", field, "%s", msg);
}

/* The stored calendar is read leniently (calendar_load): a day it cannot parse is skipped
 * rather than failing every later read and import. */
static int days_from(json_t *arr, const char *key, struct calendar *c, bool holiday, bool stored,
                     struct problem *p)
{
	json_t *e;
	size_t i;
	int32_t day;

	if (!json_is_array(arr) || json_array_size(arr) > DAYS_MAX)
		return bad(p, key, "an array of dates YYYY-MM-DD");
	json_array_foreach(arr, i, e) {
		if (date_parse(json_string_value(e), &day) < 0) {
			if (stored)
				continue;
			return problem_setf(p, ERR_INVALID, "invalid",
			                    problem_path(p, "%s[%zu]", key, i),
			                    "a date YYYY-MM-DD from 1900 to 9999");
		}
		if (holiday)
			calendar_add_holiday(c, day);
		else
			calendar_add_workday(c, day);
	}
	return 0;
}

static int from_json(json_t *o, struct calendar *c, bool stored, struct problem *p)
{
	static const char *const allowed[] = { "time_zone", "utc_offset", "working_hours",
		                               "weekend",   "holidays",   "workdays",
		                               "version",   NULL };
	const char *tz = json_string_value(json_object_get(o, "time_zone"));
	const char *off = json_string_value(json_object_get(o, "utc_offset"));
	json_t *hours = json_object_get(o, "working_hours"), *e, *v;
	const char *key;
	size_t i, k;
	int r;

	calendar_default(c);
	if (!json_is_object(o))
		return bad(p, NULL, "send the calendar as an object");
	json_object_foreach(o, key, v) {
		for (k = 0; allowed[k]; k++)
			if (strcmp(key, allowed[k]) == 0)
				break;
		if (!allowed[k])
			return problem_setf(p, ERR_INVALID, "unknown_field",
			                    problem_path(p, "%.60s", key),
			                    "not a calendar setting");
	}
	if (tz) {
		if (!*tz || strlen(tz) >= sizeof(c->tz) ||
		    strspn(tz, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		               "abcdefghijklmnopqrstuvwxyz"
		               "0123456789/_+-") != strlen(tz))
			return bad(p, "time_zone", "an IANA name such as Asia/Shanghai");
		(void)snprintf(c->tz, sizeof(c->tz), "%s", tz);
	}
	if (off) {
		int s;

		if ((off[0] != '+' && off[0] != '-') || parse_hhmm(off + 1, &s) < 0 ||
		    s > 14 * 3600)
			return bad(p, "utc_offset", "an offset such as +08:00");
		c->utc_offset = off[0] == '-' ? -s : s;
	}
	if (hours) {
		if (!json_is_array(hours) || json_array_size(hours) == 0 ||
		    json_array_size(hours) > CAL_PERIODS_MAX)
			return bad(p, "working_hours", "1 to 8 periods {\"start\", \"end\"}");
		c->nperiods = 0;
		json_array_foreach(hours, i, e) {
			int s, t;

			if (parse_hhmm(json_string_value(json_object_get(e, "start")), &s) < 0 ||
			    parse_hhmm(json_string_value(json_object_get(e, "end")), &t) < 0 ||
			    s >= t || (i > 0 && s < c->periods[i - 1].end))
				return problem_setf(p, ERR_INVALID, "invalid",
				                    problem_path(p, "working_hours[%zu]", i),
				                    "HH:MM start before end, periods in order, not "
				                    "overlapping");
			c->periods[i].start = s;
			c->periods[i].end = t;
			c->nperiods++;
		}
	}
	if ((v = json_object_get(o, "weekend"))) {
		if (!json_is_array(v))
			return bad(p, "weekend", "an array of weekday names");
		c->weekend = 0;
		json_array_foreach(v, i, e) {
			const char *s = json_string_value(e);

			for (k = 0; k < 7; k++)
				if (s && strcmp(s, weekdays[k]) == 0)
					break;
			if (k == 7)
				return problem_setf(p, ERR_INVALID, "invalid",
				                    problem_path(p, "weekend[%zu]", i),
				                    "sunday, monday, … saturday");
			c->weekend |= 1u << k;
		}
		if (c->weekend == 0x7f)
			return bad(p, "weekend",
			           "at least one day of the week must be a working day");
	}
	if ((v = json_object_get(o, "holidays")) &&
	    (r = days_from(v, "holidays", c, true, stored, p)) < 0)
		return r;
	if ((v = json_object_get(o, "workdays")) &&
	    (r = days_from(v, "workdays", c, false, stored, p)) < 0)
		return r;
	return 0;
}

int calendar_from_json(json_t *o, struct calendar *c, struct problem *p)
{
	return from_json(o, c, false, p);
}

int calendar_from_stored(const char *text, struct calendar *ret)
{
	json_t *o = json_loads(text, 0, NULL);

	calendar_default(ret);
	if (!o || from_json(o, ret, true, NULL) < 0) {
		json_decref(o);
		calendar_release(ret);
		calendar_default(ret);
		return -ERR_INTERNAL;
	}
	json_decref(o);
	return 0;
}

/* --- iCalendar import ------------------------------------------------------------------- */

/* The day of an iCalendar date, or -1 when it is no day from 1900 to 9999 (libical takes
 * "99999999" as year 9999, month 99, day 99). */
static int ical_day(struct icaltimetype t, int32_t *ret)
{
	char s[YMD_LEN];

	if (t.year < 1900 || t.year > 9999 || t.month < 1 || t.month > 12 || t.day < 1 ||
	    t.day > 31)
		return -1;
	(void)snprintf(s, sizeof(s), "%04d-%02d-%02d", t.year, t.month, t.day);
	return date_parse(s, ret) < 0 ? -1 : 0;
}

struct calendar_ics {
	icalcomponent *root;
};

int calendar_ics_parse(const char *data, size_t len, struct calendar_ics **ret, struct problem *p)
{
	icalcomponent *root = NULL;
	char *text = NULL;

	if (len == 0 || len > ICS_MAX || memchr(data, '\0', len))
		return bad(p, "file", "send an iCalendar (.ics) file of at most 2 MiB as the body");
	text = xstrndup(data, len);
	root = icalparser_parse_string(text);
	free(text);
	if (!root || (icalcomponent_isa(root) != ICAL_VCALENDAR_COMPONENT &&
	              icalcomponent_isa(root) != ICAL_XROOT_COMPONENT)) {
		if (root)
			icalcomponent_free(root);
		return bad(p, "file", "not an iCalendar file (BEGIN:VCALENDAR … END:VCALENDAR)");
	}
	*ret = xcalloc(1, sizeof(**ret));
	(*ret)->root = root;
	return 0;
}

void calendar_ics_free(struct calendar_ics *ics)
{
	if (!ics)
		return;
	icalcomponent_free(ics->root);
	free(ics);
}

int calendar_ics_apply(struct calendar_ics *ics, struct calendar *c, struct calendar_import *ret,
                       struct problem *p)
{
	icalcomponent *root = ics->root, *ev;
	size_t nh = 0, nw = 0, nev = 0;
	int r = 0;

	for (ev = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT); r == 0 && ev;
	     ev = icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT)) {
		struct icaltimetype s = icalcomponent_get_dtstart(ev);
		struct icaltimetype e = icalcomponent_get_dtend(ev);
		const char *summary = icalcomponent_get_summary(ev);
		bool work = summary && strstr(summary, "班");
		int32_t day, first, end;

		if (icaltime_is_null_time(s))
			continue;
		if (ical_day(s, &first) < 0 ||
		    (!icaltime_is_null_time(e) && ical_day(e, &end) < 0)) {
			r = problem_setf(
			        p, ERR_INVALID, "invalid", "file",
			        "the event \"%.40s\" has a date that is no day from 1900 to "
			        "9999",
			        summary ? summary : "");
			break;
		}
		if (icaltime_is_null_time(e))
			end = first + 1;
		else if (!s.is_date && !e.is_date)
			end++; /* a timed event marks the days it touches */
		if (!icaltime_is_null_time(e) && icaltime_compare(e, s) < 0) {
			r = problem_setf(p, ERR_INVALID, "invalid", "file",
			                 "the event \"%.40s\" ends before it starts",
			                 summary ? summary : "");
			break;
		}
		if (end <= first)
			end = first + 1;
		if (end - first > IMPORT_SPAN) {
			r = problem_setf(p, ERR_INVALID, "invalid", "file",
			                 "an event \"%.40s\" spans more than a year",
			                 summary ? summary : "");
			break;
		}
		nev++;
		for (day = first; day < end; day++) {
			if (work) {
				calendar_add_workday(c, day);
				nw++;
			} else {
				calendar_add_holiday(c, day);
				nh++;
			}
		}
		if (c->nholidays + c->nworkdays > DAYS_MAX)
			r = bad(p, "file", "too many days: at most 4000 holidays and make-up days");
	}
	if (r == 0 && nev == 0)
		r = bad(p, "file", "the file has no events (VEVENT) with a start date");
	if (r == 0) {
		ret->events = nev;
		ret->holidays = nh;
		ret->workdays = nw;
	}
	return r;
}

/*
 * calendar_cfg.c: the working-day calendar as a setting: JSON in and out, the audited update,
 * and the import of public holidays and make-up days from iCalendar files (libical).
 */
#include "core/common.h"

#include <libical/ical.h>

#include "audit/audit.h"
#include "core/actor.h"
#include "core/alloc.h"
#include "sla/sla_int.h"
#include "store/store.h"

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

int calendar_load(struct store *st, struct calendar *ret, int64_t *ret_version)
{
	char *text = NULL;
	json_t *o;
	int64_t version = 0;
	int r = calendar_store_get(st, &text, &version);

	calendar_default(ret);
	if (ret_version)
		*ret_version = version;
	if (r < 0 || !text)
		return r;
	o = json_loads(text, 0, NULL);
	free(text);
	if (!o || from_json(o, ret, true, NULL) < 0) {
		json_decref(o);
		calendar_release(ret);
		calendar_default(ret);
		return -ERR_INTERNAL;
	}
	json_decref(o);
	return 0;
}

/* Writes c as the new calendar when the stored version is still `version`, with its audit
 * entry; inside the caller's transaction. */
static int save(struct store *st, const struct actor *a, const struct calendar *before,
                const struct calendar *c, int64_t version, const char *action, json_t *detail)
{
	json_t *jb = calendar_to_json(before), *ja = calendar_to_json(c);
	char *text = json_dumps(ja, JSON_COMPACT);
	int r = calendar_store_put(st, text, version);

	if (r == 0)
		r = audit_append(st, &(struct audit_event){ .actor = a,
		                                            .action = action,
		                                            .object = "calendar",
		                                            .before = jb,
		                                            .after = ja,
		                                            .detail = detail });
	free(text);
	json_decref(jb);
	json_decref(ja);
	return r;
}

static bool may_edit(const struct actor *a)
{
	return a->user_id == 0 || (a->roles & ROLE_SYS_ADMIN);
}

int calendar_update(struct store *st, const struct actor *a, json_t *in, struct problem *p)
{
	struct calendar before, c;
	json_t *version = json_object_get(in, "version");
	int64_t stored = 0;
	int r;

	if (!may_edit(a))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	if (!json_is_integer(version))
		return bad(p, "version", "send the version you read, to detect concurrent edits");
	r = calendar_from_json(in, &c, p);
	if (r < 0) {
		calendar_release(&c);
		return r;
	}
	r = store_begin(st);
	if (r < 0) {
		calendar_release(&c);
		return r;
	}
	r = calendar_load(st, &before, &stored);
	if (r == 0 && stored != json_integer_value(version))
		r = problem_setf(p, ERR_CONFLICT, "stale_version", "version",
		                 "the calendar changed since you read it (now version %" PRId64 ")",
		                 stored);
	if (r == 0) {
		r = save(st, a, &before, &c, stored, "calendar.update", NULL);
		if (r == -ERR_CONFLICT)
			r = problem_set(p, ERR_CONFLICT, "stale_version", "version");
	}
	r = store_end(st, r);
	calendar_release(&before);
	calendar_release(&c);
	return r;
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

int calendar_import_ics(struct store *st, const struct actor *a, const char *data, size_t len,
                        bool dry_run, json_t **ret_report, struct problem *p)
{
	struct calendar before, c;
	icalcomponent *root = NULL, *ev;
	char *text = NULL;
	int64_t version = 0;
	size_t nh = 0, nw = 0, nev = 0;
	int r;

	if (!may_edit(a))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
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
	r = store_begin(st);
	if (r < 0) {
		icalcomponent_free(root);
		return r;
	}
	r = calendar_load(st, &before, &version);
	(void)calendar_load(st, &c, NULL);
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
				calendar_add_workday(&c, day);
				nw++;
			} else {
				calendar_add_holiday(&c, day);
				nh++;
			}
		}
		if (c.nholidays + c.nworkdays > DAYS_MAX)
			r = bad(p, "file", "too many days: at most 4000 holidays and make-up days");
	}
	icalcomponent_free(root);
	if (r == 0 && nev == 0)
		r = bad(p, "file", "the file has no events (VEVENT) with a start date");
	if (r == 0 && !dry_run) {
		json_t *detail = json_pack("{s:I, s:I, s:I}", "events", (json_int_t)nev, "holidays",
		                           (json_int_t)nh, "workdays", (json_int_t)nw);

		r = save(st, a, &before, &c, version, "calendar.import", detail);
		json_decref(detail);
		if (r == -ERR_CONFLICT)
			r = problem_set(p, ERR_CONFLICT, "stale_version", NULL);
	}
	if (dry_run)
		store_rollback(st); /* a dry run reads only */
	else
		r = store_end(st, r);
	if (r == 0)
		*ret_report = json_pack("{s:I, s:I, s:I, s:b, s:o}", "events", (json_int_t)nev,
		                        "holidays", (json_int_t)nh, "workdays", (json_int_t)nw,
		                        "dry_run", dry_run, "calendar", calendar_to_json(&c));
	calendar_release(&before);
	calendar_release(&c);
	return r;
}

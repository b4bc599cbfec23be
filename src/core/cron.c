/*
 * cron.c: parsing five-field schedules and finding their next occurrence, day by day and then
 * within the day.
 */
#include "core/common.h"

#include "core/calendar.h"
#include "core/cron.h"

#define MAX_DAYS 3660 /* ten years */

/* Parses one field into bits lo..hi; Sunday may be written 7 in the day-of-week field. */
static int field(const char *s, size_t n, int lo, int hi, uint64_t *ret, bool *ret_any)
{
	uint64_t bits = 0;
	size_t i = 0;

	*ret_any = n == 1 && s[0] == '*';
	while (i < n) {
		long a = lo, b = hi, step = 1;
		char *end;
		char part[32];
		size_t len = 0;

		while (i + len < n && s[i + len] != ',')
			len++;
		if (len == 0 || len >= sizeof(part))
			return -1;
		memcpy(part, s + i, len);
		part[len] = '\0';
		i += len + (i + len < n);
		if (part[0] == '*') {
			end = part + 1;
		} else {
			if (part[0] < '0' || part[0] > '9')
				return -1;
			a = b = strtol(part, &end, 10);
			if (*end == '-') {
				if (end[1] < '0' || end[1] > '9')
					return -1;
				b = strtol(end + 1, &end, 10);
			}
		}
		if (*end == '/') {
			if (end[1] < '1' || end[1] > '9')
				return -1;
			step = strtol(end + 1, &end, 10);
			if (part[0] != '*' && a == b)
				b = hi; /* "5/15": from 5 on */
		}
		if (*end != '\0' || step < 1 || a < lo || b > hi + (hi == 6) || a > b)
			return -1;
		for (; a <= b; a += step)
			bits |= 1ull << (a == 7 && hi == 6 ? 0 : a);
	}
	if (bits == 0)
		return -1;
	*ret = bits;
	return 0;
}

int cron_parse(const char *s, struct cron *c, const char **ret_error)
{
	static const struct {
		const char *name, *expr;
	} macros[] = {
		{ "@daily", "0 0 * * *" },  { "@midnight", "0 0 * * *" },
		{ "@weekly", "0 0 * * 0" }, { "@monthly", "0 0 1 * *" },
		{ "@yearly", "0 0 1 1 *" }, { "@annually", "0 0 1 1 *" },
		{ "@hourly", "0 * * * *" },
	};
	static const struct {
		int lo, hi;
		const char *what;
	} spec[5] = { { 0, 59, "minute (0-59)" },
		      { 0, 23, "hour (0-23)" },
		      { 1, 31, "day of month (1-31)" },
		      { 1, 12, "month (1-12)" },
		      { 0, 6, "day of week (0-7, 0 and 7 = Sunday)" } };
	uint64_t bits[5];
	bool any[5];
	const char *p;
	size_t i, n;
	int f;

	memset(c, 0, sizeof(*c));
	for (i = 0; s && i < ARRAY_SIZE(macros); i++)
		if (strcmp(s, macros[i].name) == 0)
			s = macros[i].expr;
	if (!s || strlen(s) > 200) {
		*ret_error = "a schedule of five fields: minute hour day month weekday";
		return -1;
	}
	for (p = s, f = 0; f < 5; f++) {
		while (*p == ' ' || *p == '\t')
			p++;
		n = strcspn(p, " \t");
		if (n == 0 || field(p, n, spec[f].lo, spec[f].hi, &bits[f], &any[f]) < 0) {
			*ret_error =
			        n == 0 ? "a schedule of five fields: minute hour day month weekday"
			               : spec[f].what;
			return -1;
		}
		p += n;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p) {
		*ret_error = "a schedule of five fields: minute hour day month weekday";
		return -1;
	}
	c->minutes = bits[0];
	c->hours = (uint32_t)bits[1];
	c->mdays = (uint32_t)bits[2];
	c->months = (uint16_t)bits[3];
	c->wdays = (uint8_t)bits[4];
	c->mday_any = any[2];
	c->wday_any = any[4];
	return 0;
}

static bool day_matches(const struct cron *c, int32_t day)
{
	int y, m, d, wd = day_of_week(day);
	bool md, w;

	civil_from_days(day, &y, &m, &d);
	if (!(c->months & (1u << m)))
		return false;
	md = (c->mdays >> d) & 1u;
	w = (c->wdays >> wd) & 1u;
	if (c->mday_any || c->wday_any)
		return md && w;
	return md || w;
}

int64_t cron_next(const struct cron *c, int64_t t, int utc_offset)
{
	int64_t local = t + utc_offset + 60; /* strictly after t, on a whole minute */
	int32_t day = (int32_t)((local - ((local % 86400) + 86400) % 86400) / 86400), last;
	int from = (int)(((local % 86400) + 86400) % 86400) / 60, h, m;

	for (last = day + MAX_DAYS; day <= last; day++, from = 0) {
		if (!day_matches(c, day))
			continue;
		for (h = from / 60; h < 24; h++) {
			if (!((c->hours >> h) & 1u))
				continue;
			for (m = h == from / 60 ? from % 60 : 0; m < 60; m++)
				if ((c->minutes >> m) & 1u)
					return (int64_t)day * 86400 + h * 3600 + m * 60 -
					       utc_offset;
		}
	}
	return -1;
}

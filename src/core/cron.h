/*
 * cron.h: schedules of recurring duties (SPEC SLA: "daily machine-room inspection", "every
 * Friday at 09:00", "the 25th of each month", "once a year") in the five-field cron format
 * (minute hour day-of-month month day-of-week) with *, lists, ranges and steps, and the
 * @daily / @weekly / @monthly / @yearly shorthands; evaluated in a fixed-offset local time.
 * As in Vixie cron, when both day fields are restricted a day matching either one counts.
 */
#ifndef ISMS_CORE_CRON_H
#define ISMS_CORE_CRON_H

#include <stdbool.h>
#include <stdint.h>

struct cron {
	uint64_t minutes; /* bit m: minute m (0-59) */
	uint32_t hours;   /* bit h (0-23) */
	uint32_t mdays;   /* bit d (1-31) */
	uint16_t months;  /* bit m (1-12) */
	uint8_t wdays;    /* bit d (0 = Sunday … 6) */
	bool mday_any, wday_any;
};

/* Parses s; -1 (with *ret_error a static explanation) when it is not a schedule. */
int cron_parse(const char *s, struct cron *ret, const char **ret_error);
/* The first occurrence strictly after t (unix seconds), in local time utc_offset seconds east
 * of UTC; -1 when none within ten years (e.g. "0 0 30 2 *"). */
int64_t cron_next(const struct cron *c, int64_t t, int utc_offset);

#endif

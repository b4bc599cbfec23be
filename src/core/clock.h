/*
 * clock.h: the one source of "now" in isms, and RFC 3339 helpers.
 *
 * Tests see tomorrow today: when the environment variable ISMS_CLOCK_OFFSET_FILE names a
 * file, its content (a signed number of seconds) is added to the real time on every call.
 * The file is re-read at most once a second. Operators never set it.
 */
#ifndef ISMS_CORE_CLOCK_H
#define ISMS_CORE_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Unix time in seconds (with the test offset, if any). */
int64_t clock_now(void);
/* Unix time in milliseconds (with the test offset, if any). */
int64_t clock_now_ms(void);
/* Monotonic milliseconds, for rate limiting and timers; never offset. */
int64_t clock_mono_ms(void);
int64_t clock_mono_us(void);

/* Local day numbers (days since 1970-01-01) and civil dates, proleptic Gregorian. */
int32_t days_from_civil(int y, int m, int d);
void civil_from_days(int32_t day, int *y, int *m, int *d);
/* 0 = Sunday … 6 = Saturday. */
int day_of_week(int32_t day);
/* "YYYY-MM-DD", a real calendar day from 1900 to 9999; -ERR_INVALID otherwise. */
int date_parse(const char *s, int32_t *ret_day);

#define RFC3339_LEN 21 /* "2026-11-21T08:00:00Z" + NUL */
/* Formats t as "YYYY-MM-DDTHH:MM:SSZ" into out (at least RFC3339_LEN bytes). */
void time_format_rfc3339(int64_t t, char *out);
#define LOCAL_TIME_LEN 24 /* "2026-11-21 16:00" + NUL, with room */
/* Formats t as "YYYY-MM-DD HH:MM" in local time utc_offset seconds east of UTC (messages). */
void time_format_local(int64_t t, int utc_offset, char out[LOCAL_TIME_LEN]);
/* Parses "YYYY-MM-DDTHH:MM:SS" with "Z" or "+hh:mm" / "-hh:mm" (fraction ignored).
 * Returns 0 and *ret_t, or -ERR_INVALID. */
int time_parse_rfc3339(const char *s, int64_t *ret_t);

#endif

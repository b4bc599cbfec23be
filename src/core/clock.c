/*
 * clock.c: wall and monotonic time, the test offset hook and RFC 3339 conversion.
 */
#include "core/common.h"
#include "core/clock.h"
#include "core/util.h"

#include <pthread.h>
#include <time.h>

static pthread_mutex_t offset_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t offset_value;
static int64_t offset_read_at = INT64_MIN;

static const char *offset_path;
static pthread_once_t offset_once = PTHREAD_ONCE_INIT;

static void offset_init(void)
{
	offset_path = getenv("ISMS_CLOCK_OFFSET_FILE");
}

static int64_t offset_seconds(int64_t real)
{
	const char *path;
	char text[64];
	int64_t v;
	FILE *f;
	size_t n;

	pthread_once(&offset_once, offset_init);
	path = offset_path;
	if (!path || !*path)
		return 0;
	pthread_mutex_lock(&offset_lock);
	if (real != offset_read_at) {
		offset_read_at = real;
		offset_value = 0;
		f = fopen(path, "re");
		if (f) {
			n = fread(text, 1, sizeof(text) - 1, f);
			text[n] = '\0';
			while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
				text[--n] = '\0';
			if (parse_int64(text, &v) == 0)
				offset_value = v;
			fclose(f);
		}
	}
	v = offset_value;
	pthread_mutex_unlock(&offset_lock);
	return v;
}

int64_t clock_now(void)
{
	int64_t real = (int64_t)time(NULL);

	return real + offset_seconds(real);
}

int64_t clock_now_ms(void)
{
	struct timespec ts;
	int64_t real;

	clock_gettime(CLOCK_REALTIME, &ts);
	real = (int64_t)ts.tv_sec;
	return (real + offset_seconds(real)) * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t clock_mono_ms(void)
{
	return clock_mono_us() / 1000;
}

/* Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian
 * calendar, and lock-free, unlike gmtime_r, whose time-zone conversion takes a process-wide
 * lock on every call. */
int32_t days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void civil_from_days(int32_t z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int day_of_week(int32_t day)
{
	int wd = (int)(((int64_t)day + 4) % 7); /* 1970-01-01 was a Thursday */

	return wd < 0 ? wd + 7 : wd;
}

int date_parse(const char *s, int32_t *ret_day)
{
	int y, m, d, y2, m2, d2, i;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -ERR_INVALID;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -ERR_INVALID;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
		return -ERR_INVALID;
	*ret_day = days_from_civil(y, m, d);
	civil_from_days(*ret_day, &y2, &m2, &d2);
	return y2 == y && m2 == m && d2 == d ? 0 : -ERR_INVALID; /* 2026-02-30 is no day */
}

static char *put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

void time_format_rfc3339(int64_t t, char *out)
{
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	unsigned secs = (unsigned)(t - days * 86400);
	char *p = out;
	int y = -1, m = 1, d = 1;

	if (days > -1000000 && days < 3000000)
		civil_from_days((int32_t)days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		y = 1970;
		m = d = 1;
		secs = 0;
	}
	p = put2(p, (unsigned)(y / 100));
	p = put2(p, (unsigned)(y % 100));
	*p++ = '-';
	p = put2(p, (unsigned)m);
	*p++ = '-';
	p = put2(p, (unsigned)d);
	*p++ = 'T';
	p = put2(p, secs / 3600);
	*p++ = ':';
	p = put2(p, secs / 60 % 60);
	*p++ = ':';
	p = put2(p, secs % 60);
	*p++ = 'Z';
	*p = '\0';
}

static int digits(const char *s, int n, int *ret)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -ERR_INVALID;
		v = v * 10 + (s[i] - '0');
	}
	*ret = v;
	return 0;
}

int time_parse_rfc3339(const char *s, int64_t *ret_t)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int Y, M, D, h, m, sec, oh = 0, om = 0, sign = 0;
	struct tm tm = { 0 };
	const char *p;
	int64_t t;

	if (!s || strlen(s) < 20)
		return -ERR_INVALID;
	if (digits(s, 4, &Y) || s[4] != '-' || digits(s + 5, 2, &M) || s[7] != '-' ||
	    digits(s + 8, 2, &D) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &m) || s[16] != ':' ||
	    digits(s + 17, 2, &sec))
		return -ERR_INVALID;
	if (M < 1 || M > 12 || D < 1 || D > mdays[M - 1] || h > 23 || m > 59 || sec > 60)
		return -ERR_INVALID;
	p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -ERR_INVALID;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 ||
		    om > 59)
			return -ERR_INVALID;
		p += 6;
	} else {
		return -ERR_INVALID;
	}
	if (*p)
		return -ERR_INVALID;
	tm.tm_year = Y - 1900;
	tm.tm_mon = M - 1;
	tm.tm_mday = D;
	tm.tm_hour = h;
	tm.tm_min = m;
	tm.tm_sec = sec == 60 ? 59 : sec;
	t = (int64_t)timegm(&tm);
	if (tm.tm_mday != D) /* 2026-02-30 normalises to March */
		return -ERR_INVALID;
	t -= sign * (oh * 3600 + om * 60);
	*ret_t = t;
	return 0;
}

void time_format_local(int64_t t, int utc_offset, char out[LOCAL_TIME_LEN])
{
	int64_t local = t + utc_offset, sec;
	int32_t day = (int32_t)((local >= 0 ? local : local - 86399) / 86400);
	int y, m, d;

	sec = local - (int64_t)day * 86400;
	civil_from_days(day, &y, &m, &d);
	(void)snprintf(out, LOCAL_TIME_LEN, "%04d-%02d-%02d %02d:%02d", y % 10000, m, d,
	               (int)(sec / 3600), (int)(sec / 60 % 60));
}

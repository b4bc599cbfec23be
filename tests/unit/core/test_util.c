/*
 * test_util.c: core helpers: checked integer parsing, RFC 3339, UTF-8 and NFKC, buffers.
 */
#include <criterion/criterion.h>
#include <time.h>

#include "core/common.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/util.h"

Test(util, parse_int64_rejects_junk_and_overflow)
{
	int64_t v;

	cr_assert_eq(parse_int64("42", &v), 0);
	cr_assert_eq(v, 42);
	cr_assert_eq(parse_int64("-7", &v), 0);
	cr_assert_eq(v, -7);
	cr_assert_lt(parse_int64("", &v), 0);
	cr_assert_lt(parse_int64("12a", &v), 0);
	cr_assert_lt(parse_int64(" 1", &v), 0);
	cr_assert_lt(parse_int64("99999999999999999999", &v), 0);
}

Test(util, parse_uint_bounds)
{
	uint64_t v;

	cr_assert_eq(parse_uint("500", 500, &v), 0);
	cr_assert_lt(parse_uint("501", 500, &v), 0);
	cr_assert_lt(parse_uint("-1", 500, &v), 0);
	cr_assert_lt(parse_uint("+1", 500, &v), 0);
}

Test(time, rfc3339_round_trip_and_offsets)
{
	char out[RFC3339_LEN];
	int64_t t;

	cr_assert_eq(time_parse_rfc3339("2026-11-21T08:00:00Z", &t), 0);
	time_format_rfc3339(t, out);
	cr_assert_str_eq(out, "2026-11-21T08:00:00Z");
	cr_assert_eq(time_parse_rfc3339("2026-11-21T16:00:00+08:00", &t), 0);
	time_format_rfc3339(t, out);
	cr_assert_str_eq(out, "2026-11-21T08:00:00Z");
	cr_assert_eq(time_parse_rfc3339("2024-02-29T00:00:00.123Z", &t), 0);
}

Test(time, rfc3339_refuses_impossible_dates)
{
	int64_t t;

	cr_assert_lt(time_parse_rfc3339("2026-02-30T00:00:00Z", &t), 0);
	cr_assert_lt(time_parse_rfc3339("2026-13-01T00:00:00Z", &t), 0);
	cr_assert_lt(time_parse_rfc3339("2026-11-21T24:00:00Z", &t), 0);
	cr_assert_lt(time_parse_rfc3339("2026-11-21T08:00:00", &t), 0);
	cr_assert_lt(time_parse_rfc3339("2026-11-21T08:00:00Zjunk", &t), 0);
	cr_assert_lt(time_parse_rfc3339("", &t), 0);
}

Test(utf8, validity_and_code_points)
{
	cr_assert(utf8_valid("密码", strlen("密码"), false));
	cr_assert_not(utf8_valid("\xc3\x28", 2, false));
	cr_assert_not(utf8_valid("a\x01", 2, false));
	cr_assert_not(utf8_valid("a\nb", 3, false));
	cr_assert(utf8_valid("a\nb", 3, true));
	cr_assert_eq(utf8_count("密码密码"), 4);
	cr_assert_eq(strlen("密码密码"), 12);
}

Test(utf8, nfkc_folds_full_width)
{
	char *n = utf8_nfkc("Ｐａｓｓ１");

	cr_assert_str_eq(n, "Pass1");
	free(n);
}

Test(buf, grows_and_refuses_past_max)
{
	struct buf b = BUF_INIT(8);

	cr_assert_eq(buf_adds(&b, "1234"), 0);
	cr_assert_eq(buf_addf(&b, "%d", 5678), 0);
	cr_assert_str_eq(b.data, "12345678");
	cr_assert_eq(buf_addch(&b, 'x'), -ERR_TOO_LARGE);
	cr_assert_eq(b.len, 8);
	buf_release(&b);
	cr_assert_eq(b.len, 0);
	cr_assert_str_eq(b.data, "");
}

Test(codec, base64_and_hex_round_trip)
{
	unsigned char in[5] = { 0, 1, 2, 0xfe, 0xff }, out[8];
	char hex[11], *b = b64_encode(in, sizeof(in));

	cr_assert_eq(b64_decode(b, strlen(b), out, sizeof(out)), 5);
	cr_assert_eq(memcmp(in, out, 5), 0);
	hex_encode(in, 5, hex);
	cr_assert_str_eq(hex, "000102feff");
	cr_assert_eq(hex_decode(hex, out, 5), 0);
	cr_assert_lt(hex_decode("0g", out, 1), 0);
	cr_assert_lt(b64_decode("!!!!", 4, out, sizeof(out)), 0);
	free(b);
}

/* The formatter is our own (gmtime_r takes a lock): compare it with timegm over a wide range. */
Test(time, rfc3339_format_matches_libc)
{
	static const int64_t fixed[] = { 0,
		                         59,
		                         86399,
		                         86400,
		                         951782400 /* 2000-02-29 */,
		                         951868800,
		                         4107542399 /* 2100-02-28T23:59:59 */,
		                         253402300799 /* 9999-12-31T23:59:59 */ };
	char ours[RFC3339_LEN], libc[64];
	int64_t t, back;
	size_t i;

	for (i = 0; i < 200000 + ARRAY_SIZE(fixed); i++) {
		time_t tt;
		struct tm tm;

		t = i < ARRAY_SIZE(fixed) ? fixed[i] : (int64_t)(i * 1234567ull % 253402300799ull);
		tt = (time_t)t;
		cr_assert_not_null(gmtime_r(&tt, &tm));
		strftime(libc, sizeof(libc), "%Y-%m-%dT%H:%M:%SZ", &tm);
		time_format_rfc3339(t, ours);
		cr_assert_str_eq(ours, libc, "t=%lld", (long long)t);
		cr_assert_eq(time_parse_rfc3339(ours, &back), 0);
		cr_assert_eq(back, t);
	}
}

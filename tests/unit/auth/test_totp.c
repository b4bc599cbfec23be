/*
 * test_totp.c: TOTP known answers (RFC 6238 Appendix B, RFC 4226 Appendix D), replay and
 * window rules (SECURITY.md A12, "TOTP, recovery codes and the failure ceiling"), the
 * enrolment URI and QR code, and recovery codes.
 */
#include "core/common.h"
#include "crypto/totp.h"

#include <criterion/criterion.h>
#include <qrencode.h>
#include <sodium.h>

static const unsigned char seed20[] = "12345678901234567890";
static const unsigned char seed32[] = "12345678901234567890123456789012";
static const unsigned char seed64[] =
        "1234567890123456789012345678901234567890123456789012345678901234";

static void check_totp(const unsigned char *seed, size_t n, int bits, int64_t t, unsigned digits,
                       const char *want)
{
	char got[16] = { 0 };

	cr_assert_eq(totp_generate(seed, n, t, digits, bits, got), 0, "t=%" PRId64, t);
	cr_assert_str_eq(got, want, "SHA-%d at t=%" PRId64, bits == 160 ? 1 : bits, t);
}

Test(totp, rfc6238_appendix_b_all_18_cells)
{
	static const int64_t times[] = { 59,         1111111109, 1111111111,
		                         1234567890, 2000000000, 20000000000 };
	static const char *const sha1[] = { "94287082", "07081804", "14050471",
		                            "89005924", "69279037", "65353130" };
	static const char *const sha256[] = { "46119246", "68084774", "67062674",
		                              "91819424", "90698825", "77737706" };
	static const char *const sha512[] = { "90693936", "25091201", "99943326",
		                              "93441116", "38618901", "47863826" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(times); i++) {
		check_totp(seed20, 20, 160, times[i], 8, sha1[i]);
		check_totp(seed32, 32, 256, times[i], 8, sha256[i]);
		check_totp(seed64, 64, 512, times[i], 8, sha512[i]);
	}
}

Test(totp, rfc4226_appendix_d_hotp_values)
{
	static const char *const want[] = { "755224", "287082", "359152", "969429", "338314",
		                            "254676", "287922", "162583", "399871", "520489" };
	size_t c;

	for (c = 0; c < ARRAY_SIZE(want); c++)
		check_totp(seed20, 20, 160, (int64_t)c * TOTP_STEP, 6, want[c]);
}

Test(totp, generate_refuses_bad_parameters)
{
	char out[16];

	cr_assert_eq(totp_generate(seed20, 20, 59, 6, 128, out), -ERR_INVALID);
	cr_assert_eq(totp_generate(seed20, 20, 59, 5, 160, out), -ERR_INVALID);
	cr_assert_eq(totp_generate(seed20, 20, 59, 9, 160, out), -ERR_INVALID);
	cr_assert_eq(totp_generate(seed20, 20, -1, 6, 160, out), -ERR_INVALID);
	cr_assert_eq(totp_generate(seed20, 0, 59, 6, 160, out), -ERR_INVALID);
}

static void code_at(const unsigned char *secret, int64_t t, char out[TOTP_DIGITS + 1])
{
	cr_assert_eq(totp_generate(secret, TOTP_SECRET_LEN, t, TOTP_DIGITS, 160, out), 0);
}

Test(totp, A12_code_accepted_once)
{
	int64_t now = 1111111111, c = -1, c2 = -1;
	char code[TOTP_DIGITS + 1];

	code_at(seed20, now, code);
	cr_assert_eq(totp_validate(seed20, 20, now, -1, code, &c), 0);
	cr_assert_eq(c, now / TOTP_STEP);
	/* The same code again, even within its own 30 s step, is a replay. */
	cr_assert_eq(totp_validate(seed20, 20, now + 1, c, code, &c2), -ERR_CONFLICT);
	cr_assert_eq(c2, -1, "ret_counter is written only on success");
	/* An older code inside the window is a replay too once a newer step was used. */
	code_at(seed20, now - TOTP_STEP, code);
	cr_assert_eq(totp_validate(seed20, 20, now, c, code, &c2), -ERR_CONFLICT);
	/* The next step is accepted. */
	code_at(seed20, now + TOTP_STEP, code);
	cr_assert_eq(totp_validate(seed20, 20, now + TOTP_STEP, c, code, &c2), 0);
	cr_assert_eq(c2, c + 1);
}

Test(totp, A12_window_is_one_step)
{
	int64_t now = 1234567890, c = -1;
	char code[TOTP_DIGITS + 1];

	code_at(seed20, now - TOTP_STEP, code);
	cr_assert_eq(totp_validate(seed20, 20, now, -1, code, &c), 0);
	cr_assert_eq(c, now / TOTP_STEP - 1);
	code_at(seed20, now + TOTP_STEP, code);
	cr_assert_eq(totp_validate(seed20, 20, now, -1, code, &c), 0);
	cr_assert_eq(c, now / TOTP_STEP + 1);
	code_at(seed20, now - 2 * TOTP_STEP, code);
	cr_assert_eq(totp_validate(seed20, 20, now, -1, code, &c), -ERR_INVALID,
	             "a code two steps old is refused");
	code_at(seed20, now + 2 * TOTP_STEP, code);
	cr_assert_eq(totp_validate(seed20, 20, now, -1, code, &c), -ERR_INVALID);
}

Test(totp, A12_malformed_codes_refused)
{
	static const char *const bad[] = { "12345",  "1234567", "12a456",       "",       " 12345",
		                           "12345 ", "+12345",  "１２３４５６", "123\n45" };
	int64_t c = -1;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		cr_assert_eq(totp_validate(seed20, 20, 59, -1, bad[i], &c), -ERR_INVALID, "'%s'",
		             bad[i]);
	cr_assert_eq(totp_validate(seed20, 20, 59, -1, NULL, &c), -ERR_INVALID);
	cr_assert_eq(totp_validate(seed20, 20, -5, -1, "123456", &c), -ERR_INVALID);
	cr_assert_eq(c, -1);
}

/* Property: for random secrets and times, a code is accepted iff it is the code of a step
 * within ±1, the matched counter is that step, and it is never accepted twice. */
Test(totp, A12_property_window_and_replay)
{
	unsigned char secret[TOTP_SECRET_LEN];
	char want[3][TOTP_DIGITS + 1], code[TOTP_DIGITS + 1];
	int trial, off, k;

	for (trial = 0; trial < 300; trial++) {
		int64_t now = (int64_t)randombytes_uniform(2000000000) + 100;
		int64_t step = now / TOTP_STEP;

		totp_secret_new(secret);
		for (k = 0; k < 3; k++)
			code_at(secret, (step + k - 1) * TOTP_STEP, want[k]);
		for (off = -3; off <= 3; off++) {
			int64_t c = -1, c2 = -1, expect = -1;
			int r;

			code_at(secret, now + off * TOTP_STEP, code);
			for (k = 0; k < 3 && expect < 0; k++) {
				if (STREQ(code, want[k]))
					expect = step + k - 1;
			}
			r = totp_validate(secret, sizeof(secret), now, -1, code, &c);
			if (expect < 0) {
				cr_assert_eq(r, -ERR_INVALID, "offset %d accepted", off);
				continue;
			}
			cr_assert_eq(r, 0, "offset %d refused", off);
			cr_assert_eq(c, expect);
			cr_assert_eq(totp_validate(secret, sizeof(secret), now, c, code, &c2),
			             -ERR_CONFLICT);
		}
	}
}

Test(totp, secrets_are_random_160_bits)
{
	unsigned char a[TOTP_SECRET_LEN], b[TOTP_SECRET_LEN];

	cr_assert_eq(TOTP_SECRET_LEN * 8, 160);
	totp_secret_new(a);
	totp_secret_new(b);
	cr_assert_neq(memcmp(a, b, sizeof(a)), 0);
}

Test(totp, base32_rfc4648_without_padding)
{
	static const struct {
		const char *in, *out;
	} v[] = {
		{ "f", "MY" },
		{ "fo", "MZXQ" },
		{ "foo", "MZXW6" },
		{ "foob", "MZXW6YQ" },
		{ "fooba", "MZXW6YTB" },
		{ "foobar", "MZXW6YTBOI" },
		{ "", "" },
	};
	size_t i;
	char *s;

	s = totp_secret_base32(seed20, 20);
	cr_assert_str_eq(s, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	free(s);
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		s = totp_secret_base32((const unsigned char *)v[i].in, strlen(v[i].in));
		cr_assert_str_eq(s, v[i].out);
		free(s);
	}
}

Test(totp, uri_carries_secret_issuer_and_parameters)
{
	char *u = totp_uri("isms", "zhangwei", seed20, 20);

	cr_assert(strncmp(u, "otpauth://totp/isms:zhangwei?", 29) == 0, "%s", u);
	cr_assert(strstr(u, "secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), "%s", u);
	cr_assert(strstr(u, "issuer=isms"), "%s", u);
	cr_assert(strstr(u, "algorithm=SHA1"), "%s", u);
	cr_assert(strstr(u, "digits=6"), "%s", u);
	cr_assert(strstr(u, "period=30"), "%s", u);
	cr_assert_null(strchr(u, ' '), "no spaces: %s", u);
	free(u);
}

Test(totp, uri_percent_encodes_utf8_issuer_and_account)
{
	char *u = totp_uri("isms 信息中心", "张伟@example.cn", seed20, 20);

	cr_assert_str_eq(u,
	                 "otpauth://totp/isms%20%E4%BF%A1%E6%81%AF%E4%B8%AD%E5%BF%83:"
	                 "%E5%BC%A0%E4%BC%9F%40example.cn?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	                 "&issuer=isms%20%E4%BF%A1%E6%81%AF%E4%B8%AD%E5%BF%83&algorithm=SHA1"
	                 "&digits=6&period=30");
	free(u);
	u = totp_uri("a&b=c?d:e/f", "x", seed20, 20);
	cr_assert(strstr(u, "issuer=a%26b%3Dc%3Fd%3Ae%2Ff&"), "%s", u);
	free(u);
}

/* Draws the SVG's path back into a module grid and compares it with libqrencode's. */
Test(totp, qr_svg_is_a_compact_path_of_the_symbol)
{
	const char *uri = "otpauth://totp/isms:zhangwei?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	                  "&issuer=isms&algorithm=SHA1&digits=6&period=30";
	char *svg = totp_qr_svg(uri), want_vb[64];
	QRcode *qr = QRcode_encodeString(uri, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	const char *d, *p;
	unsigned char *grid;
	int w, size, x, y, run, back, paths = 0, n;

	cr_assert_not_null(svg);
	cr_assert_not_null(qr);
	w = qr->width;
	size = w + 8;
	cr_assert(strncmp(svg, "<svg", 4) == 0, "%s", svg);
	cr_assert(strstr(svg, "shape-rendering=\"crispEdges\""));
	cr_assert(strstr(svg, "</svg>"));
	snprintf(want_vb, sizeof(want_vb), "viewBox=\"0 0 %d %d\"", size, size);
	cr_assert(strstr(svg, want_vb), "%s not in svg", want_vb);
	for (p = svg; (p = strstr(p, "<path")); p++)
		paths++;
	cr_assert_eq(paths, 1);
	d = strstr(svg, " d=\"");
	cr_assert_not_null(d);
	d += 4;
	grid = xcalloc((size_t)size * (size_t)size, 1);
	while (*d == 'M') {
		cr_assert_eq(sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &run, &back, &n), 4);
		cr_assert_eq(run, back);
		cr_assert(x >= 4 && y >= 4 && x + run <= size - 4 && y < size - 4,
		          "module outside the 4-module quiet zone");
		while (run-- > 0)
			grid[y * size + x++] = 1;
		d += n;
	}
	cr_assert_eq(*d, '"');
	for (y = 0; y < w; y++)
		for (x = 0; x < w; x++)
			cr_assert_eq(grid[(y + 4) * size + x + 4], qr->data[y * w + x] & 1,
			             "module %d,%d", x, y);
	free(grid);
	QRcode_free(qr);
	free(svg);
}

static bool code_format_ok(const char *c)
{
	static const int dash[] = { 5, 11, 17, 23 };
	size_t i, k = 0;

	if (strlen(c) != RECOVERY_CODE_LEN)
		return false;
	for (i = 0; i < RECOVERY_CODE_LEN; i++) {
		if (k < ARRAY_SIZE(dash) && (int)i == dash[k]) {
			if (c[i] != '-')
				return false;
			k++;
		} else if (!strchr("abcdefghijklmnopqrstuvwxyz234567", c[i])) {
			return false;
		}
	}
	return true;
}

Test(totp, A12_recovery_codes_are_distinct_and_well_formed)
{
	char codes[RECOVERY_CODES][RECOVERY_CODE_LEN + 1];
	int i, j;

	recovery_codes_new(codes);
	for (i = 0; i < RECOVERY_CODES; i++) {
		cr_assert(code_format_ok(codes[i]), "'%s'", codes[i]);
		for (j = 0; j < i; j++)
			cr_assert_str_neq(codes[i], codes[j]);
	}
}

/* 26 characters of 5 bits: every position takes all 32 values over 1000 codes, so all
 * 130 bits vary (a missing value has probability about 1e-11). */
Test(totp, A12_recovery_codes_carry_130_bits)
{
	char codes[RECOVERY_CODES][RECOVERY_CODE_LEN + 1];
	uint32_t seen[RECOVERY_CODE_LEN] = { 0 };
	static const char alpha[] = "abcdefghijklmnopqrstuvwxyz234567";
	int batch, i, pos, chars = 0;

	for (batch = 0; batch < 100; batch++) {
		recovery_codes_new(codes);
		for (i = 0; i < RECOVERY_CODES; i++)
			for (pos = 0; pos < RECOVERY_CODE_LEN; pos++)
				if (codes[i][pos] != '-')
					seen[pos] |= 1u << (strchr(alpha, codes[i][pos]) - alpha);
	}
	for (pos = 0; pos < RECOVERY_CODE_LEN; pos++) {
		if (seen[pos] == 0)
			continue; /* a dash */
		cr_assert_eq(seen[pos], 0xffffffffu, "position %d", pos);
		chars++;
	}
	cr_assert_eq(chars * 5, 130);
}

Test(totp, A12_recovery_code_hash_is_stable_under_typing)
{
	char codes[RECOVERY_CODES][RECOVERY_CODE_LEN + 1], typed[80];
	unsigned char h1[32], h2[32], h3[32];
	size_t i, o = 0;

	recovery_codes_new(codes);
	cr_assert_eq(recovery_code_hash(codes[0], h1), 0);
	/* Upper case, no dashes, spaces in odd places. */
	for (i = 0; codes[0][i]; i++) {
		char c = codes[0][i];

		if (c == '-')
			continue;
		typed[o++] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
		if (i % 7 == 3)
			typed[o++] = ' ';
	}
	typed[o] = '\0';
	cr_assert_eq(recovery_code_hash(typed, h2), 0, "'%s'", typed);
	cr_assert_eq(memcmp(h1, h2, 32), 0);
	cr_assert_eq(recovery_code_hash(codes[1], h3), 0);
	cr_assert_neq(memcmp(h1, h3, 32), 0);
}

Test(totp, A12_malformed_recovery_codes_refused)
{
	static const char *const bad[] = {
		"",
		"abcde-abcde-abcde-abcde-abcde",   /* 25 characters */
		"abcde-abcde-abcde-abcde-abcdefg", /* 27 */
		"abcde-abcde-abcde-abcde-abcde0",  /* 0 is not base32 */
		"abcde-abcde-abcde-abcde-abcde1",
		"abcde-abcde-abcde-abcde-abcde8",
		"abcde_abcde-abcde-abcde-abcdef",
		"abcde-abcde-abcde-abcde-abcdeé",
		"abcde----------------------------------------------------abcde-abcde-abcde-abcdef",
	};
	unsigned char h[32];
	size_t i;

	cr_assert_eq(recovery_code_hash("abcde-abcde-abcde-abcde-abcdef", h), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		cr_assert_eq(recovery_code_hash(bad[i], h), -ERR_INVALID, "'%s'", bad[i]);
	cr_assert_eq(recovery_code_hash(NULL, h), -ERR_INVALID);
}

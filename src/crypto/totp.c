/*
 * totp.c: TOTP (RFC 6238) through liboath, the otpauth:// enrolment URI and its QR code
 * (libqrencode, drawn as SVG), and recovery codes (SPEC ID-5).
 *
 * Replay protection is the caller's last accepted counter: totp_validate() refuses a code
 * whose step is not newer, so a code works once even inside its own 30 s step.
 */
#include "core/common.h"
#include "crypto/totp.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <qrencode.h>
#include <sodium.h>

#define QR_QUIET      4  /* modules of white around the symbol (ISO/IEC 18004) */
#define RECOVERY_RAW  26 /* base32 characters of a recovery code: 130 bits */
#define RECOVERY_TYPE 64 /* longest typed recovery code considered */

static const char b32_lower[] = "abcdefghijklmnopqrstuvwxyz234567";

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static int oath_init_rc;

static void oath_setup(void)
{
	oath_init_rc = oath_init();
}

int totp_library_init(void)
{
	pthread_once(&oath_once, oath_setup);
	return oath_init_rc == OATH_OK ? 0 : -ERR_INTERNAL;
}

void totp_secret_new(unsigned char secret[TOTP_SECRET_LEN])
{
	randombytes_buf(secret, TOTP_SECRET_LEN);
}

char *totp_secret_base32(const unsigned char *secret, size_t n)
{
	char *out = NULL, *eq;
	size_t len = 0;
	int r;

	if (n == 0)
		return xstrdup("");
	r = totp_library_init();
	if (r == 0)
		r = oath_base32_encode((const char *)secret, n, &out, &len);
	if (r != 0 || !out) {
		/* liboath fails here only when out of memory: die as xmalloc would. */
		log_error("cannot encode base32: out of memory");
		abort();
	}
	eq = strchr(out, '=');
	if (eq) {
		sodium_memzero(eq, strlen(eq));
		*eq = '\0';
	}
	return out;
}

/* RFC 3986 percent-encoding of everything but the unreserved characters; caller frees. */
static char *pct_encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s), i, o = 0;
	char *out = xcalloc(n + 1, 3);

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return out;
}

char *totp_uri(const char *issuer, const char *account, const unsigned char *secret, size_t n)
{
	char *b32, *iss, *acc, *uri;

	b32 = totp_secret_base32(secret, n);
	iss = pct_encode(issuer ? issuer : "");
	acc = pct_encode(account ? account : "");
	if (*iss)
		uri = xasprintf("otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1"
		                "&digits=%d&period=%d",
		                iss, acc, b32, iss, TOTP_DIGITS, TOTP_STEP);
	else
		uri = xasprintf("otpauth://totp/%s?secret=%s&algorithm=SHA1&digits=%d&period=%d",
		                acc, b32, TOTP_DIGITS, TOTP_STEP);
	sodium_memzero(b32, strlen(b32));
	free(b32);
	free(iss);
	free(acc);
	return uri;
}

char *totp_qr_svg(const char *text)
{
	struct buf b = BUF_INIT(BUF_NOMAX);
	QRcode *qr;
	int x, y, w, size, run;

	if (!text)
		return NULL;
	qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return NULL;
	w = qr->width;
	size = w + 2 * QR_QUIET;
	(void)buf_addf(&b,
	               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	               "viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
	               "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
	               size * 4, size * 4, size, size, size, size);
	for (y = 0; y < w; y++) {
		for (x = 0; x<w; x += run> 0 ? run : 1) {
			run = 0;
			while (x + run < w && (qr->data[y * w + x + run] & 1))
				run++;
			if (run > 0)
				(void)buf_addf(&b, "M%d %dh%dv1h-%dz", x + QR_QUIET, y + QR_QUIET,
				               run, run);
		}
	}
	(void)buf_adds(&b, "\"/></svg>\n");
	QRcode_free(qr);
	return buf_detach(&b, NULL);
}

int totp_generate(const unsigned char *secret, size_t n, int64_t t, unsigned digits, int hash_bits,
                  char *out)
{
	int flags, r;

	switch (hash_bits) {
	case 160:
		flags = 0;
		break;
	case 256:
		flags = OATH_TOTP_HMAC_SHA256;
		break;
	case 512:
		flags = OATH_TOTP_HMAC_SHA512;
		break;
	default:
		return -ERR_INVALID;
	}
	if (!secret || n == 0 || t < 0 || digits < 6 || digits > 8)
		return -ERR_INVALID;
	r = totp_library_init();
	if (r < 0)
		return r;
	r = oath_totp_generate2((const char *)secret, n, (time_t)t, TOTP_STEP,
	                        OATH_TOTP_DEFAULT_START_TIME, digits, flags, out);
	return r == OATH_OK ? 0 : -ERR_INTERNAL;
}

int totp_validate(const unsigned char *secret, size_t n, int64_t now, int64_t last_counter,
                  const char *code, int64_t *ret_counter)
{
	uint64_t counter = 0;
	int pos = 0, r, i;

	if (!code || strnlen(code, TOTP_DIGITS + 1) != TOTP_DIGITS)
		return -ERR_INVALID;
	for (i = 0; i < TOTP_DIGITS; i++) {
		if (code[i] < '0' || code[i] > '9')
			return -ERR_INVALID;
	}
	if (!secret || n == 0 || now < 0)
		return -ERR_INVALID;
	r = totp_library_init();
	if (r < 0)
		return r;
	r = oath_totp_validate4((const char *)secret, n, (time_t)now, TOTP_STEP,
	                        OATH_TOTP_DEFAULT_START_TIME, TOTP_WINDOW, &pos, &counter, 0, code);
	if (r == OATH_INVALID_OTP)
		return -ERR_INVALID;
	if (r < 0 || counter > INT64_MAX)
		return -ERR_INTERNAL;
	if ((int64_t)counter <= last_counter)
		return -ERR_CONFLICT;
	*ret_counter = (int64_t)counter;
	return 0;
}

/* One code: 17 random bytes, of which the first 130 bits become 26 base32 characters. */
static void recovery_code_new(char out[RECOVERY_CODE_LEN + 1])
{
	static const int groups[] = { 5, 5, 5, 5, 6 };
	unsigned char raw[17];
	size_t g, i, k = 0, o = 0;

	randombytes_buf(raw, sizeof(raw));
	for (g = 0; g < ARRAY_SIZE(groups); g++) {
		if (g > 0)
			out[o++] = '-';
		for (i = 0; i < (size_t)groups[g]; i++, k++) {
			size_t bit = k * 5;
			unsigned v =
			        ((unsigned)raw[bit / 8] << 8 | raw[bit / 8 + 1]) >> (11 - bit % 8);

			out[o++] = b32_lower[v & 31];
		}
	}
	out[o] = '\0';
	sodium_memzero(raw, sizeof(raw));
}

void recovery_codes_new(char codes[RECOVERY_CODES][RECOVERY_CODE_LEN + 1])
{
	int i, j;

	for (i = 0; i < RECOVERY_CODES; i++) {
		recovery_code_new(codes[i]);
		for (j = 0; j < i; j++) {
			if (STREQ(codes[i], codes[j])) {
				i--; /* 2^-130: never, but cheap to be sure */
				break;
			}
		}
	}
}

int recovery_code_hash(const char *typed, unsigned char out[32])
{
	char norm[RECOVERY_RAW];
	size_t i, n = 0;
	int r = -ERR_INVALID;

	if (!typed || strnlen(typed, RECOVERY_TYPE + 1) > RECOVERY_TYPE)
		return -ERR_INVALID;
	for (i = 0; typed[i]; i++) {
		char c = typed[i];

		if (c == ' ' || c == '-')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!strchr(b32_lower, c) || n == sizeof(norm))
			goto out;
		norm[n++] = c;
	}
	if (n != sizeof(norm))
		goto out;
	sha256(norm, n, out);
	r = 0;
out:
	sodium_memzero(norm, sizeof(norm));
	return r;
}

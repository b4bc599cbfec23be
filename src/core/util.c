/*
 * util.c: the helpers of util.h. Crypto primitives come from libsodium, Unicode
 * normalisation from libunistring: nothing here is hand-rolled cryptography.
 */
#include "core/common.h"
#include "core/util.h"

#include <sodium.h>
#include <uninorm.h>
#include <unistr.h>

int parse_int64(const char *s, int64_t *ret_v)
{
	char *end = NULL;
	long long v;

	if (!s || !*s || (*s != '-' && (*s < '0' || *s > '9')))
		return -ERR_INVALID;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || !end || *end || end == s)
		return -ERR_INVALID;
	*ret_v = (int64_t)v;
	return 0;
}

int parse_uint(const char *s, uint64_t max, uint64_t *ret_v)
{
	char *end = NULL;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return -ERR_INVALID;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || !end || *end || v > max)
		return -ERR_INVALID;
	*ret_v = (uint64_t)v;
	return 0;
}

void hex_encode(const void *p, size_t n, char *out)
{
	sodium_bin2hex(out, n * 2 + 1, p, n);
}

int hex_decode(const char *s, void *out, size_t n)
{
	size_t got = 0;
	const char *end = NULL;

	if (strlen(s) != n * 2)
		return -ERR_INVALID;
	if (sodium_hex2bin(out, n, s, n * 2, NULL, &got, &end) != 0 || got != n)
		return -ERR_INVALID;
	return 0;
}

static char *b64(const void *p, size_t n, int variant)
{
	size_t len = sodium_base64_encoded_len(n, variant);
	char *out = xmalloc(len);

	sodium_bin2base64(out, len, p, n, variant);
	return out;
}

char *b64url_encode(const void *p, size_t n)
{
	return b64(p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

char *b64_encode(const void *p, size_t n)
{
	return b64(p, n, sodium_base64_VARIANT_ORIGINAL);
}

int b64_decode(const char *s, size_t slen, void *out, size_t max)
{
	size_t got = 0;
	const char *end = NULL;

	if (sodium_base642bin(out, max, s, slen, NULL, &got, &end,
	                      sodium_base64_VARIANT_ORIGINAL) != 0)
		return -ERR_INVALID;
	if (end != s + slen)
		return -ERR_INVALID;
	return (int)got;
}

char *random_token(size_t nbytes)
{
	unsigned char raw[64];
	char *t;

	if (nbytes > sizeof(raw))
		nbytes = sizeof(raw);
	randombytes_buf(raw, nbytes);
	t = b64url_encode(raw, nbytes);
	sodium_memzero(raw, sizeof(raw));
	return t;
}

void sha256(const void *p, size_t n, unsigned char out[SHA256_LEN])
{
	crypto_hash_sha256(out, p, n);
}

bool utf8_valid(const char *p, size_t n, bool allow_ctl)
{
	size_t i;

	if (u8_check((const uint8_t *)p, n) != NULL)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == 0 || c == 0x7f)
			return false;
		if (c < 0x20 && !(allow_ctl && (c == '\t' || c == '\n' || c == '\r')))
			return false;
	}
	return true;
}

size_t utf8_count(const char *s)
{
	return u8_mbsnlen((const uint8_t *)s, strlen(s));
}

char *utf8_nfkc(const char *s)
{
	size_t n = 0;
	uint8_t *r;
	char *out;

	r = u8_normalize(UNINORM_NFKC, (const uint8_t *)s, strlen(s), NULL, &n);
	if (!r)
		return NULL;
	out = xmalloc(n + 1);
	memcpy(out, r, n);
	out[n] = '\0';
	sodium_memzero(r, n);
	free(r);
	return out;
}

/*
 * util.h: small checked conversions and encodings used everywhere: integer parsing
 * (strtonum's idea), hex and base64url, random tokens from the CSPRNG, SHA-256,
 * UTF-8 validation, code-point counting and NFKC normalisation (libunistring).
 */
#ifndef ISMS_CORE_UTIL_H
#define ISMS_CORE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

/* Whole-string decimal integer; -ERR_INVALID on junk, sign errors or overflow. */
int parse_int64(const char *s, int64_t *ret_v);
/* Whole-string unsigned decimal <= max. */
int parse_uint(const char *s, uint64_t max, uint64_t *ret_v);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void hex_encode(const void *p, size_t n, char *out);
/* Decodes exactly n bytes from 2n hex digits; -ERR_INVALID otherwise. */
int hex_decode(const char *s, void *out, size_t n);

/* URL-safe base64 without padding; the caller frees. */
char *b64url_encode(const void *p, size_t n);
/* Standard base64 with padding (as the signed-note format uses); the caller frees. */
char *b64_encode(const void *p, size_t n);
/* Decodes standard padded base64; returns the length or -ERR_INVALID; out holds max bytes. */
int b64_decode(const char *s, size_t slen, void *out, size_t max);

/* A random token of nbytes from the CSPRNG, base64url; the caller frees. */
char *random_token(size_t nbytes);

void sha256(const void *p, size_t n, unsigned char out[SHA256_LEN]);

/* True when p[0..n) is valid UTF-8 without NUL and without C0 controls other than
 * tab/CR/LF (when allow_ctl is false, even those are refused). */
bool utf8_valid(const char *p, size_t n, bool allow_ctl);
/* Number of Unicode code points of a valid UTF-8 string. */
size_t utf8_count(const char *s);
/* NFKC normalisation of a valid UTF-8 string; the caller frees; NULL on invalid input. */
char *utf8_nfkc(const char *s);

#endif

/*
 * totp.h: time-based one-time passwords (RFC 6238 via liboath) and recovery codes
 * (SPEC ID-5, SECURITY.md "TOTP, recovery codes and the failure ceiling").
 *
 * Secrets are 20 random bytes (160 bits), SHA-1, 6 digits, 30 s step, ±1 step of drift.
 * The caller stores the last accepted counter and passes it in, so no code is accepted twice.
 */
#ifndef ISMS_AUTH_TOTP_H
#define ISMS_AUTH_TOTP_H

#include <stddef.h>
#include <stdint.h>

#include "core/common.h"

#define TOTP_SECRET_LEN   20
#define TOTP_STEP         30
#define TOTP_DIGITS       6
#define TOTP_WINDOW       1
#define RECOVERY_CODES    10
#define RECOVERY_CODE_LEN 30 /* "xxxxx-xxxxx-xxxxx-xxxxx-xxxxxx": 26 base32 chars, 130 bits */

int totp_library_init(void);

/* Fills secret with TOTP_SECRET_LEN random bytes. */
void totp_secret_new(unsigned char secret[TOTP_SECRET_LEN]);
/* RFC 4648 base32 (no padding) of the secret; the caller frees. */
char *totp_secret_base32(const unsigned char *secret, size_t n);
/* otpauth://totp/<issuer>:<account>?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30
 * with issuer and account percent-encoded; the caller frees. */
char *totp_uri(const char *issuer, const char *account, const unsigned char *secret, size_t n);
/* The QR code of text as a standalone SVG document (libqrencode); the caller frees. */
char *totp_qr_svg(const char *text);

/* The code for time t (digits digits, SHA-1/256/512 per hash_bits 160/256/512) into out. */
int totp_generate(const unsigned char *secret, size_t n, int64_t t, unsigned digits, int hash_bits,
                  char *out);

/*
 * Validates a 6-digit code at time now within ±TOTP_WINDOW steps. On success returns 0 and
 * *ret_counter (the step number that matched); -ERR_INVALID when it matches no step in the
 * window or is malformed; -ERR_CONFLICT when it matches a step <= last_counter (a replay).
 */
int totp_validate(const unsigned char *secret, size_t n, int64_t now, int64_t last_counter,
                  const char *code, int64_t *ret_counter);

/* Fills codes[RECOVERY_CODES] with new codes (each RECOVERY_CODE_LEN+1 bytes). */
void recovery_codes_new(char codes[RECOVERY_CODES][RECOVERY_CODE_LEN + 1]);
/* Normalises a typed code (case, spaces and dashes ignored) and hashes it (SHA-256).
 * -ERR_INVALID when it cannot be a recovery code. */
int recovery_code_hash(const char *typed, unsigned char out[32]);

#endif

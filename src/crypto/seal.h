/*
 * seal.h: authenticated encryption of small secrets at rest (TOTP seeds) with
 * XChaCha20-Poly1305 (libsodium) under a key kept in DIR/keys/secrets.key (mode 0600),
 * never in the database. A sealed blob is: 1 byte algorithm id (0x01 = XChaCha20-Poly1305),
 * 24 bytes nonce, ciphertext with tag. The associated data binds the blob to its owner
 * (e.g. "totp:user:12") so it cannot be moved to another row.
 */
#ifndef ISMS_AUTH_SEAL_H
#define ISMS_AUTH_SEAL_H

#include <stddef.h>

#include "core/common.h"

#define SEAL_KEY_LEN               32
#define SEAL_ALG_XCHACHA20POLY1305 0x01
#define SEAL_OVERHEAD              (1 + 24 + 16)

/* Creates keys_dir/secrets.key (0600) with a fresh random key. */
int seal_key_create(const char *keys_dir);
/* Loads the key into key (SEAL_KEY_LEN bytes). */
int seal_key_load(const char *keys_dir, unsigned char key[SEAL_KEY_LEN]);

/* Seals n bytes; *ret_blob (caller frees) has n + SEAL_OVERHEAD bytes. */
void seal(const unsigned char key[SEAL_KEY_LEN], const char *ad, const void *p, size_t n,
          unsigned char **ret_blob, size_t *ret_len);
/* Opens a blob into out (max bytes); returns the length or -ERR_INVALID (tampered, wrong
 * owner or unknown algorithm). */
MUST_CHECK int unseal(const unsigned char key[SEAL_KEY_LEN], const char *ad,
                      const unsigned char *blob, size_t len, void *out, size_t max);

#endif

/*
 * seal.c: XChaCha20-Poly1305 for small secrets at rest (TOTP seeds), under the key in
 * keys_dir/secrets.key. The 192-bit random nonce makes nonce reuse negligible without any
 * counter state; the algorithm byte leaves room for another cipher later (SECURITY.md E5).
 *
 *   blob = 0x01 || nonce[24] || ciphertext || tag[16]      AD = the owner, e.g. "totp:user:12"
 */
#include "core/common.h"
#include "crypto/seal.h"
#include "core/fs.h"

#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#define SEAL_KEY_FILE "secrets.key"
#define NONCE_LEN     crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_LEN       crypto_aead_xchacha20poly1305_ietf_ABYTES

_Static_assert(SEAL_KEY_LEN == crypto_aead_xchacha20poly1305_ietf_KEYBYTES, "key length");
_Static_assert(SEAL_OVERHEAD == 1 + NONCE_LEN + TAG_LEN, "blob overhead");

int seal_key_create(const char *keys_dir)
{
	unsigned char key[SEAL_KEY_LEN];
	char *path = NULL;
	int r;

	r = fs_mkdir(keys_dir, 0700);
	if (r < 0)
		goto out;
	path = fs_join(keys_dir, SEAL_KEY_FILE);
	/* Replacing the key would make every sealed secret unreadable. */
	if (fs_exists(path)) {
		r = -ERR_CONFLICT;
		goto out;
	}
	crypto_aead_xchacha20poly1305_ietf_keygen(key);
	r = fs_write_atomic(path, key, sizeof(key), 0600);
out:
	sodium_memzero(key, sizeof(key));
	free(path);
	return r;
}

int seal_key_load(const char *keys_dir, unsigned char key[SEAL_KEY_LEN])
{
	char *path = fs_join(keys_dir, SEAL_KEY_FILE);
	int r = fs_read_key(path, key, SEAL_KEY_LEN);

	free(path);
	return r;
}

void seal(const unsigned char key[SEAL_KEY_LEN], const char *ad, const void *p, size_t n,
          unsigned char **ret_blob, size_t *ret_len)
{
	unsigned char *blob = xmalloc(n + SEAL_OVERHEAD);
	unsigned long long clen = 0;

	if (!ad)
		ad = "";
	blob[0] = SEAL_ALG_XCHACHA20POLY1305;
	randombytes_buf(blob + 1, NONCE_LEN);
	(void)crypto_aead_xchacha20poly1305_ietf_encrypt(blob + 1 + NONCE_LEN, &clen, p, n,
	                                                 (const unsigned char *)ad, strlen(ad),
	                                                 NULL, blob + 1, key);
	*ret_blob = blob;
	*ret_len = 1 + NONCE_LEN + (size_t)clen;
}

int unseal(const unsigned char key[SEAL_KEY_LEN], const char *ad, const unsigned char *blob,
           size_t len, void *out, size_t max)
{
	unsigned long long mlen = 0;
	unsigned char *tmp = NULL;
	size_t clen;
	int r = -ERR_INVALID;

	if (!ad)
		ad = "";
	if (!blob || len < SEAL_OVERHEAD || blob[0] != SEAL_ALG_XCHACHA20POLY1305)
		return -ERR_INVALID;
	clen = len - 1 - NONCE_LEN;
	if (clen - TAG_LEN > max || clen - TAG_LEN > INT_MAX)
		return -ERR_INVALID;
	/* libsodium wipes its output on failure; out is written only on success. */
	tmp = xmalloc(clen - TAG_LEN + 1);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(tmp, &mlen, NULL, blob + 1 + NONCE_LEN, clen,
	                                               (const unsigned char *)ad, strlen(ad),
	                                               blob + 1, key) != 0)
		goto out;
	if (mlen > 0)
		memcpy(out, tmp, (size_t)mlen);
	r = (int)mlen;
out:
	sodium_memzero(tmp, clen - TAG_LEN + 1);
	free(tmp);
	return r;
}

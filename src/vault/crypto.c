/*
 * crypto.c: the vault's cryptography (vault.h): the data key wrapped under a key derived from
 * the passphrase (argon2id; the layout of DIR/keys/vault.key), each entry's secret sealed to
 * its entry (XChaCha20-Poly1305) and its keyed MAC that finds a reused secret, and the
 * password generator. No database here, and no key kept: callers pass the key vault.c holds.
 */
#include "core/common.h"
#include "vault/vault_int.h"

#include "crypto/password.h"
#include "crypto/seal.h"
#include "core/log.h"
#include "core/util.h"

#include <sodium.h>

#define KEY_MAGIC      "ISMSVK"
#define KEY_MAGIC_LEN  6
#define KEY_VERSION    0x01
#define KDF_ARGON2ID13 0x01
#define SALT_LEN       crypto_pwhash_SALTBYTES
#define KEY_HDR_LEN    (KEY_MAGIC_LEN + 1 + 1 + 8 + 8 + SALT_LEN)
#define KEY_WRAP_LEN   (VAULT_KEY_LEN + SEAL_OVERHEAD)
#define PASSPHRASE_MAX 1024 /* bytes, before NFKC */
#define OPS_MAX        32
#define MAC_CONTEXT    "ismsvmac" /* crypto_kdf context of the uniqueness subkey */

_Static_assert(KEY_HDR_LEN + KEY_WRAP_LEN == VAULT_KEY_FILE_LEN, "vault.key layout");
_Static_assert(SALT_LEN == 16, "salt length");
_Static_assert(crypto_kdf_CONTEXTBYTES == sizeof(MAC_CONTEXT) - 1, "kdf context");

/* --- the crypto ------------------------------------------------------------------------ */

void vault_free_secret(char *s)
{
	if (s) {
		sodium_memzero(s, strlen(s));
		free(s);
	}
}

/* The passphrase as the KDF sees it: NFKC, so the same words typed on another keyboard or
 * input method give the same key. NULL for text that cannot be a passphrase. */
char *vault_passphrase_norm(const char *pw)
{
	size_t n;

	if (!pw)
		return NULL;
	n = strnlen(pw, PASSPHRASE_MAX + 1);
	if (n == 0 || n > PASSPHRASE_MAX || !utf8_valid(pw, n, false))
		return NULL;
	return utf8_nfkc(pw);
}

static void put_le64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static bool limits_ok(uint64_t ops, uint64_t mem)
{
	return ops >= crypto_pwhash_OPSLIMIT_INTERACTIVE && ops <= OPS_MAX &&
	       mem >= crypto_pwhash_MEMLIMIT_INTERACTIVE && mem <= crypto_pwhash_MEMLIMIT_SENSITIVE;
}

/* The associated data of the wrap: the whole header, so none of it changes unnoticed. */
static void wrap_ad(const unsigned char *hdr, char *out, size_t outlen)
{
	char salt[2 * SALT_LEN + 1];

	hex_encode(hdr + KEY_MAGIC_LEN + 1 + 1 + 16, SALT_LEN, salt);
	(void)snprintf(out, outlen, "isms-vault-key:%u:argon2id13:%" PRIu64 ":%" PRIu64 ":%s",
	               (unsigned)hdr[KEY_MAGIC_LEN], get_le64(hdr + KEY_MAGIC_LEN + 2),
	               get_le64(hdr + KEY_MAGIC_LEN + 10), salt);
}

/* kek = argon2id(passphrase, salt); -ERR_FORBIDDEN for a passphrase that cannot be one,
 * -ERR_INTERNAL when the memory cannot be had. */
static int derive(const char *passphrase, const unsigned char *salt, uint64_t ops, size_t mem,
                  unsigned char kek[VAULT_KEY_LEN])
{
	char *pw = vault_passphrase_norm(passphrase);
	int r = 0;

	if (!pw)
		return -ERR_FORBIDDEN;
	if (crypto_pwhash(kek, VAULT_KEY_LEN, pw, strlen(pw), salt, ops, mem,
	                  crypto_pwhash_ALG_ARGON2ID13) != 0)
		r = log_error_errno(-ERR_INTERNAL, "argon2id: out of memory");
	vault_free_secret(pw);
	return r;
}

int vault_key_wrap(const char *passphrase, uint64_t opslimit, size_t memlimit,
                   const unsigned char key[VAULT_KEY_LEN],
                   unsigned char ret_file[VAULT_KEY_FILE_LEN])
{
	unsigned char file[VAULT_KEY_FILE_LEN], kek[VAULT_KEY_LEN], *blob = NULL;
	char ad[160];
	size_t len = 0;
	int r;

	if (!limits_ok(opslimit, memlimit))
		return -ERR_INVALID;
	(void)sodium_mlock(kek, sizeof(kek));
	memcpy(file, KEY_MAGIC, KEY_MAGIC_LEN);
	file[KEY_MAGIC_LEN] = KEY_VERSION;
	file[KEY_MAGIC_LEN + 1] = KDF_ARGON2ID13;
	put_le64(file + KEY_MAGIC_LEN + 2, opslimit);
	put_le64(file + KEY_MAGIC_LEN + 10, memlimit);
	randombytes_buf(file + KEY_MAGIC_LEN + 18, SALT_LEN);
	r = derive(passphrase, file + KEY_MAGIC_LEN + 18, opslimit, memlimit, kek);
	if (r == -ERR_FORBIDDEN)
		r = -ERR_INVALID;
	if (r < 0)
		goto out;
	wrap_ad(file, ad, sizeof(ad));
	seal(kek, ad, key, VAULT_KEY_LEN, &blob, &len);
	if (len != KEY_WRAP_LEN) {
		r = -ERR_INTERNAL;
		goto out;
	}
	memcpy(file + KEY_HDR_LEN, blob, len);
	memcpy(ret_file, file, sizeof(file));
out:
	(void)sodium_munlock(kek, sizeof(kek));
	free(blob);
	return r;
}

int vault_key_unwrap(const unsigned char *file, size_t len, const char *passphrase,
                     unsigned char key[VAULT_KEY_LEN])
{
	unsigned char kek[VAULT_KEY_LEN];
	uint64_t ops, mem;
	char ad[160];
	int r, n;

	if (!file || len != VAULT_KEY_FILE_LEN || memcmp(file, KEY_MAGIC, KEY_MAGIC_LEN) != 0 ||
	    file[KEY_MAGIC_LEN] != KEY_VERSION || file[KEY_MAGIC_LEN + 1] != KDF_ARGON2ID13)
		return -ERR_INVALID;
	ops = get_le64(file + KEY_MAGIC_LEN + 2);
	mem = get_le64(file + KEY_MAGIC_LEN + 10);
	/* Limits out of range: a damaged file, or one made to exhaust the memory. */
	if (!limits_ok(ops, mem))
		return -ERR_INVALID;
	(void)sodium_mlock(kek, sizeof(kek));
	r = derive(passphrase, file + KEY_MAGIC_LEN + 18, ops, (size_t)mem, kek);
	if (r < 0)
		goto out;
	wrap_ad(file, ad, sizeof(ad));
	n = unseal(kek, ad, file + KEY_HDR_LEN, KEY_WRAP_LEN, key, VAULT_KEY_LEN);
	r = n == VAULT_KEY_LEN ? 0 : -ERR_FORBIDDEN;
out:
	(void)sodium_munlock(kek, sizeof(kek));
	return r;
}

static void entry_ad(int64_t id, char out[48])
{
	(void)snprintf(out, 48, "isms-vault:entry:%" PRId64, id);
}

void vault_secret_seal(const unsigned char key[VAULT_KEY_LEN], int64_t id, const char *secret,
                       size_t n, unsigned char **ret_blob, size_t *ret_len)
{
	char ad[48];

	entry_ad(id, ad);
	seal(key, ad, secret, n, ret_blob, ret_len);
}

int vault_secret_open(const unsigned char key[VAULT_KEY_LEN], int64_t id, const unsigned char *blob,
                      size_t len, char **ret_secret)
{
	char ad[48], *out;
	size_t max;
	int n;

	if (!blob || len < SEAL_OVERHEAD)
		return -ERR_INVALID;
	max = len - SEAL_OVERHEAD;
	out = xmalloc(max + 1);
	entry_ad(id, ad);
	n = unseal(key, ad, blob, len, out, max);
	if (n < 0 || memchr(out, '\0', (size_t)n)) {
		sodium_memzero(out, max + 1);
		free(out);
		return -ERR_INVALID;
	}
	out[n] = '\0';
	*ret_secret = out;
	return 0;
}

void vault_secret_mac(const unsigned char key[VAULT_KEY_LEN], const char *secret, size_t n,
                      unsigned char out[32])
{
	unsigned char sub[crypto_generichash_KEYBYTES];

	(void)sodium_mlock(sub, sizeof(sub));
	(void)crypto_kdf_derive_from_key(sub, sizeof(sub), 1, MAC_CONTEXT, key);
	(void)crypto_generichash(out, 32, (const unsigned char *)secret, n, sub, sizeof(sub));
	(void)sodium_munlock(sub, sizeof(sub));
}

/* --- the generator --------------------------------------------------------------------- */

static const char alphabet[] =
        VAULT_ALPHA_UPPER VAULT_ALPHA_LOWER VAULT_ALPHA_DIGIT VAULT_ALPHA_OTHER;

static bool every_class(const char *pw)
{
	return strpbrk(pw, VAULT_ALPHA_UPPER) && strpbrk(pw, VAULT_ALPHA_LOWER) &&
	       strpbrk(pw, VAULT_ALPHA_DIGIT) && strpbrk(pw, VAULT_ALPHA_OTHER);
}

int vault_generate(const struct password_policy *pol, int length, char **ret_pw, struct problem *p)
{
	char *pw;
	int tries, i;

	if (length == 0)
		length = VAULT_GENERATE_DEFAULT;
	if (length < VAULT_GENERATE_MIN || length > VAULT_GENERATE_MAX)
		return problem_setf(p, ERR_INVALID, "invalid", "length",
		                    "a whole number from %d to %d", VAULT_GENERATE_MIN,
		                    VAULT_GENERATE_MAX);
	pw = xmalloc((size_t)length + 1);
	/* Rejection sampling keeps every accepted password equally likely. */
	for (tries = 0; tries < 1000; tries++) {
		for (i = 0; i < length; i++)
			pw[i] = alphabet[randombytes_uniform((uint32_t)(sizeof(alphabet) - 1))];
		pw[length] = '\0';
		if (every_class(pw) &&
		    password_check(pol, pw, &(struct password_context){ 0 }, NULL) == 0) {
			*ret_pw = pw;
			return 0;
		}
	}
	vault_free_secret(pw);
	return log_error_errno(
	        -ERR_INTERNAL,
	        "the password generator found no password the quality check accepts");
}

/*
 * test_seal.c: sealing secrets at rest (SECURITY.md E2 authenticated encryption, E5 the
 * algorithm id in the blob, E6 the key file outside the database with mode 0600).
 */
#include "core/common.h"
#include "crypto/seal.h"

#include <criterion/criterion.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"

static const char seed[] = "12345678901234567890";

static void new_key(unsigned char key[SEAL_KEY_LEN])
{
	randombytes_buf(key, SEAL_KEY_LEN);
}

Test(seal, E2_round_trip)
{
	unsigned char key[SEAL_KEY_LEN], *blob = NULL, out[64];
	size_t len = 0;
	int n;

	new_key(key);
	seal(key, "totp:user:12", seed, 20, &blob, &len);
	cr_assert_eq(len, 20 + SEAL_OVERHEAD);
	cr_assert_eq(blob[0], SEAL_ALG_XCHACHA20POLY1305);
	cr_assert_null(memmem(blob, len, seed, 20), "plaintext visible in the blob");
	n = unseal(key, "totp:user:12", blob, len, out, sizeof(out));
	cr_assert_eq(n, 20);
	cr_assert_eq(memcmp(out, seed, 20), 0);
	free(blob);
}

Test(seal, E2_empty_plaintext_and_exact_buffer)
{
	unsigned char key[SEAL_KEY_LEN], *blob = NULL, out[20];
	size_t len = 0;

	new_key(key);
	seal(key, "", "", 0, &blob, &len);
	cr_assert_eq(len, SEAL_OVERHEAD);
	cr_assert_eq(unseal(key, "", blob, len, out, sizeof(out)), 0);
	free(blob);
	seal(key, NULL, seed, 20, &blob, &len);
	cr_assert_eq(unseal(key, "", blob, len, out, 20), 20, "a NULL AD is the empty AD");
	cr_assert_eq(unseal(key, NULL, blob, len, out, 19), -ERR_INVALID, "out too small");
	free(blob);
}

Test(seal, E2_nonces_are_fresh)
{
	unsigned char key[SEAL_KEY_LEN], *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;

	new_key(key);
	seal(key, "totp:user:12", seed, 20, &a, &la);
	seal(key, "totp:user:12", seed, 20, &b, &lb);
	cr_assert_eq(la, lb);
	cr_assert_neq(memcmp(a + 1, b + 1, 24), 0, "nonce reused");
	cr_assert_neq(memcmp(a, b, la), 0);
	free(a);
	free(b);
}

Test(seal, E2_every_flipped_bit_refused)
{
	unsigned char key[SEAL_KEY_LEN], *blob = NULL, out[64];
	size_t len = 0, i;
	int bit;

	new_key(key);
	seal(key, "totp:user:12", seed, 20, &blob, &len);
	for (i = 0; i < len; i++) {
		for (bit = 0; bit < 8; bit++) {
			blob[i] ^= (unsigned char)(1u << bit);
			cr_assert_eq(unseal(key, "totp:user:12", blob, len, out, sizeof(out)),
			             -ERR_INVALID, "byte %zu bit %d", i, bit);
			blob[i] ^= (unsigned char)(1u << bit);
		}
	}
	cr_assert_eq(unseal(key, "totp:user:12", blob, len, out, sizeof(out)), 20);
	free(blob);
}

Test(seal, E2_wrong_owner_refused)
{
	unsigned char key[SEAL_KEY_LEN], *blob = NULL, out[64];
	size_t len = 0;

	new_key(key);
	seal(key, "totp:user:12", seed, 20, &blob, &len);
	cr_assert_eq(unseal(key, "totp:user:13", blob, len, out, sizeof(out)), -ERR_INVALID);
	cr_assert_eq(unseal(key, "totp:user:1", blob, len, out, sizeof(out)), -ERR_INVALID);
	cr_assert_eq(unseal(key, "", blob, len, out, sizeof(out)), -ERR_INVALID);
	free(blob);
}

Test(seal, E2_wrong_key_refused)
{
	unsigned char key[SEAL_KEY_LEN], other[SEAL_KEY_LEN], *blob = NULL, out[64];
	size_t len = 0;

	new_key(key);
	new_key(other);
	seal(key, "totp:user:12", seed, 20, &blob, &len);
	memset(out, 0x5a, sizeof(out));
	cr_assert_eq(unseal(other, "totp:user:12", blob, len, out, sizeof(out)), -ERR_INVALID);
	cr_assert_eq(out[0], 0x5a, "out is written only on success");
	cr_assert_eq(out[19], 0x5a);
	free(blob);
}

Test(seal, E5_unknown_algorithm_and_short_blobs_refused)
{
	unsigned char key[SEAL_KEY_LEN], *blob = NULL, out[64];
	size_t len = 0, cut;

	new_key(key);
	seal(key, "totp:user:12", seed, 20, &blob, &len);
	blob[0] = 0x02;
	cr_assert_eq(unseal(key, "totp:user:12", blob, len, out, sizeof(out)), -ERR_INVALID);
	blob[0] = 0x00;
	cr_assert_eq(unseal(key, "totp:user:12", blob, len, out, sizeof(out)), -ERR_INVALID);
	blob[0] = SEAL_ALG_XCHACHA20POLY1305;
	for (cut = 0; cut < len; cut++)
		cr_assert_eq(unseal(key, "totp:user:12", blob, cut, out, sizeof(out)), -ERR_INVALID,
		             "truncated to %zu", cut);
	cr_assert_eq(unseal(key, "totp:user:12", NULL, 0, out, sizeof(out)), -ERR_INVALID);
	free(blob);
}

/* ---- the key file ---- */

struct tmp {
	char dir[64];
	char keys[96];
	char file[128];
};

static void tmp_make(struct tmp *t)
{
	fixture_folder("seal");
	snprintf(t->dir, sizeof(t->dir), "%s", fx.dir);
	snprintf(t->keys, sizeof(t->keys), "%s/keys", t->dir);
	snprintf(t->file, sizeof(t->file), "%s/secrets.key", t->keys);
}

static void tmp_remove(struct tmp *t)
{
	(void)t;
	fixture_teardown();
}

static void write_file(const char *path, const void *p, size_t n, mode_t mode)
{
	FILE *f;

	(void)unlink(path);
	f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(p, 1, n, f), n);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chmod(path, mode), 0);
}

Test(seal, E6_key_file_is_0600_and_loads)
{
	unsigned char key[SEAL_KEY_LEN], again[SEAL_KEY_LEN], *blob = NULL, out[64];
	struct tmp t;
	struct stat st;
	size_t len = 0;

	tmp_make(&t);
	cr_assert_eq(seal_key_create(t.keys), 0);
	cr_assert_eq(stat(t.file, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0600, "mode %o", st.st_mode & 07777);
	cr_assert_eq(st.st_size, SEAL_KEY_LEN);
	cr_assert_eq(stat(t.keys, &st), 0);
	cr_assert_eq(st.st_mode & 077, 0, "keys/ is private");
	cr_assert_eq(seal_key_load(t.keys, key), 0);
	cr_assert_eq(seal_key_load(t.keys, again), 0);
	cr_assert_eq(memcmp(key, again, SEAL_KEY_LEN), 0);
	seal(key, "totp:user:12", seed, 20, &blob, &len);
	cr_assert_eq(unseal(again, "totp:user:12", blob, len, out, sizeof(out)), 20);
	/* A second create must not replace the key (every sealed secret would be lost). */
	cr_assert_eq(seal_key_create(t.keys), -ERR_CONFLICT);
	cr_assert_eq(seal_key_load(t.keys, again), 0);
	cr_assert_eq(memcmp(key, again, SEAL_KEY_LEN), 0);
	free(blob);
	tmp_remove(&t);
}

Test(seal, E6_group_or_world_readable_key_refused)
{
	unsigned char key[SEAL_KEY_LEN], sentinel[SEAL_KEY_LEN];
	struct tmp t;
	static const mode_t bad[] = { 0644, 0640, 0604, 0660, 0602 };
	size_t i;

	tmp_make(&t);
	cr_assert_eq(seal_key_create(t.keys), 0);
	memset(key, 0xAA, sizeof(key));
	memcpy(sentinel, key, sizeof(key));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		cr_assert_eq(chmod(t.file, bad[i]), 0);
		cr_assert_eq(seal_key_load(t.keys, key), -ERR_FORBIDDEN, "mode %o", bad[i]);
		cr_assert_eq(memcmp(key, sentinel, sizeof(key)), 0, "key written on failure");
	}
	cr_assert_eq(chmod(t.file, 0400), 0);
	cr_assert_eq(seal_key_load(t.keys, key), 0, "read-only for the owner is fine");
	tmp_remove(&t);
}

Test(seal, E6_wrong_size_missing_and_symlinked_keys_refused)
{
	unsigned char key[SEAL_KEY_LEN] = { 0 }, raw[SEAL_KEY_LEN + 1] = { 0 };
	char link_target[160];
	struct tmp t;

	tmp_make(&t);
	cr_assert_eq(seal_key_load(t.keys, key), -ERR_NOT_FOUND);
	cr_assert_eq(mkdir(t.keys, 0700), 0);
	cr_assert_eq(seal_key_load(t.keys, key), -ERR_NOT_FOUND);
	write_file(t.file, raw, SEAL_KEY_LEN - 1, 0600);
	cr_assert_eq(seal_key_load(t.keys, key), -ERR_INVALID);
	write_file(t.file, raw, SEAL_KEY_LEN + 1, 0600);
	cr_assert_eq(seal_key_load(t.keys, key), -ERR_INVALID);
	write_file(t.file, raw, 0, 0600);
	cr_assert_eq(seal_key_load(t.keys, key), -ERR_INVALID);
	/* A symlink in place of the key file is not followed. */
	snprintf(link_target, sizeof(link_target), "%s/real.key", t.dir);
	write_file(link_target, raw, SEAL_KEY_LEN, 0600);
	cr_assert_eq(unlink(t.file), 0);
	cr_assert_eq(symlink(link_target, t.file), 0);
	cr_assert_eq(seal_key_load(t.keys, key), -ERR_FORBIDDEN);
	(void)unlink(link_target);
	tmp_remove(&t);
}

/*
 * test_vault.c: the credential vault's crypto and rules, called directly (SPEC VLT-1..3,
 * SECURITY.md E1 argon2id wrapping, E2 authenticated encryption, E5 algorithm ids, G5 reveal
 * audited without the secret): the wrap of the data key, wrong passphrases and tampered key
 * files refused, entry blobs bound to their entry, the generator, the persistent lock, the
 * key wiped on seal, secret reuse, and the idempotent rotation reminders.
 */
#include "core/common.h"

#include <criterion/criterion.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/actor.h"
#include "core/clock.h"
#include "audit/audit.h"
#include "crypto/password.h"
#include "crypto/seal.h"
#include "fixture.h"
#include "org/org.h"
#include "store/store.h"
#include "vault/vault.h"

#define PASS  "Lantern-Quartz-7-Harbor!"
#define PASS2 "Meadow-Falcon-42-Orbit#x"
#define OPS   crypto_pwhash_OPSLIMIT_INTERACTIVE
#define MEM   crypto_pwhash_MEMLIMIT_INTERACTIVE

static struct store *st;
static struct vault *v;
static const char *keys;

static const struct actor operator_ = { .user_id = 0, .username = "cli:test", .source = "cli" };

static void setup(void)
{
	fixture_setup("vault");
	st = fx.st;
	keys = fx.keys;
	cr_assert_eq(mkdir(keys, 0700), 0);
	v = vault_new(keys);
}

static void teardown(void)
{
	vault_free(v);
	fixture_teardown();
}

TestSuite(vault, .init = setup, .fini = teardown);

static struct actor person(const char *name, unsigned roles)
{
	return fixture_user(name, roles);
}

static void init_vault(void)
{
	struct problem p = { 0 };

	cr_assert_eq(vault_init(v, st, &operator_, NULL, PASS, NULL, &p), 0, "%s %s", p.code,
	             p.detail);
}

static int64_t create(const struct actor *a, const char *name, const char *roles_json,
                      const char *secret, struct problem *p)
{
	json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:o}", "name", name, "kind", "server", "host",
	                       "10.0.0.1", "username", "root", "reveal_roles",
	                       json_loads(roles_json, 0, NULL));
	json_t *out = NULL;
	int64_t id;
	int r;

	if (secret)
		json_object_set_new(in, "secret", json_string(secret));
	else
		json_object_set_new(in, "generate", json_object());
	r = vault_entry_create(v, st, a, NULL, in, &out, p);
	json_decref(in);
	if (r < 0)
		return r;
	id = json_integer_value(json_object_get(json_object_get(out, "entry"), "id"));
	cr_assert_null(json_object_get(json_object_get(out, "entry"), "secret"));
	json_decref(out);
	return id;
}

static int64_t audit_entries(void)
{
	int64_t n = 0;

	cr_assert_eq(audit_size(st, &n), 0);
	return n;
}

/* --- the wrap of the data key (E1, E2, E5) --------------------------------------------- */

Test(vault, E1_wrap_unwrap_round_trip)
{
	unsigned char key[VAULT_KEY_LEN], out[VAULT_KEY_LEN], file[VAULT_KEY_FILE_LEN];

	randombytes_buf(key, sizeof(key));
	cr_assert_eq(vault_key_wrap(PASS, OPS, MEM, key, file), 0);
	cr_assert_eq(memcmp(file, "ISMSVK\x01\x01", 8), 0, "magic, version and kdf id");
	cr_assert_null(memmem(file, sizeof(file), key, sizeof(key)), "the key in clear");
	cr_assert_null(memmem(file, sizeof(file), PASS, strlen(PASS)), "the passphrase");
	cr_assert_eq(vault_key_unwrap(file, sizeof(file), PASS, out), 0);
	cr_assert_eq(memcmp(out, key, sizeof(key)), 0);
}

Test(vault, E1_limits_below_interactive_refused)
{
	unsigned char key[VAULT_KEY_LEN] = { 0 }, file[VAULT_KEY_FILE_LEN];

	cr_assert_eq(vault_key_wrap(PASS, OPS - 1, MEM, key, file), -ERR_INVALID);
	cr_assert_eq(vault_key_wrap(PASS, OPS, MEM / 2, key, file), -ERR_INVALID);
}

Test(vault, wrong_passphrase_refused_and_key_untouched)
{
	unsigned char key[VAULT_KEY_LEN], out[VAULT_KEY_LEN], file[VAULT_KEY_FILE_LEN];

	randombytes_buf(key, sizeof(key));
	cr_assert_eq(vault_key_wrap(PASS, OPS, MEM, key, file), 0);
	memset(out, 0xAA, sizeof(out));
	cr_assert_eq(vault_key_unwrap(file, sizeof(file), PASS2, out), -ERR_FORBIDDEN);
	cr_assert_eq(vault_key_unwrap(file, sizeof(file), "", out), -ERR_FORBIDDEN);
	cr_assert_eq(vault_key_unwrap(file, sizeof(file), "Lantern-Quartz-7-Harbor", out),
	             -ERR_FORBIDDEN);
	cr_assert_eq(vault_key_unwrap(file, sizeof(file), "\xff\xfe bad utf-8", out),
	             -ERR_FORBIDDEN);
	for (size_t i = 0; i < sizeof(out); i++)
		cr_assert_eq(out[i], 0xAA, "nothing written on a refusal");
}

Test(vault, tampered_key_file_refused)
{
	unsigned char key[VAULT_KEY_LEN], out[VAULT_KEY_LEN], file[VAULT_KEY_FILE_LEN],
	        bad[VAULT_KEY_FILE_LEN];
	size_t i;

	randombytes_buf(key, sizeof(key));
	cr_assert_eq(vault_key_wrap(PASS, OPS, MEM, key, file), 0);
	/* Every byte of the header and of the wrap matters. Salt, nonce, ciphertext and tag:
	 * the wrap no longer opens; magic, version, kdf id and limits: malformed, or the
	 * limits are part of the associated data. */
	for (i = 0; i < sizeof(file); i += (i < 40 ? 1 : 9)) {
		int r;

		memcpy(bad, file, sizeof(file));
		bad[i] ^= 0x01;
		r = vault_key_unwrap(bad, sizeof(bad), PASS, out);
		cr_assert(r == -ERR_FORBIDDEN || r == -ERR_INVALID, "byte %zu: %d", i, r);
	}
	cr_assert_eq(vault_key_unwrap(file, sizeof(file) - 1, PASS, out), -ERR_INVALID);
	/* A huge memory limit (a file made to exhaust the server) is refused before use. */
	memcpy(bad, file, sizeof(file));
	bad[6 + 2 + 8 + 7] = 0x7f;
	cr_assert_eq(vault_key_unwrap(bad, sizeof(bad), PASS, out), -ERR_INVALID);
	/* A higher opslimit in range is not "malformed": it is the wrong key. */
	memcpy(bad, file, sizeof(file));
	bad[6 + 2] = (unsigned char)(OPS + 1);
	cr_assert_eq(vault_key_unwrap(bad, sizeof(bad), PASS, out), -ERR_FORBIDDEN);
	cr_assert_eq(vault_key_unwrap(file, sizeof(file), PASS, out), 0);
}

/* --- entry blobs (E2, E5) ---------------------------------------------------------------- */

Test(vault, E2_entry_blob_round_trip_and_tamper)
{
	unsigned char key[VAULT_KEY_LEN], *blob = NULL;
	const char *secret = "Zq8#Router-Admin-Pw";
	char *out = NULL;
	size_t len = 0, i;

	randombytes_buf(key, sizeof(key));
	vault_secret_seal(key, 7, secret, strlen(secret), &blob, &len);
	cr_assert_eq(len, strlen(secret) + SEAL_OVERHEAD);
	cr_assert_eq(blob[0], SEAL_ALG_XCHACHA20POLY1305, "algorithm id first");
	cr_assert_null(memmem(blob, len, secret, strlen(secret)));
	cr_assert_eq(vault_secret_open(key, 7, blob, len, &out), 0);
	cr_assert_str_eq(out, secret);
	free(out);
	for (i = 0; i < len; i++) {
		out = NULL;
		blob[i] ^= 0x80;
		cr_assert_eq(vault_secret_open(key, 7, blob, len, &out), -ERR_INVALID, "byte %zu",
		             i);
		cr_assert_null(out);
		blob[i] ^= 0x80;
	}
	cr_assert_eq(vault_secret_open(key, 7, blob, len - 1, &out), -ERR_INVALID);
	cr_assert_eq(vault_secret_open(key, 7, blob, 10, &out), -ERR_INVALID);
	free(blob);
}

Test(vault, E2_blob_moved_to_another_entry_refused)
{
	unsigned char key[VAULT_KEY_LEN], *blob = NULL;
	char *out = NULL;
	size_t len = 0;

	randombytes_buf(key, sizeof(key));
	vault_secret_seal(key, 1, "Firewall#Secret-99x", 19, &blob, &len);
	cr_assert_eq(vault_secret_open(key, 2, blob, len, &out), -ERR_INVALID);
	cr_assert_eq(vault_secret_open(key, 11, blob, len, &out), -ERR_INVALID);
	cr_assert_eq(vault_secret_open(key, 1, blob, len, &out), 0);
	free(out);
	free(blob);
}

Test(vault, E2_blob_moved_in_the_database_does_not_open)
{
	static const char SQL_SWAP[] =
	        "UPDATE vault_entries SET secret = (SELECT secret FROM vault_entries WHERE id = ?2) "
	        "WHERE id = ?1";
	struct actor it = person("it1", ROLE_IT_STAFF);
	struct problem p = { 0 };
	int64_t a, b;
	char *secret = NULL;
	struct stmt *s;

	init_vault();
	a = create(&it, "core switch", "[\"it_staff\"]", "Kx7#core-Switch-Pw", &p);
	b = create(&it, "edge router", "[\"it_staff\"]", "Rt5$edge-Router-Pw", &p);
	cr_assert_gt(a, 0);
	cr_assert_gt(b, 0);
	cr_assert_eq(vault_entry_reveal(v, st, &it, a, "check the switch", &secret, &p), 0);
	cr_assert_str_eq(secret, "Kx7#core-Switch-Pw");
	free(secret);
	secret = NULL;
	s = store_stmt(st, SQL_SWAP);
	store_bind_int(s, 1, a);
	store_bind_int(s, 2, b);
	cr_assert_eq(store_exec_stmt(st, s), 0);
	cr_assert_eq(vault_entry_reveal(v, st, &it, a, "check the switch", &secret, &p),
	             -ERR_INTERNAL);
	cr_assert_null(secret);
}

/* --- the generator (VLT-3) ---------------------------------------------------------------- */

static bool only_alphabet(const char *s)
{
	static const char all[] =
	        VAULT_ALPHA_UPPER VAULT_ALPHA_LOWER VAULT_ALPHA_DIGIT VAULT_ALPHA_OTHER;

	return strspn(s, all) == strlen(s);
}

Test(vault, VLT3_generator_classes_length_and_quality)
{
	struct problem p = { 0 };
	int lengths[] = { 0, 16, 20, 33, 64 };
	char *pw = NULL;
	size_t i;
	int k;

	for (i = 0; i < ARRAY_SIZE(lengths); i++) {
		for (k = 0; k < 20; k++) {
			cr_assert_eq(vault_generate(NULL, lengths[i], &pw, &p), 0);
			cr_assert_eq(strlen(pw), (size_t)(lengths[i] ? lengths[i] : 20));
			cr_assert(strpbrk(pw, VAULT_ALPHA_UPPER), "%s", pw);
			cr_assert(strpbrk(pw, VAULT_ALPHA_LOWER), "%s", pw);
			cr_assert(strpbrk(pw, VAULT_ALPHA_DIGIT), "%s", pw);
			cr_assert(strpbrk(pw, VAULT_ALPHA_OTHER), "%s", pw);
			cr_assert(only_alphabet(pw), "%s", pw);
			cr_assert_eq(
			        password_check(NULL, pw, &(struct password_context){ 0 }, NULL), 0,
			        "%s", pw);
			free(pw);
		}
	}
	cr_assert_eq(vault_generate(NULL, 15, &pw, &p), -ERR_INVALID);
	cr_assert_str_eq(p.field, "length");
	cr_assert_eq(vault_generate(NULL, 65, &pw, &p), -ERR_INVALID);
	cr_assert_eq(vault_generate(NULL, -1, &pw, &p), -ERR_INVALID);
}

Test(vault, VLT3_generator_unique)
{
	struct problem p = { 0 };
	char *seen[500];
	int i, j;

	for (i = 0; i < 500; i++) {
		cr_assert_eq(vault_generate(NULL, 16, &seen[i], &p), 0);
		for (j = 0; j < i; j++)
			cr_assert_str_neq(seen[i], seen[j]);
	}
	for (i = 0; i < 500; i++)
		free(seen[i]);
}

/* --- lifecycle: init, seal, unseal, lock ------------------------------------------------- */

Test(vault, key_wiped_after_seal)
{
	struct problem p = { 0 };

	cr_assert(vault_key_wiped(v), "a new vault holds no key");
	init_vault();
	cr_assert(vault_is_unsealed(v));
	cr_assert_not(vault_key_wiped(v), "init leaves the vault unsealed");
	cr_assert_eq(vault_seal(v, st, &operator_, NULL, &p), 0);
	cr_assert_not(vault_is_unsealed(v));
	cr_assert(vault_key_wiped(v));
	cr_assert_eq(vault_unseal(v, st, &operator_, PASS, NULL, &p), 0);
	cr_assert_not(vault_key_wiped(v));
	vault_free(v);
	v = vault_new(keys);
	cr_assert_not(vault_is_unsealed(v), "a new process starts sealed");
	cr_assert(vault_key_wiped(v));
}

Test(vault, init_once_and_key_file_private)
{
	struct problem p = { 0 };
	char *path = xasprintf("%s/vault.key", keys);
	struct stat sb;

	cr_assert_eq(vault_init(v, st, &operator_, NULL, "short-Pass1!", NULL, &p), -ERR_INVALID);
	cr_assert_str_eq(p.code, "weak_password");
	cr_assert_str_eq(p.field, "passphrase");
	cr_assert_neq(access(path, F_OK), 0, "a refused init writes no key");
	init_vault();
	cr_assert_eq(stat(path, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0600);
	cr_assert_eq(sb.st_size, VAULT_KEY_FILE_LEN);
	cr_assert_eq(vault_init(v, st, &operator_, NULL, PASS2, NULL, &p), -ERR_CONFLICT);
	cr_assert_str_eq(p.code, "vault_initialized");
	free(path);
}

Test(vault, wrong_passphrases_lock_persistently)
{
	struct actor sec = person("sec1", ROLE_SECURITY_ADMIN);
	struct actor emp = person("emp1", 0);
	struct problem p = { 0 };
	json_t *s = NULL;
	int i;

	init_vault();
	cr_assert_eq(vault_seal(v, st, &operator_, NULL, &p), 0);
	cr_assert_eq(vault_unseal(v, st, &emp, PASS, NULL, &p), -ERR_FORBIDDEN, "not its role");
	cr_assert_str_eq(p.code, "forbidden");
	for (i = 1; i < VAULT_MAX_FAILURES; i++) {
		cr_assert_eq(vault_unseal(v, st, &sec, PASS2, NULL, &p), -ERR_FORBIDDEN);
		cr_assert_str_eq(p.code, "wrong_passphrase");
		cr_assert_not(vault_is_unsealed(v));
	}
	cr_assert_eq(vault_unseal(v, st, &sec, PASS2, NULL, &p), -ERR_LOCKED);
	cr_assert_str_eq(p.code, "vault_locked");
	cr_assert_geq(p.until, clock_now() + VAULT_LOCK_SECONDS - 5);
	/* The right passphrase during the lock is refused too, and a new process sees the
	 * lock: it lives in the database. */
	vault_free(v);
	v = vault_new(keys);
	cr_assert_eq(vault_unseal(v, st, &sec, PASS, NULL, &p), -ERR_LOCKED);
	cr_assert_not(vault_is_unsealed(v));
	cr_assert(vault_key_wiped(v));
	cr_assert_eq(vault_status(v, st, &sec, &s, &p), 0);
	cr_assert_str_eq(json_string_value(json_object_get(s, "state")), "sealed");
	cr_assert_eq(json_integer_value(json_object_get(s, "failures")), VAULT_MAX_FAILURES);
	cr_assert(json_is_string(json_object_get(s, "locked_until")));
	json_decref(s);
}

Test(vault, success_resets_the_count)
{
	struct problem p = { 0 };
	json_t *s = NULL;

	init_vault();
	cr_assert_eq(vault_seal(v, st, &operator_, NULL, &p), 0);
	cr_assert_eq(vault_unseal(v, st, &operator_, PASS2, NULL, &p), -ERR_FORBIDDEN);
	cr_assert_eq(vault_unseal(v, st, &operator_, PASS2, NULL, &p), -ERR_FORBIDDEN);
	cr_assert(strstr(p.detail, "3 attempt"), "%s", p.detail);
	cr_assert_eq(vault_unseal(v, st, &operator_, PASS, &s, &p), 0);
	cr_assert_eq(json_integer_value(json_object_get(s, "failures")), 0);
	cr_assert_str_eq(json_string_value(json_object_get(s, "state")), "unsealed");
	json_decref(s);
}

Test(vault, key_file_replaced_or_damaged_refused_without_counting)
{
	struct problem p = { 0 };
	unsigned char key[VAULT_KEY_LEN] = { 1 }, file[VAULT_KEY_FILE_LEN];
	char *path = xasprintf("%s/vault.key", keys);
	FILE *f;
	json_t *s = NULL;

	init_vault();
	cr_assert_eq(vault_seal(v, st, &operator_, NULL, &p), 0);
	/* Someone replaces the file with a key of their own under the same passphrase. */
	cr_assert_eq(vault_key_wrap(PASS, OPS, MEM, key, file), 0);
	f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(file, 1, sizeof(file), f), sizeof(file));
	fclose(f);
	cr_assert_eq(vault_unseal(v, st, &operator_, PASS, NULL, &p), -ERR_CONFLICT);
	cr_assert_str_eq(p.code, "vault_key_invalid");
	cr_assert_not(vault_is_unsealed(v));
	cr_assert_eq(unlink(path), 0);
	cr_assert_eq(vault_unseal(v, st, &operator_, PASS, NULL, &p), -ERR_CONFLICT);
	cr_assert_str_eq(p.code, "vault_key_invalid");
	cr_assert_eq(vault_status(v, st, &operator_, &s, &p), 0);
	cr_assert_eq(json_integer_value(json_object_get(s, "failures")), 0,
	             "not a wrong passphrase");
	json_decref(s);
	free(path);
}

/* --- entries (VLT-1, VLT-2, VLT-3) -------------------------------------------------------- */

Test(vault, VLT2_reveal_only_for_the_entry_roles_with_reason)
{
	struct actor it = person("it2", ROLE_IT_STAFF);
	struct actor sys = person("sys2", ROLE_SYS_ADMIN);
	struct actor aud = person("aud2", ROLE_AUDIT_ADMIN);
	struct problem p = { 0 };
	json_t *items = NULL;
	int64_t id, next = 0, before;
	char *secret = NULL;

	init_vault();
	id = create(&sys, "erp admin", "[\"sys_admin\"]", "Erp#Admin-2026-Qx", &p);
	cr_assert_gt(id, 0, "%s %s", p.code, p.detail);
	before = audit_entries();
	cr_assert_eq(vault_entry_reveal(v, st, &it, id, "need it", &secret, &p), -ERR_FORBIDDEN);
	cr_assert_eq(vault_entry_reveal(v, st, &aud, id, "need it", &secret, &p), -ERR_FORBIDDEN);
	cr_assert_eq(vault_entry_reveal(v, st, &operator_, id, "need it", &secret, &p),
	             -ERR_FORBIDDEN);
	cr_assert_eq(vault_entry_reveal(v, st, &sys, id, "abc", &secret, &p), -ERR_INVALID);
	cr_assert_str_eq(p.field, "reason");
	cr_assert_eq(vault_entry_reveal(v, st, &sys, id, NULL, &secret, &p), -ERR_INVALID);
	cr_assert_null(secret);
	cr_assert_eq(audit_entries(), before, "refusals reveal nothing and record no reveal");
	cr_assert_eq(vault_entry_reveal(v, st, &sys, id, "ERP upgrade 升级", &secret, &p), 0);
	cr_assert_str_eq(secret, "Erp#Admin-2026-Qx");
	free(secret);
	cr_assert_eq(audit_entries(), before + 1);
	cr_assert_eq(vault_reveal_list(st, &aud, 0, 0, 50, &items, &next, &p), 0);
	cr_assert_eq(json_array_size(items), 1);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "reason")),
	                 "ERP upgrade 升级");
	json_decref(items);
	cr_assert_eq(vault_reveal_list(st, &it, 0, 0, 50, &items, &next, &p), -ERR_FORBIDDEN);
	/* Sealed: the metadata stays readable, the secret does not. */
	cr_assert_eq(vault_seal(v, st, &operator_, NULL, &p), 0);
	cr_assert_eq(vault_entry_reveal(v, st, &sys, id, "ERP upgrade", &secret, &p),
	             -ERR_CONFLICT);
	cr_assert_str_eq(p.code, "vault_sealed");
	cr_assert_eq(vault_entry_list(st, &aud, NULL, 0, 50, &items, &next, &p), 0);
	cr_assert_eq(json_array_size(items), 1);
	cr_assert_null(json_object_get(json_array_get(items, 0), "secret"));
	json_decref(items);
}

Test(vault, VLT3_secret_reused_refused)
{
	struct actor it = person("it3", ROLE_IT_STAFF);
	struct problem p = { 0 };
	json_t *in, *out = NULL, *e = NULL;
	int64_t a;

	init_vault();
	a = create(&it, "mail admin", "[\"it_staff\"]", "Mail#Admin-Pw-77", &p);
	cr_assert_gt(a, 0);
	cr_assert_eq(create(&it, "domain admin", "[\"it_staff\"]", "Mail#Admin-Pw-77", &p),
	             -ERR_CONFLICT);
	cr_assert_str_eq(p.code, "secret_reused");
	cr_assert_eq(vault_entry_get(st, &it, a, &e, &p), 0);
	/* Rotating to the same password is no rotation. */
	in = json_pack("{s:O, s:s}", "version", json_object_get(e, "version"), "secret",
	               "Mail#Admin-Pw-77");
	cr_assert_eq(vault_entry_rotate(v, st, &it, NULL, a, in, &out, &p), -ERR_CONFLICT);
	cr_assert_str_eq(p.code, "secret_reused");
	json_decref(in);
	in = json_pack("{s:O, s:{s:i}}", "version", json_object_get(e, "version"), "generate",
	               "length", 24);
	cr_assert_eq(vault_entry_rotate(v, st, &it, NULL, a, in, &out, &p), 0, "%s", p.detail);
	cr_assert_eq(strlen(json_string_value(json_object_get(out, "secret"))), 24);
	json_decref(out);
	/* The old version is stale now. */
	cr_assert_eq(vault_entry_rotate(v, st, &it, NULL, a, in, &out, &p), -ERR_CONFLICT);
	cr_assert_str_eq(p.code, "stale_version");
	json_decref(in);
	json_decref(e);
}

Test(vault, VLT3_rotation_reminders_idempotent)
{
	struct actor it = person("it4", ROLE_IT_STAFF);
	struct actor sys = person("sys4", ROLE_SYS_ADMIN);
	struct problem p = { 0 };
	json_t *in, *e = NULL, *rep = NULL, *items = NULL;
	int64_t id, now = clock_now(), next = 0;

	init_vault();
	id = create(&it, "oa admin", "[\"it_staff\", \"sys_admin\"]", NULL, &p);
	cr_assert_gt(id, 0);
	cr_assert_eq(vault_tick(st, now, &rep), 0);
	cr_assert_eq(json_array_size(rep), 0, "a new entry is due in a year");
	json_decref(rep);
	cr_assert_eq(vault_entry_get(st, &it, id, &e, &p), 0);
	cr_assert_str_eq(json_string_value(json_object_get(e, "rotate_reason")), "yearly");
	json_decref(e);
	in = json_pack("{s:s, s:s}", "vendor", "Acme 厂商", "note", "remote debugging");
	cr_assert_eq(vault_entry_vendor_access(st, &it, id, in, &e, &p), 0);
	json_decref(in);
	cr_assert_str_eq(json_string_value(json_object_get(e, "rotate_reason")), "vendor_access");
	json_decref(e);
	cr_assert_eq(vault_tick(st, now + 10, &rep), 0);
	cr_assert_eq(json_array_size(rep), 1);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(rep, 0), "event")),
	                 "vault_rotation_due");
	cr_assert_eq(json_array_size(json_object_get(json_array_get(rep, 0), "to")), 2,
	             "both roles' holders");
	json_decref(rep);
	cr_assert_eq(vault_tick(st, now + 20, &rep), 0);
	cr_assert_eq(json_array_size(rep), 0, "once");
	json_decref(rep);
	cr_assert_eq(vault_tick(st, now + 3700, &rep), 0);
	cr_assert_eq(json_array_size(rep), 1);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(rep, 0), "event")),
	                 "vault_rotation_overdue");
	json_decref(rep);
	cr_assert_eq(vault_tick(st, now + 3700, &rep), 0);
	cr_assert_eq(json_array_size(rep), 0, "a second run at the same time sends nothing");
	json_decref(rep);
	cr_assert_eq(vault_tick(st, now + 3700 + 86400, &rep), 0);
	cr_assert_eq(json_array_size(rep), 1, "daily while overdue");
	json_decref(rep);
	cr_assert_eq(org_notifications(st, sys.user_id, 0, 50, &items, &next), 0);
	cr_assert_eq(json_array_size(items), 3);
	json_decref(items);
}

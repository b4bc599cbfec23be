/*
 * vault.c: the credential vault's rules (vault.h): the keys and their lifecycle (init,
 * unseal with the persistent failure count and lock, seal), the entries with their reveal
 * roles, the reveal record, vendor access and rotation, the generator, and the clock tick of
 * rotation reminders. All SQL is in vault_store.c; the socket of `isms vault unseal` in
 * control.c.
 *
 * The data key of an unsealed vault is the only long-lived secret in memory. It lives in one
 * sodium_malloc'd block per process (guard pages, mlock'd): read-only while unsealed,
 * PROT_NONE and zero while sealed. Readers hold the read lock while they use it; seal takes
 * the write lock, so no operation ever sees half a key. Short-lived copies (the key being
 * wrapped or unwrapped, the key derived from the passphrase, the uniqueness subkey) sit in
 * sodium_mlock'd stack buffers that sodium_munlock zeroes.
 */
#include "core/common.h"
#include "vault/vault_int.h"

#include "audit/audit.h"
#include "auth/password.h"
#include "auth/seal.h"
#include "core/actor.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/fs.h"
#include "core/log.h"
#include "core/util.h"
#include "org/org.h"
#include "store/calendar_store.h"
#include "store/store.h"

#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_MAGIC       "ISMSVK"
#define KEY_MAGIC_LEN   6
#define KEY_VERSION     0x01
#define KDF_ARGON2ID13  0x01
#define SALT_LEN        crypto_pwhash_SALTBYTES
#define KEY_HDR_LEN     (KEY_MAGIC_LEN + 1 + 1 + 8 + 8 + SALT_LEN)
#define KEY_WRAP_LEN    (VAULT_KEY_LEN + SEAL_OVERHEAD)
#define PASSPHRASE_MAX  1024 /* bytes, before NFKC */
#define OPS_MAX         32
#define MAC_CONTEXT     "ismsvmac" /* crypto_kdf context of the uniqueness subkey */
#define REMIND_BATCH    200
#define NAME_MAX_CP     100
#define SYSTEM_MAX_CP   100
#define HOST_MAX_CP     253
#define USERNAME_MAX_CP 128
#define NOTES_MAX_CP    2000
#define VENDOR_MAX_CP   100
#define NOTE_MAX_CP     500

_Static_assert(KEY_HDR_LEN + KEY_WRAP_LEN == VAULT_KEY_FILE_LEN, "vault.key layout");
_Static_assert(SALT_LEN == 16, "salt length");
_Static_assert(crypto_kdf_CONTEXTBYTES == sizeof(MAC_CONTEXT) - 1, "kdf context");

/* Roles that may be named as an entry's reveal roles. */
#define REVEAL_ROLES (ROLE_IT_STAFF | ROLE_SYS_ADMIN | ROLE_SECURITY_ADMIN)
#define READ_ROLES   (ROLE_IT_STAFF | ROLE_SYS_ADMIN | ROLE_SECURITY_ADMIN | ROLE_AUDIT_ADMIN)
#define WRITE_ROLES  (ROLE_IT_STAFF | ROLE_SYS_ADMIN)
#define UNSEAL_ROLES (ROLE_IT_STAFF | ROLE_SECURITY_ADMIN)
#define RECORD_ROLES (ROLE_SECURITY_ADMIN | ROLE_AUDIT_ADMIN)

static const char *const kinds[] = { "server",    "firewall", "router", "switch",
	                             "erp_admin", "oa_admin", "domain", "mail",
	                             "database",  "other",    NULL };

static const struct actor tick_actor = { .user_id = 0, .username = "system", .source = "vault" };

struct vault {
	pthread_rwlock_t lock;       /* key, unsealed, unsealed_at, unsealed_by */
	pthread_mutex_t unseal_lock; /* one init or unseal at a time: argon2id is heavy */
	char *keys_dir;
	unsigned char *key; /* sodium_malloc'd; PROT_NONE and zero while sealed */
	bool unsealed;
	int64_t unsealed_at;
	char unsealed_by[96];
};

/* --- the key in memory ----------------------------------------------------------------- */

struct vault *vault_new(const char *keys_dir)
{
	struct vault *v = xcalloc(1, sizeof(*v));

	pthread_rwlock_init(&v->lock, NULL);
	pthread_mutex_init(&v->unseal_lock, NULL);
	v->keys_dir = xstrdup(keys_dir);
	v->key = sodium_malloc(VAULT_KEY_LEN);
	if (!v->key) {
		log_error("out of memory for the vault key");
		abort();
	}
	sodium_memzero(v->key, VAULT_KEY_LEN);
	(void)sodium_mprotect_noaccess(v->key);
	return v;
}

/* Wipes the key; the caller holds the write lock. */
static void wipe_locked(struct vault *v)
{
	(void)sodium_mprotect_readwrite(v->key);
	sodium_memzero(v->key, VAULT_KEY_LEN);
	(void)sodium_mprotect_noaccess(v->key);
	v->unsealed = false;
	v->unsealed_at = 0;
	v->unsealed_by[0] = '\0';
}

static void install(struct vault *v, const unsigned char key[VAULT_KEY_LEN], const struct actor *a)
{
	pthread_rwlock_wrlock(&v->lock);
	(void)sodium_mprotect_readwrite(v->key);
	memcpy(v->key, key, VAULT_KEY_LEN);
	(void)sodium_mprotect_readonly(v->key);
	v->unsealed = true;
	v->unsealed_at = clock_now();
	(void)snprintf(v->unsealed_by, sizeof(v->unsealed_by), "%s",
	               a->username ? a->username : "");
	pthread_rwlock_unlock(&v->lock);
}

void vault_free(struct vault *v)
{
	if (!v)
		return;
	pthread_rwlock_wrlock(&v->lock);
	wipe_locked(v);
	pthread_rwlock_unlock(&v->lock);
	sodium_free(v->key); /* zeroes it again */
	pthread_rwlock_destroy(&v->lock);
	pthread_mutex_destroy(&v->unseal_lock);
	free(v->keys_dir);
	free(v);
}

bool vault_is_unsealed(struct vault *v)
{
	bool u;

	pthread_rwlock_rdlock(&v->lock);
	u = v->unsealed;
	pthread_rwlock_unlock(&v->lock);
	return u;
}

bool vault_key_wiped(struct vault *v)
{
	bool zero;

	pthread_rwlock_wrlock(&v->lock);
	(void)sodium_mprotect_readonly(v->key);
	zero = sodium_is_zero(v->key, VAULT_KEY_LEN) == 1;
	if (!v->unsealed)
		(void)sodium_mprotect_noaccess(v->key);
	pthread_rwlock_unlock(&v->lock);
	return zero;
}

static int sealed(struct problem *p)
{
	return problem_setf(p, ERR_CONFLICT, "vault_sealed", NULL,
	                    "the vault is sealed: unseal it with the vault passphrase first");
}

/* Takes the read lock and returns the key, or 409 vault_sealed (lock not held). */
static int key_acquire(struct vault *v, const unsigned char **ret_key, struct problem *p)
{
	pthread_rwlock_rdlock(&v->lock);
	if (!v->unsealed) {
		pthread_rwlock_unlock(&v->lock);
		return sealed(p);
	}
	*ret_key = v->key;
	return 0;
}

static void key_release(struct vault *v)
{
	pthread_rwlock_unlock(&v->lock);
}

/* --- the crypto ------------------------------------------------------------------------ */

static void free_secret(char *s)
{
	if (s) {
		sodium_memzero(s, strlen(s));
		free(s);
	}
}

/* The passphrase as the KDF sees it: NFKC, so the same words typed on another keyboard or
 * input method give the same key. NULL for text that cannot be a passphrase. */
static char *passphrase_norm(const char *pw)
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
	char *pw = passphrase_norm(passphrase);
	int r = 0;

	if (!pw)
		return -ERR_FORBIDDEN;
	if (crypto_pwhash(kek, VAULT_KEY_LEN, pw, strlen(pw), salt, ops, mem,
	                  crypto_pwhash_ALG_ARGON2ID13) != 0)
		r = log_error_errno(-ERR_INTERNAL, "argon2id: out of memory");
	free_secret(pw);
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

/* --- the key file ---------------------------------------------------------------------- */

/* Reads DIR/keys/vault.key: -ERR_NOT_FOUND, -ERR_FORBIDDEN (not a private regular file),
 * -ERR_INVALID (wrong size). */
static int key_file_read(const char *keys_dir, unsigned char out[VAULT_KEY_FILE_LEN])
{
	char *path = fs_join(keys_dir, VAULT_KEY_FILE);
	int r = fs_read_key(path, out, VAULT_KEY_FILE_LEN);

	free(path);
	return r;
}

static void key_file_id(const unsigned char file[VAULT_KEY_FILE_LEN], char out[65])
{
	unsigned char h[32];

	(void)crypto_generichash(h, sizeof(h), file, VAULT_KEY_FILE_LEN, NULL, 0);
	hex_encode(h, sizeof(h), out);
}

/* --- helpers ----------------------------------------------------------------------------- */

static bool has_role(const struct actor *a, unsigned roles)
{
	return (a->roles & roles) != 0;
}

static int forbidden(struct problem *p)
{
	return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
}

static void object_of(int64_t id, char out[40])
{
	(void)snprintf(out, 40, "vault_entry:%" PRId64, id);
}

static json_t *time_json(int64_t t)
{
	return json_time_or_null(t);
}

static int locked(struct problem *p, int64_t until)
{
	char t[RFC3339_LEN];
	int r;

	time_format_rfc3339(until, t);
	r = problem_setf(p, ERR_LOCKED, "vault_locked", NULL,
	                 "%d wrong passphrases in a row locked the vault until %s",
	                 VAULT_MAX_FAILURES, t);
	if (p)
		p->until = until;
	return r;
}

static int key_invalid(struct problem *p, const char *why)
{
	return problem_setf(p, ERR_CONFLICT, "vault_key_invalid", NULL,
	                    "%s; restore keys/vault.key from the backup of the keys folder", why);
}

/* Appends an audit entry in the caller's transaction; consumes the JSON values. */
static int audit_take(struct store *st, const struct actor *a, const char *action,
                      const char *object, json_t *before, json_t *after, json_t *detail)
{
	int r = audit_append(st, &(struct audit_event){ .actor = a,
	                                                .action = action,
	                                                .object = object,
	                                                .before = before,
	                                                .after = after,
	                                                .detail = detail });

	json_decref(before);
	json_decref(after);
	json_decref(detail);
	return r;
}

/* Audits a refused or failed vault operation in its own transaction. */
static void audit_refusal(struct store *st, const struct actor *a, const char *action,
                          const char *object, const char *outcome, json_t *detail_take)
{
	if (audit_record(st, &(struct audit_event){ .actor = a,
	                                            .action = action,
	                                            .object = object,
	                                            .outcome = outcome,
	                                            .detail = detail_take }) < 0)
		log_warn("cannot record '%s' in the audit trail", action);
	json_decref(detail_take);
}

/* Same UTC day and time a calendar year later; 29 February becomes 28 February. */
static int64_t add_year(int64_t t)
{
	int32_t day = (int32_t)((t >= 0 ? t : t - 86399) / 86400);
	int64_t sec = t - (int64_t)day * 86400;
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	if (m == 2 && d == 29)
		d = 28;
	return (int64_t)days_from_civil(y + 1, m, d) * 86400 + sec;
}

static int64_t notice_of(const char *reason)
{
	return strcmp(reason, "vendor_access") == 0 ? VAULT_VENDOR_DUE : VAULT_NOTICE_YEARLY;
}

/* The API's view of a raw entry row (consumes row). */
static json_t *entry_view(json_t *row, int64_t now)
{
	static const char *const times[] = { "rotated_at", "rotate_due_at", "vendor_access_at",
		                             "created_at", NULL };
	int64_t due = json_integer_value(json_object_get(row, "rotate_due_at"));
	const char *reason = json_string_value(json_object_get(row, "rotate_reason"));
	const char *const *k;

	json_object_set_new(row, "rotation_status",
	                    json_string(now >= due                                     ? "overdue"
	                                : due - now <= notice_of(reason ? reason : "") ? "due_soon"
	                                                                               : "ok"));
	for (k = times; *k; k++)
		json_object_set_new(row, *k,
		                    time_json(json_integer_value(json_object_get(row, *k))));
	json_object_del(row, "remind_level");
	json_object_del(row, "next_remind_at");
	return row;
}

/* --- status, init, unseal, seal -------------------------------------------------------- */

int vault_status(struct vault *v, struct store *st, const struct actor *a, json_t **ret,
                 struct problem *p)
{
	struct vault_meta m = { 0 };
	bool initialized, unsealed;
	int64_t now = clock_now(), at;
	char by[sizeof(v->unsealed_by)];
	bool lock_on;
	int r;

	if (a->user_id != 0 && !has_role(a, READ_ROLES))
		return forbidden(p);
	r = vault_store_meta_load(st, &m);
	if (r < 0 && r != -ERR_NOT_FOUND)
		return r;
	initialized = r == 0;
	pthread_rwlock_rdlock(&v->lock);
	unsealed = v->unsealed && initialized;
	at = v->unsealed_at;
	memcpy(by, v->unsealed_by, sizeof(by));
	pthread_rwlock_unlock(&v->lock);
	lock_on = m.locked_until > now;
	/* A lock that has run out starts a fresh count (pam_faillock). */
	*ret = json_pack("{s:s, s:o, s:o, s:i, s:o, s:o}", "state",
	                 !initialized ? "uninitialized"
	                 : unsealed   ? "unsealed"
	                              : "sealed",
	                 "unsealed_at", unsealed ? time_json(at) : json_null(), "unsealed_by",
	                 unsealed ? json_string(by) : json_null(), "failures",
	                 m.locked_until && !lock_on ? 0 : m.failures, "locked_until",
	                 lock_on ? time_json(m.locked_until) : json_null(), "initialized_at",
	                 initialized ? time_json(m.created_at) : json_null());
	return 0;
}

static int passphrase_check(const struct password_policy *pol, const struct actor *a,
                            const char *passphrase, struct problem *p)
{
	char *norm = passphrase_norm(passphrase);
	int r = 0;

	if (!norm)
		return problem_setf(p, ERR_INVALID, "weak_password", "passphrase",
		                    "must be text without control characters");
	if (utf8_count(norm) < VAULT_PASSPHRASE_MIN)
		r = problem_setf(p, ERR_INVALID, "weak_password", "passphrase",
		                 "at least %d characters", VAULT_PASSPHRASE_MIN);
	if (r == 0) {
		r = password_check(pol, norm, &(struct password_context){ .username = a->username },
		                   p);
		if (r < 0 && p)
			p->field = "passphrase";
	}
	free_secret(norm);
	return r;
}

/* Keeps a key file that no database row points at (never destroy key material). */
static void keep_orphan(const char *path, int64_t now)
{
	char *old;

	if (!fs_exists(path))
		return;
	old = xasprintf("%s.orphan-%" PRId64, path, now);
	if (rename(path, old) != 0)
		log_warn("cannot move the unused '%s' aside", path);
	else
		log_warn("kept an unused vault key file as '%s'", old);
	free(old);
}

int vault_init(struct vault *v, struct store *st, const struct actor *a,
               const struct password_policy *pol, const char *passphrase, json_t **ret_status,
               struct problem *p)
{
	unsigned char key[VAULT_KEY_LEN], file[VAULT_KEY_FILE_LEN];
	struct vault_meta m;
	char id[65], *path = NULL;
	bool wrote = false, began = false;
	int64_t now = clock_now(), n = 0;
	int r;

	if (a->user_id != 0 && !has_role(a, ROLE_SECURITY_ADMIN))
		return forbidden(p);
	r = passphrase_check(pol, a, passphrase, p);
	if (r < 0)
		return r;
	(void)sodium_mlock(key, sizeof(key));
	pthread_mutex_lock(&v->unseal_lock);
	path = fs_join(v->keys_dir, VAULT_KEY_FILE);
	r = store_begin(st);
	if (r < 0)
		goto out;
	began = true;
	r = vault_store_meta_load(st, &m);
	if (r == 0) {
		r = problem_setf(p, ERR_CONFLICT, "vault_initialized", NULL,
		                 "the vault is initialized already");
		goto out;
	}
	if (r != -ERR_NOT_FOUND)
		goto out;
	r = vault_store_entry_count(st, &n);
	if (r == 0 && n > 0)
		r = key_invalid(p, "entries exist but the vault has no key record");
	if (r < 0)
		goto out;
	randombytes_buf(key, sizeof(key));
	r = vault_key_wrap(passphrase, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                   crypto_pwhash_MEMLIMIT_INTERACTIVE, key, file);
	if (r == -ERR_INVALID)
		r = problem_setf(p, ERR_INVALID, "weak_password", "passphrase",
		                 "must be text without control characters");
	if (r < 0)
		goto out;
	r = fs_mkdir(v->keys_dir, 0700);
	if (r < 0)
		goto out;
	keep_orphan(path, now);
	r = fs_write_atomic(path, file, sizeof(file), 0600);
	if (r < 0) {
		log_error("cannot write '%s'", path);
		goto out;
	}
	wrote = true;
	key_file_id(file, id);
	r = vault_store_meta_insert(st, id, now, a->username ? a->username : "");
	if (r == 0)
		r = audit_take(st, a, "vault.init", "vault", NULL, NULL,
		               json_pack("{s:s, s:s, s:I, s:I}", "kdf", "argon2id13", "cipher",
		                         "xchacha20poly1305", "opslimit",
		                         (json_int_t)crypto_pwhash_OPSLIMIT_INTERACTIVE, "memlimit",
		                         (json_int_t)crypto_pwhash_MEMLIMIT_INTERACTIVE));
out:
	if (began)
		r = store_end(st, r);
	if (r < 0 && wrote)
		(void)unlink(path);
	if (r == 0)
		install(v, key, a);
	pthread_mutex_unlock(&v->unseal_lock);
	(void)sodium_munlock(key, sizeof(key));
	sodium_memzero(file, sizeof(file));
	free(path);
	if (r == 0 && ret_status)
		r = vault_status(v, st, a, ret_status, p);
	return r;
}

/* Counts a wrong passphrase; locks at the 5th. Returns the error the caller answers. */
static int unseal_failed(struct store *st, const struct actor *a, int64_t now, struct problem *p)
{
	struct vault_meta m;
	int64_t until = 0;
	char t[RFC3339_LEN];
	int r, fails = 0;

	r = store_begin(st);
	if (r < 0)
		return r;
	r = vault_store_meta_load(st, &m);
	if (r < 0)
		goto out;
	fails = (m.locked_until && m.locked_until <= now ? 0 : m.failures) + 1;
	if (fails >= VAULT_MAX_FAILURES)
		until = now + VAULT_LOCK_SECONDS;
	r = vault_store_meta_failures(st, fails, now, until);
	if (r == 0) {
		json_t *d =
		        json_pack("{s:s, s:i}", "reason", "wrong_passphrase", "failures", fails);

		r = audit_append(st, &(struct audit_event){ .actor = a,
		                                            .action = "vault.unseal_failed",
		                                            .object = "vault",
		                                            .outcome = "failure",
		                                            .detail = d });
		json_decref(d);
	}
	if (r == 0 && until) {
		json_t *params;

		time_format_rfc3339(until, t);
		params = json_pack("{s:s, s:i, s:s, s:s}", "until", t, "failures", fails, "actor",
		                   a->username ? a->username : "", "source",
		                   a->source ? a->source : "");
		r = audit_append(st, &(struct audit_event){ .actor = a,
		                                            .action = "vault.locked",
		                                            .object = "vault",
		                                            .outcome = "failure",
		                                            .detail = params });
		if (r == 0)
			r = org_notify_role(st, ROLE_SECURITY_ADMIN, "vault.locked", params);
		json_decref(params);
	}
out:
	r = store_end(st, r);
	if (r < 0)
		return r;
	if (until)
		return locked(p, until);
	return problem_setf(p, ERR_FORBIDDEN, "wrong_passphrase", "passphrase",
	                    "%d attempt(s) left before the vault locks for 15 minutes",
	                    VAULT_MAX_FAILURES - fails);
}

int vault_unseal(struct vault *v, struct store *st, const struct actor *a, const char *passphrase,
                 json_t **ret_status, struct problem *p)
{
	unsigned char key[VAULT_KEY_LEN], file[VAULT_KEY_FILE_LEN];
	struct vault_meta m;
	char id[65];
	int64_t now;
	int r;

	if (a->user_id != 0 && !has_role(a, UNSEAL_ROLES))
		return forbidden(p);
	(void)sodium_mlock(key, sizeof(key));
	pthread_mutex_lock(&v->unseal_lock);
	now = clock_now();
	r = vault_store_meta_load(st, &m);
	if (r == -ERR_NOT_FOUND)
		r = problem_setf(p, ERR_CONFLICT, "vault_uninitialized", NULL,
		                 "the vault has no key yet: initialize it first");
	if (r < 0)
		goto out;
	if (m.locked_until > now) {
		/* Refused without trying the passphrase, and not counted (pam_faillock). */
		audit_refusal(st, a, "vault.unseal_failed", "vault", "denied",
		              json_pack("{s:s}", "reason", "locked"));
		r = locked(p, m.locked_until);
		goto out;
	}
	r = key_file_read(v->keys_dir, file);
	if (r == 0) {
		key_file_id(file, id);
		if (sodium_memcmp(id, m.key_id, sizeof(id)) != 0)
			r = -ERR_INVALID;
	}
	if (r < 0) {
		log_error("'%s/%s' is %s", v->keys_dir, VAULT_KEY_FILE,
		          r == -ERR_NOT_FOUND   ? "missing"
		          : r == -ERR_FORBIDDEN ? "not a private file (mode 0600)"
		                                : "not the key of this database");
		audit_refusal(st, a, "vault.unseal_failed", "vault", "failure",
		              json_pack("{s:s}", "reason", "key_invalid"));
		r = key_invalid(
		        p, r == -ERR_NOT_FOUND ? "keys/vault.key is missing"
		           : r == -ERR_FORBIDDEN
		                   ? "keys/vault.key must be a private file (chmod 600)"
		                   : "keys/vault.key is damaged or not the key of this database");
		goto out;
	}
	r = vault_key_unwrap(file, sizeof(file), passphrase, key);
	if (r == -ERR_FORBIDDEN) {
		r = unseal_failed(st, a, now, p);
		goto out;
	}
	if (r == -ERR_INVALID)
		r = key_invalid(p, "keys/vault.key is damaged");
	if (r < 0)
		goto out;
	r = store_begin(st);
	if (r < 0)
		goto out;
	r = vault_store_meta_failures(st, 0, 0, 0);
	if (r == 0)
		r = audit_append(st, &(struct audit_event){ .actor = a,
		                                            .action = "vault.unseal",
		                                            .object = "vault" });
	r = store_end(st, r);
	if (r == 0)
		install(v, key, a);
out:
	pthread_mutex_unlock(&v->unseal_lock);
	(void)sodium_munlock(key, sizeof(key));
	sodium_memzero(file, sizeof(file));
	if (r == 0 && ret_status)
		r = vault_status(v, st, a, ret_status, p);
	return r;
}

int vault_seal(struct vault *v, struct store *st, const struct actor *a, json_t **ret_status,
               struct problem *p)
{
	bool was;
	int r;

	if (a->user_id != 0 && !has_role(a, UNSEAL_ROLES))
		return forbidden(p);
	r = store_begin(st);
	if (r < 0)
		return r;
	pthread_rwlock_wrlock(&v->lock);
	was = v->unsealed;
	wipe_locked(v);
	pthread_rwlock_unlock(&v->lock);
	r = audit_take(st, a, "vault.seal", "vault", NULL, NULL,
	               json_pack("{s:s}", "was", was ? "unsealed" : "sealed"));
	r = store_end(st, r);
	if (r == 0 && ret_status)
		r = vault_status(v, st, a, ret_status, p);
	return r;
}

/* --- input ------------------------------------------------------------------------------- */

static bool key_allowed(const char *key, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strcmp(*allowed, key) == 0)
			return true;
	return false;
}

static int only(json_t *in, const char *const *allowed, struct problem *p)
{
	const char *key;
	json_t *v;

	if (!json_is_object(in))
		return problem_setf(p, ERR_INVALID, "invalid_json", NULL, "send a JSON object");
	json_object_foreach(in, key, v) {
		if (!key_allowed(key, allowed))
			return problem_setf(p, ERR_INVALID, "unknown_field", NULL,
			                    "'%.60s' is not accepted here", key);
	}
	return 0;
}

/* A text member of at most max code points (required: at least one). multiline allows
 * tab, CR and LF. *ret is borrowed (NULL when absent and not required). */
static int text(json_t *in, const char *key, bool required, size_t max, bool multiline,
                const char **ret, struct problem *p)
{
	json_t *v = json_object_get(in, key);
	const char *s;
	size_t n;

	*ret = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return problem_setf(p, ERR_INVALID, "invalid", key, "required");
		return 0;
	}
	if (!json_is_string(v))
		return problem_setf(p, ERR_INVALID, "invalid", key, "must be text");
	s = json_string_value(v);
	n = json_string_length(v);
	if (strlen(s) != n || !utf8_valid(s, n, multiline))
		return problem_setf(p, ERR_INVALID, "invalid", key,
		                    "must be text without control characters");
	if (required && n == 0)
		return problem_setf(p, ERR_INVALID, "invalid", key, "must not be empty");
	if (utf8_count(s) > max)
		return problem_setf(p, ERR_INVALID, "invalid", key, "at most %zu characters", max);
	*ret = s;
	return 0;
}

static int kind_check(const char *kind, struct problem *p)
{
	const char *const *k;

	for (k = kinds; *k; k++)
		if (strcmp(*k, kind) == 0)
			return 0;
	return problem_setf(p, ERR_INVALID, "invalid", "kind",
	                    "one of server, firewall, router, switch, erp_admin, oa_admin, "
	                    "domain, mail, database, other");
}

/* The entry's text fields: on create all of them (name and kind required), on an update
 * those given (name and kind then not empty), f keeping the others; then the kind is checked. */
static const struct {
	const char *key;
	size_t max;
	bool required, multiline;
	size_t at;
} entry_texts[] = {
	{ "name", NAME_MAX_CP, true, false, offsetof(struct vault_entry_fields, name) },
	{ "kind", 32, true, false, offsetof(struct vault_entry_fields, kind) },
	{ "system", SYSTEM_MAX_CP, false, false, offsetof(struct vault_entry_fields, system) },
	{ "host", HOST_MAX_CP, false, false, offsetof(struct vault_entry_fields, host) },
	{ "username", USERNAME_MAX_CP, false, false,
	  offsetof(struct vault_entry_fields, username) },
	{ "notes", NOTES_MAX_CP, false, true, offsetof(struct vault_entry_fields, notes) },
};

static int entry_text_fields(json_t *in, bool create, struct vault_entry_fields *f,
                             struct problem *p)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(entry_texts); i++) {
		const char *key = entry_texts[i].key, *s;
		bool required = entry_texts[i].required && (create || json_object_get(in, key));
		int r = text(in, key, required, entry_texts[i].max, entry_texts[i].multiline, &s,
		             p);

		if (r < 0)
			return r;
		if (create || s)
			*(const char **)((char *)f + entry_texts[i].at) = s;
	}
	return kind_check(f->kind, p);
}

/* reveal_roles: 1..3 distinct names of it_staff, sys_admin, security_admin. *ret_text is the
 * canonical JSON array (caller frees), *ret_bits the ROLE_* bits. */
static int roles_parse(json_t *v, char **ret_text, unsigned *ret_bits, struct problem *p)
{
	unsigned bits = 0, b;
	json_t *arr, *e;
	size_t i;

	if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 3)
		goto bad;
	json_array_foreach(v, i, e) {
		b = json_is_string(e) ? role_from_name(json_string_value(e)) : 0;
		if (!(b & REVEAL_ROLES) || (bits & b))
			goto bad;
		bits |= b;
	}
	arr = json_array();
	for (b = 1; b && b <= REVEAL_ROLES; b <<= 1)
		if (bits & b)
			json_array_append_new(arr, json_string(role_name(b)));
	*ret_text = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	*ret_bits = bits;
	return 0;
bad:
	return problem_setf(p, ERR_INVALID, "invalid", "reveal_roles",
	                    "1 to 3 different roles of it_staff, sys_admin, security_admin");
}

/*
 * The new secret of a create or rotate: {"secret": "..."} (checked like a password) or
 * {"generate": {"length"?}}. *ret_secret (caller wipes and frees), *ret_generated.
 */
static int secret_input(const struct password_policy *pol, json_t *in, const char *username,
                        char **ret_secret, bool *ret_generated, struct problem *p)
{
	json_t *sv = json_object_get(in, "secret"), *gv = json_object_get(in, "generate"), *lv;
	static const char *const gen_keys[] = { "length", NULL };
	const char *s;
	json_int_t len;
	int r;

	if (sv && json_is_null(sv))
		sv = NULL;
	if (gv && json_is_null(gv))
		gv = NULL;
	if ((sv == NULL) == (gv == NULL))
		return problem_setf(p, ERR_INVALID, "invalid", "secret",
		                    "give either \"secret\" or \"generate\"");
	if (gv) {
		if (!json_is_object(gv))
			return problem_setf(p, ERR_INVALID, "invalid", "generate",
			                    "an object {\"length\"?}");
		r = only(gv, gen_keys, p);
		if (r < 0) {
			if (p)
				p->field = "generate";
			return r;
		}
		lv = json_object_get(gv, "length");
		if (lv && !json_is_integer(lv))
			return problem_setf(p, ERR_INVALID, "invalid", "generate.length",
			                    "a whole number from %d to %d", VAULT_GENERATE_MIN,
			                    VAULT_GENERATE_MAX);
		len = lv ? json_integer_value(lv) : VAULT_GENERATE_DEFAULT;
		if (len < VAULT_GENERATE_MIN || len > VAULT_GENERATE_MAX)
			return problem_setf(p, ERR_INVALID, "invalid", "generate.length",
			                    "a whole number from %d to %d", VAULT_GENERATE_MIN,
			                    VAULT_GENERATE_MAX);
		r = vault_generate(pol, (int)len, ret_secret, p);
		if (r == 0)
			*ret_generated = true;
		return r;
	}
	r = text(in, "secret", true, VAULT_SECRET_MAX, false, &s, p);
	if (r < 0)
		return r;
	r = password_check(pol, s, &(struct password_context){ .username = username }, p);
	if (r < 0) {
		if (p)
			p->field = "secret";
		return r;
	}
	*ret_secret = xstrdup(s);
	*ret_generated = false;
	return 0;
}

/* Wipes a secret member of a request body once it has been read (jansson's copy). */
static void wipe_member(json_t *in, const char *key)
{
	json_t *v = json_object_get(in, key);

	if (json_is_string(v))
		sodium_memzero((char *)(uintptr_t)json_string_value(v), json_string_length(v));
}

/* --- entries ----------------------------------------------------------------------------- */

int vault_entry_list(struct store *st, const struct actor *a, const char *kind, int64_t after,
                     int limit, json_t **ret_items, int64_t *ret_next, struct problem *p)
{
	json_t *rows = NULL, *e, *items;
	int64_t now = clock_now();
	size_t i;
	int r;

	if (a->user_id != 0 && !has_role(a, READ_ROLES))
		return forbidden(p);
	if (kind && kind_check(kind, p) < 0)
		return -ERR_INVALID;
	if (limit < 1 || limit > 500)
		limit = 50;
	r = vault_store_entry_list(st, kind, after, limit, &rows);
	if (r < 0)
		return r;
	items = json_array();
	json_array_foreach(rows, i, e) {
		json_array_append_new(items, entry_view(json_incref(e), now));
	}
	*ret_next = json_array_size(rows) == (size_t)limit
	                    ? json_integer_value(json_object_get(json_array_get(rows, i - 1), "id"))
	                    : 0;
	json_decref(rows);
	*ret_items = items;
	return 0;
}

int vault_entry_get(struct store *st, const struct actor *a, int64_t id, json_t **ret,
                    struct problem *p)
{
	struct vault_entry e = { 0 };
	int r;

	if (a->user_id != 0 && !has_role(a, READ_ROLES))
		return forbidden(p);
	r = vault_store_entry_load(st, id, &e);
	if (r == -ERR_NOT_FOUND)
		return problem_set(p, ERR_NOT_FOUND, "not_found", NULL);
	if (r < 0)
		return r;
	*ret = entry_view(json_incref(e.row), clock_now());
	vault_entry_release(&e);
	return 0;
}

/* Checks that no entry (other than none) already has this secret: 409 secret_reused. */
static int unique_secret(struct store *st, const unsigned char mac[VAULT_MAC_LEN],
                         struct problem *p)
{
	int64_t owner = 0;
	int r = vault_store_mac_owner(st, mac, &owner);

	if (r < 0)
		return r;
	if (r > 0)
		return problem_setf(p, ERR_CONFLICT, "secret_reused", "secret",
		                    "another vault entry (or this one) already has this password: "
		                    "use a new one");
	return 0;
}

static int name_free(struct store *st, const char *name, int64_t self, struct problem *p)
{
	int64_t owner = 0;
	int r = vault_store_name_owner(st, name, &owner);

	if (r < 0)
		return r;
	if (r > 0 && owner != self)
		return problem_setf(p, ERR_CONFLICT, "name_taken", "name",
		                    "a vault entry with this name exists");
	return 0;
}

/* {"entry": view, "secret": s (only when generated)}; consumes row. */
static json_t *answer(json_t *row, const char *generated)
{
	json_t *o = json_pack("{s:o}", "entry", entry_view(row, clock_now()));

	if (generated)
		json_object_set_new(o, "secret", json_string(generated));
	return o;
}

int vault_entry_create(struct vault *v, struct store *st, const struct actor *a,
                       const struct password_policy *pol, json_t *in, json_t **ret,
                       struct problem *p)
{
	static const char *const allowed[] = { "name",  "kind",     "system",
		                               "host",  "username", "reveal_roles",
		                               "notes", "secret",   "generate",
		                               NULL };
	struct vault_entry_fields f = { 0 };
	struct vault_entry e = { 0 };
	unsigned char mac[VAULT_MAC_LEN], *blob = NULL;
	const unsigned char *key = NULL;
	char *roles = NULL, *secret = NULL, object[40];
	bool generated = false, keyed = false, began = false, refused = false;
	int64_t now = clock_now(), due, id = 0;
	unsigned bits = 0;
	size_t blen = 0;
	int r;

	if (a->user_id == 0 || !has_role(a, WRITE_ROLES))
		return forbidden(p);
	r = only(in, allowed, p);
	if (r == 0)
		r = entry_text_fields(in, true, &f, p);
	if (r == 0)
		r = roles_parse(json_object_get(in, "reveal_roles"), &roles, &bits, p);
	if (r < 0)
		goto out;
	f.reveal_roles = roles;
	if (!vault_is_unsealed(v)) {
		r = sealed(p);
		goto out;
	}
	r = secret_input(pol, in, f.username, &secret, &generated, p);
	if (r < 0)
		goto out;
	r = key_acquire(v, &key, p);
	if (r < 0)
		goto out;
	keyed = true;
	vault_secret_mac(key, secret, strlen(secret), mac);
	r = store_begin(st);
	if (r < 0)
		goto out;
	began = true;
	r = name_free(st, f.name, 0, p);
	if (r == 0) {
		r = unique_secret(st, mac, p);
		refused = r < 0;
	}
	if (r < 0)
		goto out;
	due = add_year(now);
	r = vault_store_entry_insert(st, &f, mac, now, due, due - VAULT_NOTICE_YEARLY, a->user_id,
	                             &id);
	if (r < 0)
		goto out;
	vault_secret_seal(key, id, secret, strlen(secret), &blob, &blen);
	r = vault_store_entry_set_secret(st, id, blob, blen);
	if (r == 0)
		r = vault_store_entry_load(st, id, &e);
	if (r < 0)
		goto out;
	object_of(id, object);
	r = audit_take(st, a, "vault.entry_create", object, NULL,
	               entry_view(json_deep_copy(e.row), now),
	               json_pack("{s:b}", "generated", generated));
out:
	if (began)
		r = store_end(st, r);
	if (keyed)
		key_release(v);
	if (refused)
		audit_refusal(st, a, "vault.entry_create", NULL, "denied",
		              json_pack("{s:s, s:s}", "code", "secret_reused", "name", f.name));
	if (r == 0)
		*ret = answer(json_incref(e.row), generated ? secret : NULL);
	wipe_member(in, "secret");
	free_secret(secret);
	free(blob);
	free(roles);
	vault_entry_release(&e);
	return r;
}

/* Loads an entry that the actor may act on as one of its reveal roles. */
static int load_for_holder(struct store *st, const struct actor *a, int64_t id,
                           struct vault_entry *ret, struct problem *p)
{
	int r = vault_store_entry_load(st, id, ret);

	if (r == -ERR_NOT_FOUND)
		return problem_set(p, ERR_NOT_FOUND, "not_found", NULL);
	if (r < 0)
		return r;
	if (!(a->roles & ret->roles)) {
		vault_entry_release(ret);
		return problem_setf(p, ERR_FORBIDDEN, "forbidden", NULL,
		                    "only the roles named on the entry may do this");
	}
	return 0;
}

static int version_of(json_t *in, int64_t *ret, struct problem *p)
{
	json_t *v = json_object_get(in, "version");

	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return problem_setf(p, ERR_INVALID, "invalid", "version",
		                    "the entry's version, as read");
	*ret = json_integer_value(v);
	return 0;
}

static int stale(struct problem *p)
{
	return problem_set(p, ERR_CONFLICT, "stale_version", "version");
}

int vault_entry_update(struct store *st, const struct actor *a, int64_t id, json_t *in,
                       json_t **ret, struct problem *p)
{
	static const char *const allowed[] = { "version",      "name",  "kind",
		                               "system",       "host",  "username",
		                               "reveal_roles", "notes", NULL };
	struct vault_entry e = { 0 }, after = { 0 };
	struct vault_entry_fields f = { 0 };
	char *roles = NULL, object[40];
	int64_t version = 0, now = clock_now();
	unsigned bits = 0;
	json_t *rv;
	int r;

	if (a->user_id == 0 || !has_role(a, WRITE_ROLES))
		return forbidden(p);
	r = only(in, allowed, p);
	if (r == 0)
		r = version_of(in, &version, p);
	if (r == 0)
		r = load_for_holder(st, a, id, &e, p);
	if (r < 0)
		return r;
	f.name = json_string_value(json_object_get(e.row, "name"));
	f.kind = json_string_value(json_object_get(e.row, "kind"));
	f.system = json_string_value(json_object_get(e.row, "system"));
	f.host = json_string_value(json_object_get(e.row, "host"));
	f.username = json_string_value(json_object_get(e.row, "username"));
	f.notes = json_string_value(json_object_get(e.row, "notes"));
	r = entry_text_fields(in, false, &f, p);
	rv = json_object_get(in, "reveal_roles");
	if (r == 0)
		r = roles_parse(rv ? rv : json_object_get(e.row, "reveal_roles"), &roles, &bits, p);
	if (r < 0)
		goto out;
	f.reveal_roles = roles;
	r = store_begin(st);
	if (r < 0)
		goto out;
	r = name_free(st, f.name, id, p);
	if (r == 0) {
		r = vault_store_entry_update(st, id, version, &f);
		if (r == -ERR_CONFLICT)
			r = stale(p);
	}
	if (r == 0)
		r = vault_store_entry_load(st, id, &after);
	if (r == 0) {
		object_of(id, object);
		r = audit_take(st, a, "vault.entry_update", object,
		               entry_view(json_deep_copy(e.row), now),
		               entry_view(json_deep_copy(after.row), now), NULL);
	}
	r = store_end(st, r);
	if (r == 0)
		*ret = entry_view(json_incref(after.row), now);
out:
	free(roles);
	vault_entry_release(&e);
	vault_entry_release(&after);
	return r;
}

int vault_entry_rotate(struct vault *v, struct store *st, const struct actor *a,
                       const struct password_policy *pol, int64_t id, json_t *in, json_t **ret,
                       struct problem *p)
{
	static const char *const allowed[] = { "version", "secret", "generate", NULL };
	struct vault_entry e = { 0 }, after = { 0 };
	unsigned char mac[VAULT_MAC_LEN], *blob = NULL;
	const unsigned char *key = NULL;
	char *secret = NULL, object[40];
	bool generated = false, keyed = false, began = false, refused = false;
	int64_t version = 0, now = clock_now(), due;
	size_t blen = 0;
	int r;

	r = only(in, allowed, p);
	if (r == 0)
		r = version_of(in, &version, p);
	if (r == 0)
		r = load_for_holder(st, a, id, &e, p);
	if (r < 0)
		goto out;
	if (!vault_is_unsealed(v)) {
		r = sealed(p);
		goto out;
	}
	r = secret_input(pol, in, json_string_value(json_object_get(e.row, "username")), &secret,
	                 &generated, p);
	if (r < 0)
		goto out;
	r = key_acquire(v, &key, p);
	if (r < 0)
		goto out;
	keyed = true;
	vault_secret_mac(key, secret, strlen(secret), mac);
	vault_secret_seal(key, id, secret, strlen(secret), &blob, &blen);
	r = store_begin(st);
	if (r < 0)
		goto out;
	began = true;
	r = unique_secret(st, mac, p);
	refused = r < 0;
	if (r < 0)
		goto out;
	due = add_year(now);
	r = vault_store_entry_rotate(st, id, version, blob, blen, mac, now, due,
	                             due - VAULT_NOTICE_YEARLY);
	if (r == -ERR_CONFLICT)
		r = stale(p);
	if (r == 0)
		r = vault_store_entry_load(st, id, &after);
	if (r < 0)
		goto out;
	object_of(id, object);
	r = audit_take(st, a, "vault.rotate", object, entry_view(json_deep_copy(e.row), now),
	               entry_view(json_deep_copy(after.row), now),
	               json_pack("{s:b}", "generated", generated));
out:
	if (began)
		r = store_end(st, r);
	if (keyed)
		key_release(v);
	if (refused) {
		object_of(id, object);
		audit_refusal(st, a, "vault.rotate", object, "denied",
		              json_pack("{s:s}", "code", "secret_reused"));
	}
	if (r == 0)
		*ret = answer(json_incref(after.row), generated ? secret : NULL);
	if (in)
		wipe_member(in, "secret");
	free_secret(secret);
	free(blob);
	vault_entry_release(&e);
	vault_entry_release(&after);
	return r;
}

int vault_entry_reveal(struct vault *v, struct store *st, const struct actor *a, int64_t id,
                       const char *reason, char **ret_secret, struct problem *p)
{
	struct vault_entry e = { 0 };
	const unsigned char *key = NULL;
	char *secret = NULL, object[40];
	int64_t now = clock_now();
	size_t n;
	int r;

	r = load_for_holder(st, a, id, &e, p);
	if (r < 0)
		return r;
	object_of(id, object);
	n = reason ? strlen(reason) : 0;
	if (!reason || !utf8_valid(reason, n, true) || utf8_count(reason) < VAULT_REASON_MIN ||
	    utf8_count(reason) > VAULT_REASON_MAX) {
		r = problem_setf(p, ERR_INVALID, "invalid", "reason",
		                 "say why, in %d to %d characters", VAULT_REASON_MIN,
		                 VAULT_REASON_MAX);
		goto out;
	}
	r = key_acquire(v, &key, p);
	if (r < 0)
		goto out;
	r = vault_secret_open(key, id, e.secret, e.secret_len, &secret);
	key_release(v);
	if (r < 0) {
		log_error("vault entry %" PRId64 " cannot be opened: its sealed secret is damaged "
		          "or was moved from another entry",
		          id);
		audit_refusal(st, a, "vault.reveal", object, "failure",
		              json_pack("{s:s, s:s}", "reason", reason, "error", "damaged"));
		r = -ERR_INTERNAL;
		goto out;
	}
	r = store_begin(st);
	if (r < 0)
		goto out;
	r = vault_store_reveal_insert(st, id, a->user_id, a->username, reason, a->source, now);
	if (r == 0)
		r = audit_take(st, a, "vault.reveal", object, NULL, NULL,
		               json_pack("{s:s, s:I, s:O}", "reason", reason, "entry_id",
		                         (json_int_t)id, "name", json_object_get(e.row, "name")));
	r = store_end(st, r);
	if (r == 0) {
		*ret_secret = secret;
		secret = NULL;
	}
out:
	free_secret(secret);
	vault_entry_release(&e);
	return r;
}

int vault_entry_vendor_access(struct store *st, const struct actor *a, int64_t id, json_t *in,
                              json_t **ret, struct problem *p)
{
	static const char *const allowed[] = { "vendor", "note", NULL };
	struct vault_entry e = { 0 }, after = { 0 };
	const char *vendor = NULL, *note = NULL, *reason;
	int64_t now = clock_now(), due, next;
	char object[40];
	int level, r;

	r = only(in, allowed, p);
	if (r == 0)
		r = text(in, "vendor", true, VENDOR_MAX_CP, false, &vendor, p);
	if (r == 0)
		r = text(in, "note", false, NOTE_MAX_CP, true, &note, p);
	if (r == 0)
		r = load_for_holder(st, a, id, &e, p);
	if (r < 0)
		return r;
	r = store_begin(st);
	if (r < 0)
		goto out;
	/* Re-read inside the transaction: the due time is decided on the current row. */
	vault_entry_release(&e);
	r = vault_store_entry_load(st, id, &e);
	if (r < 0)
		goto end;
	due = e.rotate_due_at;
	reason = json_string_value(json_object_get(e.row, "rotate_reason"));
	level = e.remind_level;
	next = e.next_remind_at;
	/* Within the hour, unless it was due earlier still (never later than it was). */
	if (now + VAULT_VENDOR_DUE < due) {
		due = now + VAULT_VENDOR_DUE;
		reason = "vendor_access";
		level = 0;
		next = now; /* the "rotate within the hour" reminder goes out at the next tick */
	}
	r = vault_store_entry_vendor(st, id, vendor, note, now, due, reason, level, next);
	if (r == 0)
		r = vault_store_entry_load(st, id, &after);
	if (r == 0) {
		object_of(id, object);
		r = audit_take(st, a, "vault.vendor_access", object,
		               entry_view(json_deep_copy(e.row), now),
		               entry_view(json_deep_copy(after.row), now), NULL);
	}
end:
	r = store_end(st, r);
	if (r == 0)
		*ret = entry_view(json_incref(after.row), now);
out:
	vault_entry_release(&e);
	vault_entry_release(&after);
	return r;
}

int vault_reveal_list(struct store *st, const struct actor *a, int64_t entry_id, int64_t after,
                      int limit, json_t **ret_items, int64_t *ret_next, struct problem *p)
{
	json_t *rows = NULL, *e;
	size_t i;
	int r;

	if (a->user_id != 0 && !has_role(a, RECORD_ROLES))
		return forbidden(p);
	if (limit < 1 || limit > 500)
		limit = 50;
	r = vault_store_reveal_list(st, entry_id, after, limit, &rows);
	if (r < 0)
		return r;
	json_array_foreach(rows, i, e) {
		json_object_set_new(e, "at",
		                    time_json(json_integer_value(json_object_get(e, "at"))));
	}
	*ret_next = json_array_size(rows) == (size_t)limit
	                    ? json_integer_value(json_object_get(json_array_get(rows, i - 1), "id"))
	                    : 0;
	*ret_items = rows;
	return 0;
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
	free_secret(pw);
	return log_error_errno(
	        -ERR_INTERNAL,
	        "the password generator found no password the quality check accepts");
}

/* --- rotation reminders ---------------------------------------------------------------- */

/* The enabled holders of the entry's reveal roles, each once. */
static int holders(struct store *st, unsigned roles, int64_t now, json_t **ret)
{
	json_t *to = json_array(), *ids = NULL, *v, *w;
	unsigned b;
	size_t i, j;
	int r = 0;

	for (b = 1; r == 0 && b && b <= REVEAL_ROLES; b <<= 1) {
		if (!(roles & b))
			continue;
		r = org_role_holders(st, b, now, &ids);
		json_array_foreach(ids, i, v) {
			bool seen = false;

			json_array_foreach(to, j, w) {
				if (json_integer_value(w) == json_integer_value(v))
					seen = true;
			}
			if (!seen)
				json_array_append(to, v);
		}
		json_decref(ids);
		ids = NULL;
	}
	if (r < 0) {
		json_decref(to);
		return r;
	}
	*ret = to;
	return 0;
}

static int remind_one(struct store *st, int utc_offset, int64_t id, int64_t now, json_t *report)
{
	struct vault_entry e = { 0 };
	json_t *to = NULL, *params = NULL, *detail = NULL, *u;
	const char *kind, *reason;
	char due[LOCAL_TIME_LEN], due_utc[RFC3339_LEN], object[40];
	int64_t next;
	size_t i;
	int level, r;

	r = store_begin(st);
	if (r < 0)
		return r;
	r = vault_store_entry_load(st, id, &e);
	if (r == -ERR_NOT_FOUND) {
		r = 0;
		goto out;
	}
	if (r < 0 || e.next_remind_at > now)
		goto out; /* another tick was first */
	if (now < e.rotate_due_at) {
		kind = "vault.rotation_due";
		level = 1;
		next = e.rotate_due_at;
	} else {
		kind = "vault.rotation_overdue";
		level = e.remind_level < 1 ? 2 : e.remind_level + 1;
		next = now + VAULT_REMIND_EVERY;
	}
	r = vault_store_remind_set(st, id, e.next_remind_at, level, next);
	if (r <= 0)
		goto out;
	r = holders(st, e.roles, now, &to);
	if (r < 0)
		goto out;
	reason = json_string_value(json_object_get(e.row, "rotate_reason"));
	time_format_local(e.rotate_due_at, utc_offset, due);
	time_format_rfc3339(e.rotate_due_at, due_utc);
	params = json_pack(
	        "{s:I, s:O, s:O, s:O, s:s, s:s, s:s, s:O}", "entry_id", (json_int_t)id, "name",
	        json_object_get(e.row, "name"), "system", json_object_get(e.row, "system"), "host",
	        json_object_get(e.row, "host"), "due", due, "reason",
	        strcmp(reason, "vendor_access") == 0 ? "厂商远程维护后 1 小时内须更换" : "每年更换",
	        "reason_en",
	        strcmp(reason, "vendor_access") == 0 ? "within 1 hour after a vendor's access"
	                                             : "yearly rotation",
	        "vendor", json_object_get(e.row, "vendor"));
	json_array_foreach(to, i, u) {
		if (r == 0)
			r = org_notify(st, json_integer_value(u), kind, params);
	}
	if (r < 0)
		goto out;
	detail =
	        json_pack("{s:s, s:I, s:s, s:s, s:i, s:O}", "event",
	                  level == 1 ? "vault_rotation_due" : "vault_rotation_overdue", "entry_id",
	                  (json_int_t)id, "name", json_string_value(json_object_get(e.row, "name")),
	                  "due_at", due_utc, "level", level, "to", to);
	object_of(id, object);
	r = audit_append(st, &(struct audit_event){ .actor = &tick_actor,
	                                            .action = "vault.rotation_reminder",
	                                            .object = object,
	                                            .detail = detail });
	if (r == 0 && report)
		json_array_append(report, detail);
out:
	r = store_end(st, r < 0 ? r : 0);
	json_decref(detail);
	json_decref(params);
	json_decref(to);
	vault_entry_release(&e);
	return r;
}

int vault_tick(struct store *st, int64_t now, json_t **ret_report)
{
	struct calendar cal;
	json_t *report = json_array(), *ids = NULL, *v;
	size_t i;
	int batches, r;

	if (!st) {
		json_decref(report);
		return -ERR_INTERNAL;
	}
	r = calendar_load(st, &cal, NULL);
	if (r < 0) {
		json_decref(report);
		return r;
	}
	/* Each row handled moves its next_remind_at past now, so the batches end. */
	for (batches = 0; r == 0 && batches < 50; batches++) {
		size_t n;

		r = vault_store_remind_due(st, now, REMIND_BATCH, &ids);
		if (r < 0)
			break;
		n = json_array_size(ids);
		json_array_foreach(ids, i, v) {
			if (r == 0)
				r = remind_one(st, cal.utc_offset, json_integer_value(v), now,
				               report);
		}
		json_decref(ids);
		ids = NULL;
		if (n < REMIND_BATCH)
			break;
	}
	calendar_release(&cal);
	if (r < 0) {
		json_decref(report);
		return r;
	}
	if (ret_report)
		*ret_report = report;
	else
		json_decref(report);
	return 0;
}

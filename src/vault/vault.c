/*
 * vault.c: the credential vault's key and its lifecycle (vault.h): the data key in memory,
 * the key file, status, init, unseal with the persistent failure count and lock, and seal;
 * and the helpers the files of src/vault share (vault_int.h). The crypto and the generator
 * are crypto.c, the entries entries.c, reveals reveal.c, rotation, vendor access and the
 * reminders of the clock tick rotation.c. All SQL is in vault_store.c; the socket of `isms
 * vault unseal` in control.c.
 *
 * The data key of an unsealed vault is the only long-lived secret in memory. It lives in one
 * sodium_malloc'd block per process (guard pages, mlock'd): read-only while unsealed,
 * PROT_NONE and zero while sealed. Readers hold the read lock while they use it; seal takes
 * the write lock, so no operation ever sees half a key. Short-lived copies (the key being
 * wrapped or unwrapped, the key derived from the passphrase, the uniqueness subkey) sit in
 * sodium_mlock'd stack buffers that sodium_munlock zeroes.
 */
#include "core/common.h"
#include "core/perm.h"
#include "vault/vault_int.h"

#include "audit/audit.h"
#include "crypto/password.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/fs.h"
#include "core/log.h"
#include "core/util.h"
#include "org/org.h"
#include "store/store.h"

#include <pthread.h>
#include <sodium.h>
#include <unistd.h>

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

int vault_sealed(struct problem *p)
{
	return problem_setf(p, ERR_CONFLICT, "vault_sealed", NULL,
	                    "the vault is sealed: unseal it with the vault passphrase first");
}

/* Takes the read lock and returns the key, or 409 vault_sealed (lock not held). */
int vault_key_acquire(struct vault *v, const unsigned char **ret_key, struct problem *p)
{
	pthread_rwlock_rdlock(&v->lock);
	if (!v->unsealed) {
		pthread_rwlock_unlock(&v->lock);
		return vault_sealed(p);
	}
	*ret_key = v->key;
	return 0;
}

void vault_key_release(struct vault *v)
{
	pthread_rwlock_unlock(&v->lock);
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

int vault_forbidden(struct problem *p)
{
	return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
}

void vault_object_of(int64_t id, char out[40])
{
	(void)snprintf(out, 40, "vault_entry:%" PRId64, id);
}

json_t *vault_time_json(int64_t t)
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
/* Audits a refused or failed vault operation in its own transaction. */
void vault_audit_refusal(struct store *st, const struct actor *a, const char *action,
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

	if (a->user_id != 0 && !perm_check(a, "vault.status", 0))
		return vault_forbidden(p);
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
	                 "unsealed_at", unsealed ? vault_time_json(at) : json_null(), "unsealed_by",
	                 unsealed ? json_string(by) : json_null(), "failures",
	                 m.locked_until && !lock_on ? 0 : m.failures, "locked_until",
	                 lock_on ? vault_time_json(m.locked_until) : json_null(), "initialized_at",
	                 initialized ? vault_time_json(m.created_at) : json_null());
	return 0;
}

static int passphrase_check(const struct password_policy *pol, const struct actor *a,
                            const char *passphrase, struct problem *p)
{
	char *norm = vault_passphrase_norm(passphrase);
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
	vault_free_secret(norm);
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

	if (a->user_id != 0 && !perm_check(a, "vault.init", 0))
		return vault_forbidden(p);
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
		r = audit_change(
		        st,
		        (struct audit_event){
		                .actor = a,
		                .action = "vault.init",
		                .object = "vault",
		                .before = NULL,
		                .after = NULL,
		                .detail = json_pack(
		                        "{s:s, s:s, s:I, s:I}", "kdf", "argon2id13", "cipher",
		                        "xchacha20poly1305", "opslimit",
		                        (json_int_t)crypto_pwhash_OPSLIMIT_INTERACTIVE, "memlimit",
		                        (json_int_t)crypto_pwhash_MEMLIMIT_INTERACTIVE) });
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

	if (a->user_id != 0 && !perm_check(a, "vault.unseal", 0))
		return vault_forbidden(p);
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
		vault_audit_refusal(st, a, "vault.unseal_failed", "vault", "denied",
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
		vault_audit_refusal(st, a, "vault.unseal_failed", "vault", "failure",
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

	if (a->user_id != 0 && !perm_check(a, "vault.unseal", 0))
		return vault_forbidden(p);
	r = store_begin(st);
	if (r < 0)
		return r;
	pthread_rwlock_wrlock(&v->lock);
	was = v->unsealed;
	wipe_locked(v);
	pthread_rwlock_unlock(&v->lock);
	r = audit_change(st,
	                 (struct audit_event){ .actor = a,
	                                       .action = "vault.seal",
	                                       .object = "vault",
	                                       .before = NULL,
	                                       .after = NULL,
	                                       .detail = json_pack("{s:s}", "was",
	                                                           was ? "unsealed" : "sealed") });
	r = store_end(st, r);
	if (r == 0 && ret_status)
		r = vault_status(v, st, a, ret_status, p);
	return r;
}

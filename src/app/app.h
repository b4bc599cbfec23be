/*
 * app.h: the running isms instance: its data folder, keys, security policy and one
 * database connection per thread. The CLI commands and the HTTP server both work through
 * a struct app, so every path reaches the same domain verbs.
 *
 * Data folder layout (DESIGN.md): DIR/isms.db, DIR/keys/ (0700: audit.key, audit.pub,
 * secrets.key), DIR/files/, DIR/backups/.
 */
#ifndef ISMS_APP_APP_H
#define ISMS_APP_APP_H

#include <pthread.h>
#include <stdbool.h>

#include "core/host.h"
#include "settings/settings.h"
#include "crypto/seal.h"

struct store;
struct audit_signer;
struct pack;
struct vault;
struct backupd;

struct app {
	char *data_dir;
	char *db_path;
	char *keys_dir;
	struct audit_signer *signer; /* NULL when the signing key is kept elsewhere and was not
	                              * given (only isms serve needs it: app_signer_set) */
	char *verifier;              /* the audit verifier key (keys/audit.pub) */
	struct pack *pack; /* the policy pack: built in, with DIR/policy/ overrides; immutable */
	unsigned char seal_key[SEAL_KEY_LEN];
	struct vault *vault;     /* the credential vault: sealed until unsealed (src/vault) */
	struct backupd *backupd; /* isms serve: the scheduled own-backup worker (src/backup) */
	bool tls;                /* served over TLS (or behind a TLS proxy): Secure cookies, HSTS */

	/* publish.c: what of the audit checkpoints has left the machine */
	int64_t published_size; /* the newest sent to syslog and the off-site folder */
	int64_t channel_size;   /* the newest queued on the notification channels */
	int64_t channel_at;     /* when */

	pthread_rwlock_t policy_lock;
	struct security_policy policy; /* cached copy of the settings rows */

	pthread_key_t store_key; /* per-thread struct store * */
	pthread_mutex_t stores_lock;
	struct store **stores; /* every connection opened, closed by app_free */
	size_t nstores;
};

/*
 * Opens an existing data folder: checks the layout and modes, loads the keys, brings the
 * schema up to date (taking a copy first) and reads the security policy.
 * -ERR_NOT_FOUND when DIR is not an isms data folder.
 */
int app_open(const char *data_dir, struct app **ret_app);
void app_free(struct app *a);
/* Uses sg (taken) as the audit signing key, after checking that it is the key of this data
 * folder's audit.pub: -ERR_INVALID (and sg freed) otherwise. */
int app_signer_set(struct app *a, struct audit_signer *sg);
/* Signs a checkpoint when the log grew and sends every new one out (publish.c): syslog and
 * the off-site folder each time, the notification channels that carry "audit.checkpoint" at
 * most hourly and when final (the server stopping). Logs what fails; never fatal. */
void app_checkpoint(struct app *a, bool final);
/* Loads the policy pack with DIR/policy/ (data_dir NULL: built-in only), logging every
 * problem; -ERR_INVALID when it has any. */
int app_pack_load(const char *data_dir, struct pack **ret_pack);
/* Re-reads the policy from the settings table (after a change). */
int app_policy_reload(struct app *a, struct store *st);

#endif

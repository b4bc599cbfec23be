/*
 * backup.h: isms's own backups (SPEC BAK-1, BAK-2, BAK-5).
 *
 * A backup is one file DIR/backups/isms-YYYYMMDDTHHMMSSZ-N.ismsbak (archive.h: zstd, then
 * secretstream under DIR/keys/backup.key) holding a consistent online snapshot of isms.db
 * (SQLite backup API, one read transaction, so writers go on), the attachments under files/,
 * the keys (audit signing key, secrets key, wrapped vault key; never backup.key itself) and the
 * policy overrides. It is written as NAME.partial and renamed only when complete and synced,
 * so a crash never leaves a half file that counts. Then it is verified: restored into a
 * scratch folder, where PRAGMA integrity_check, the audit chain (audit_verify with the
 * restored public key) and the row counts recorded in the manifest must all hold, and every
 * attachment the database names must be there with its size. Only then is it "verified";
 * otherwise its file is removed and the row says why. A verified backup is copied to the
 * off-site folder when one is set (copied and re-read: its SHA-256 must match), and the
 * retention rule (newest per day for keep_daily days, per ISO week for keep_weekly weeks, per
 * month for keep_monthly months, and always the newest) prunes the rest, here and off-site.
 *
 * One backup at a time per data folder (DIR/backups/.lock, flock): the CLI and the server's
 * worker can both run them. Every step is audited ("backup.run" with the outcome).
 */
#ifndef ISMS_BACKUP_BACKUP_H
#define ISMS_BACKUP_BACKUP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "backup/archive.h"
#include "core/common.h"

struct store;
struct actor;
struct problem;

#define BACKUP_KEY_FILE         "backup.key"
#define BACKUP_SUFFIX           ".ismsbak"
#define BACKUP_DEFAULT_SCHEDULE "30 2 * * *"

enum backup_trigger { BACKUP_SCHEDULE, BACKUP_MANUAL, BACKUP_CLI };

/* Creates keys_dir/backup.key (0600) when absent. */
int backup_key_ensure(const char *keys_dir);
/* Loads a backup key file (0600, 32 bytes): -ERR_NOT_FOUND, -ERR_FORBIDDEN, -ERR_INVALID. */
int backup_key_load(const char *path, unsigned char key[ARC_KEY_LEN]);

/*
 * Takes, verifies, copies off-site and records one backup of the data folder data_dir whose
 * database st is open; then applies the retention rule. *ret_row (may be NULL) is the
 * backup's row as the API shows it. -ERR_CONFLICT (problem "backup_running") while another
 * backup of the folder runs. A backup that fails is recorded as failed and returns
 * -ERR_INTERNAL (or -ERR_INVALID when its verification failed) with the reason in the row's
 * "error".
 */
int backup_run(struct store *st, const char *data_dir, enum backup_trigger trigger,
               const struct actor *a, json_t **ret_row, struct problem *p);

/* Restores file (under key) into the scratch folder dir (created, empty) and checks it as a
 * verification does. *ret_check = what was found (new reference; also on a failed check).
 * -ERR_INVALID with err set when the file or its content is refused. */
int backup_check_into(const char *file, const unsigned char key[ARC_KEY_LEN], const char *dir,
                      json_t **ret_check, char err[ARC_ERROR_MAX]);
/* Verifies file in a scratch folder below scratch_parent, then removes it. */
int backup_verify_file(const char *file, const unsigned char key[ARC_KEY_LEN],
                       const char *scratch_parent, json_t **ret_check, char err[ARC_ERROR_MAX]);
/*
 * Restores file into newdir, which must not exist (or be an empty folder): everything is
 * extracted and checked in newdir.restore-XXXXXX next to it, synced, and only then renamed
 * to newdir, with key written as newdir/keys/backup.key. A kill at any point leaves newdir
 * absent (or as it was) and the backup file untouched.
 */
int backup_restore(const char *file, const unsigned char key[ARC_KEY_LEN], const char *newdir,
                   json_t **ret_check, char err[ARC_ERROR_MAX]);

/* The backups, newest first (sys_admin, audit_admin, assessor, the local operator). */
int backup_list(struct store *st, const struct actor *a, int64_t after, int limit,
                json_t **ret_items, int64_t *ret_next, struct problem *p);

/* The configuration as the API shows it ({schedule, keep, offsite_dir, next_at, version}). */
int backup_config_get(struct store *st, const struct actor *a, json_t **ret, struct problem *p);
/* Replaces the configuration (sys_admin or the local operator); audited "backup.config". */
int backup_config_put(struct store *st, const struct actor *a, json_t *in, json_t **ret,
                      struct problem *p);
/* Asks the server's backup worker for a backup now (sys_admin); 409 backup_running when
 * one is already asked for or running. Audited "backup.request". */
int backup_request(struct store *st, const struct actor *a, struct problem *p);

/*
 * What the server's worker should do at now: 1 with *ret_trigger set when a backup is due
 * (asked for, or the schedule has an occurrence after the newest scheduled backup, or after
 * since for a folder that never had one), 0 when not.
 */
int backup_due(struct store *st, int64_t now, int64_t since, enum backup_trigger *ret_trigger);

#endif

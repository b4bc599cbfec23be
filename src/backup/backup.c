/*
 * backup.c: taking, verifying, restoring and pruning isms's own backups (backup.h).
 *
 *   lock -> mark rows a killed run left -> snapshot isms.db (one read transaction) -> count
 *   -> row "running" -> NAME.partial (archive.h) -> fsync, rename, fsync folder -> restore
 *   into a scratch folder and check -> off-site copy -> row "verified" | "failed" -> prune
 */
#include "core/common.h"
#include "backup/backup.h"

#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "backup/backup_int.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/cron.h"
#include "core/embedded.h"
#include "core/fs.h"
#include "core/log.h"
#include "core/util.h"
#include "org/org.h"
#include "sla/sla.h"
#include "store/store.h"

#define ZSTD_LEVEL 3
#define LIST_MAX   500

static const char *const trigger_names[] = { "schedule", "manual", "cli" };
static const char *const trigger_zh[] = { "定时", "手动", "命令行" };

int backup_key_ensure(const char *keys_dir)
{
	unsigned char key[ARC_KEY_LEN];
	char *path = fs_join(keys_dir, BACKUP_KEY_FILE);
	int r = 0;

	if (!fs_exists(path)) {
		crypto_secretstream_xchacha20poly1305_keygen(key);
		r = fs_write_atomic(path, key, sizeof(key), 0600);
		sodium_memzero(key, sizeof(key));
	}
	free(path);
	return r;
}

int backup_key_load(const char *path, unsigned char key[ARC_KEY_LEN])
{
	return fs_read_key(path, key, ARC_KEY_LEN);
}

/* --- writing ---------------------------------------------------------------------------- */

static bool skip_name(const char *name)
{
	return name[0] == '.' || strstr(name, ".tmp.") || strstr(name, ".partial") ||
	       !arc_name_ok(name);
}

/* Adds every regular file of dir (not below it) as prefix/name, except `except`. */
static int add_folder(struct arc_writer *w, const char *dir, const char *prefix, const char *except,
                      int *ret_count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int r = 0;

	if (!d)
		return errno == ENOENT ? 0 : -ERR_INTERNAL;
	while (r == 0 && (e = readdir(d)) != NULL) {
		char *path, *name;
		struct stat st;

		if (skip_name(e->d_name) || (except && STREQ(e->d_name, except)))
			continue;
		path = fs_join(dir, e->d_name);
		name = xasprintf("%s/%s", prefix, e->d_name);
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			r = arc_add_file(w, name, path);
			if (r == 0 && ret_count)
				(*ret_count)++;
		}
		free(path);
		free(name);
	}
	closedir(d);
	return r;
}

/* files/ab/cdef…: the two levels of the content-addressed attachments. */
static int add_files(struct arc_writer *w, const char *data_dir, int *ret_count)
{
	char *files = fs_join(data_dir, "files");
	DIR *d = opendir(files);
	struct dirent *e;
	int r = 0;

	*ret_count = 0;
	if (!d) {
		free(files);
		return errno == ENOENT ? 0 : -ERR_INTERNAL;
	}
	while (r == 0 && (e = readdir(d)) != NULL) {
		char *sub, *prefix;

		if (skip_name(e->d_name))
			continue;
		sub = fs_join(files, e->d_name);
		prefix = xasprintf("files/%s", e->d_name);
		r = add_folder(w, sub, prefix, NULL, ret_count);
		free(sub);
		free(prefix);
	}
	closedir(d);
	free(files);
	return r;
}

/* Counts and the audit size of the snapshot, for the manifest. */
static int describe_snapshot(const char *path, json_t *manifest)
{
	struct store *snap = NULL;
	json_t *counts = NULL;
	int64_t audit_n = 0;
	int version = 0, r;

	r = store_open(path, false, &snap);
	if (r == 0)
		r = bs_counts(snap, &counts);
	if (r == 0)
		r = audit_size(snap, &audit_n);
	if (r == 0)
		r = store_version(snap, &version);
	if (r == 0) {
		json_object_set_new(manifest, "counts", counts);
		json_object_set_new(manifest, "audit",
		                    json_pack("{s:I}", "size", (json_int_t)audit_n));
		json_object_set_new(manifest, "schema", json_integer(version));
		counts = NULL;
	}
	json_decref(counts);
	store_free(snap);
	return r;
}

struct job {
	const char *data_dir;
	char *backups, *work, *partial, *final;
	char name[96];
	unsigned char key[ARC_KEY_LEN];
	uint64_t size;
	char sha256[65];
	int nfiles;
	json_t *manifest;
};

/* One read transaction (sqlite3_backup_step(-1)): writers go on meanwhile. Taken before the
 * backup's own row is written, so a backup never holds its own row "running". */
static int take_snapshot(struct store *st, struct job *j, char err[ARC_ERROR_MAX])
{
	char *snapshot = fs_join(j->work, "isms.db");
	int r = store_snapshot_to(st, snapshot);

	if (r < 0)
		(void)snprintf(err, ARC_ERROR_MAX, "cannot take a snapshot of the database");
	if (r == 0) {
		j->manifest = json_object();
		r = describe_snapshot(snapshot, j->manifest);
		if (r < 0)
			(void)snprintf(err, ARC_ERROR_MAX,
			               "cannot read the snapshot of the database");
	}
	free(snapshot);
	return r;
}

static int write_archive(struct job *j, enum backup_trigger trigger, char err[ARC_ERROR_MAX])
{
	char *snapshot = fs_join(j->work, "isms.db"), *keys = fs_join(j->data_dir, "keys");
	char *policy = fs_join(j->data_dir, "policy"), when[40];
	json_t *manifest = j->manifest;
	struct arc_writer *w = NULL;
	unsigned char sha[32];
	int fd = -1, r;

	time_format_rfc3339(clock_now(), when);
	json_object_set_new(manifest, "created_at", json_string(when));
	json_object_set_new(manifest, "isms_version", json_string(ISMS_VERSION));
	json_object_set_new(manifest, "trigger", json_string(trigger_names[trigger]));
	fd = open(j->partial, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		(void)snprintf(err, ARC_ERROR_MAX, "cannot create '%s': %s", j->partial,
		               strerror(errno));
		r = -ERR_INTERNAL;
		goto out;
	}
	r = arc_writer_open(fd, j->key, ZSTD_LEVEL, &w);
	if (r == 0)
		r = arc_add_file(w, "isms.db", snapshot);
	if (r == 0)
		r = add_folder(w, keys, "keys", BACKUP_KEY_FILE, NULL);
	if (r == 0)
		r = add_folder(w, policy, "policy", NULL, NULL);
	if (r == 0)
		r = add_files(w, j->data_dir, &j->nfiles);
	if (r == 0) {
		json_object_set_new(manifest, "files", json_integer(j->nfiles));
		r = arc_writer_finish(w, manifest, &j->size, sha);
	}
	if (r == 0 && fsync(fd) != 0)
		r = -ERR_INTERNAL;
	if (r < 0) {
		(void)snprintf(err, ARC_ERROR_MAX, "cannot write the backup file '%s'", j->partial);
		goto out;
	}
	close(fd);
	fd = -1;
	hex_encode(sha, sizeof(sha), j->sha256);
	/* Only a complete, synced file gets its name: a crash leaves at most a .partial. */
	if (rename(j->partial, j->final) != 0 || fs_sync_parent(j->final) < 0) {
		(void)snprintf(err, ARC_ERROR_MAX, "cannot rename the backup file: %s",
		               strerror(errno));
		r = -ERR_INTERNAL;
	}
out:
	if (fd >= 0)
		close(fd);
	arc_writer_free(w);
	free(snapshot);
	free(keys);
	free(policy);
	return r;
}

/* --- checking --------------------------------------------------------------------------- */

static int check_files(struct store *st, const char *dir, json_t *check, char err[ARC_ERROR_MAX])
{
	json_t *rows = NULL, *row;
	size_t i;
	int r, missing = 0;

	r = bs_files(st, &rows);
	if (r < 0)
		return r;
	json_array_foreach(rows, i, row) {
		const char *sha = json_string_value(json_object_get(row, "sha256"));
		char rel[200];
		char *path;
		struct stat stt;

		(void)snprintf(rel, sizeof(rel), "files/%.2s/%s", sha,
		               strlen(sha) > 2 ? sha + 2 : "");
		path = fs_join(dir, rel);
		if (stat(path, &stt) != 0 ||
		    (json_int_t)stt.st_size != json_integer_value(json_object_get(row, "size"))) {
			if (missing++ == 0)
				(void)snprintf(
				        err, ARC_ERROR_MAX,
				        "the attachment %s named by the database is missing or "
				        "has the wrong size",
				        sha);
		}
		free(path);
	}
	json_object_set_new(check, "files", json_integer((json_int_t)json_array_size(rows)));
	json_object_set_new(check, "missing_files", json_integer(missing));
	json_decref(rows);
	return missing ? -ERR_INVALID : 0;
}

/* The checks of a restored folder: integrity, audit chain, counts against the manifest,
 * attachments. Fills check; the first failure's sentence goes to err. */
static int check_restored(const char *dir, json_t *manifest, json_t *check, char err[ARC_ERROR_MAX])
{
	char *db = fs_join(dir, "isms.db"), *keys = fs_join(dir, "keys"), integrity[512];
	struct audit_verify_result res;
	struct audit_signer *sg = NULL;
	struct store *st = NULL;
	json_t *counts = NULL, *want = json_object_get(manifest, "counts"), *v;
	const char *table;
	int r, bad = 0;

	memset(&res, 0, sizeof(res));
	r = store_open(db, false, &st);
	if (r < 0) {
		(void)snprintf(err, ARC_ERROR_MAX, "the restored database cannot be opened");
		goto out;
	}
	r = bs_integrity(st, integrity, sizeof(integrity));
	json_object_set_new(check, "integrity", json_string(r < 0 ? "error" : integrity));
	if (r < 0 || !STREQ(integrity, "ok")) {
		(void)snprintf(err, ARC_ERROR_MAX,
		               "the restored database fails integrity_check: %.180s", integrity);
		r = -ERR_INVALID;
		goto out;
	}
	r = audit_signer_load(keys, &sg);
	if (r == 0)
		r = audit_verify(st, audit_signer_verifier(sg), NULL, &res);
	json_object_set_new(check, "audit",
	                    json_pack("{s:b, s:I, s:I, s:s}", "ok", r == 0, "size",
	                              (json_int_t)res.entries, "checkpoints",
	                              (json_int_t)res.checkpoints, "message", res.message));
	if (r < 0) {
		(void)snprintf(err, ARC_ERROR_MAX,
		               "the restored audit trail does not verify: %.180s",
		               res.message[0] ? res.message : "its keys or entries cannot be read");
		r = -ERR_INVALID;
		goto out;
	}
	if (res.entries !=
	    json_integer_value(json_object_get(json_object_get(manifest, "audit"), "size"))) {
		(void)snprintf(err, ARC_ERROR_MAX,
		               "the restored audit trail has %" PRId64
		               " entries, the backup recorded %" JSON_INTEGER_FORMAT,
		               res.entries,
		               json_integer_value(json_object_get(
		                       json_object_get(manifest, "audit"), "size")));
		r = -ERR_INVALID;
		goto out;
	}
	r = bs_counts(st, &counts);
	if (r < 0)
		goto out;
	json_object_set(check, "counts", counts);
	json_object_foreach(want, table, v) {
		if (!json_equal(v, json_object_get(counts, table)) && bad++ == 0)
			(void)snprintf(err, ARC_ERROR_MAX,
			               "the restored table %s has %" JSON_INTEGER_FORMAT
			               " rows, the backup recorded %" JSON_INTEGER_FORMAT,
			               table, json_integer_value(json_object_get(counts, table)),
			               json_integer_value(v));
	}
	json_object_set_new(check, "counts_match", json_boolean(bad == 0));
	if (bad) {
		r = -ERR_INVALID;
		goto out;
	}
	r = check_files(st, dir, check, err);
out:
	json_decref(counts);
	audit_signer_free(sg);
	store_free(st);
	free(db);
	free(keys);
	return r;
}

int backup_check_into(const char *file, const unsigned char key[ARC_KEY_LEN], const char *dir,
                      json_t **ret_check, char err[ARC_ERROR_MAX])
{
	json_t *manifest = NULL, *check = json_object();
	int fd, r, schema;

	err[0] = '\0';
	fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		(void)snprintf(err, ARC_ERROR_MAX, "cannot open the backup file '%s': %s", file,
		               strerror(errno));
		r = errno == ENOENT ? -ERR_NOT_FOUND : -ERR_INTERNAL;
		goto out;
	}
	r = arc_extract(fd, key, dir, &manifest, err);
	close(fd);
	if (r < 0)
		goto out;
	schema = (int)json_integer_value(json_object_get(manifest, "schema"));
	json_object_set_new(check, "schema", json_integer(schema));
	json_object_set(check, "created_at", json_object_get(manifest, "created_at"));
	if (schema > (int)embedded_migrations_count) {
		(void)snprintf(
		        err, ARC_ERROR_MAX,
		        "the backup comes from a newer isms (schema %d; this one knows %zu): "
		        "restore it with that version",
		        schema, embedded_migrations_count);
		r = -ERR_INVALID;
		goto out;
	}
	r = check_restored(dir, manifest, check, err);
out:
	json_decref(manifest);
	*ret_check = check;
	return r;
}

int backup_verify_file(const char *file, const unsigned char key[ARC_KEY_LEN],
                       const char *scratch_parent, json_t **ret_check, char err[ARC_ERROR_MAX])
{
	char *scratch = xasprintf("%s/.verify-XXXXXX", scratch_parent);
	int r;

	*ret_check = NULL;
	if (!mkdtemp(scratch)) {
		(void)snprintf(err, ARC_ERROR_MAX, "cannot create a scratch folder in '%s': %s",
		               scratch_parent, strerror(errno));
		free(scratch);
		return -ERR_INTERNAL;
	}
	r = backup_check_into(file, key, scratch, ret_check, err);
	(void)fs_remove_tree(scratch);
	free(scratch);
	return r;
}

static bool empty_or_absent(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool empty = true;

	if (!d)
		return errno == ENOENT;
	while ((e = readdir(d)) != NULL)
		if (!STREQ(e->d_name, ".") && !STREQ(e->d_name, ".."))
			empty = false;
	closedir(d);
	return empty;
}

int backup_restore(const char *file, const unsigned char key[ARC_KEY_LEN], const char *newdir,
                   json_t **ret_check, char err[ARC_ERROR_MAX])
{
	char *tmp = NULL, *keys = NULL, *path = NULL;
	int r, fd;

	*ret_check = NULL;
	err[0] = '\0';
	if (!empty_or_absent(newdir)) {
		(void)snprintf(err, ARC_ERROR_MAX,
		               "'%s' exists and is not empty: restore into a new folder", newdir);
		return -ERR_CONFLICT;
	}
	tmp = xasprintf("%s.restore-XXXXXX", newdir);
	if (!mkdtemp(tmp)) {
		(void)snprintf(err, ARC_ERROR_MAX, "cannot create '%s': %s", tmp, strerror(errno));
		r = -ERR_INTERNAL;
		goto out;
	}
	r = backup_check_into(file, key, tmp, ret_check, err);
	if (r < 0)
		goto out;
	keys = fs_join(tmp, "keys");
	path = fs_join(keys, BACKUP_KEY_FILE);
	r = fs_mkdir(keys, 0700);
	if (r == 0)
		r = fs_write_atomic(path, key, ARC_KEY_LEN, 0600);
	free(path);
	path = fs_join(tmp, "backups");
	if (r == 0)
		r = fs_mkdir(path, 0700);
	free(path);
	path = fs_join(tmp, "files");
	if (r == 0)
		r = fs_mkdir(path, 0700);
	/* Everything on disk before the folder gets its name. */
	fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r == 0 && (fd < 0 || syncfs(fd) != 0))
		r = -ERR_INTERNAL;
	if (fd >= 0)
		close(fd);
	if (r == 0 && fs_exists(newdir) && rmdir(newdir) != 0)
		r = -ERR_INTERNAL;
	if (r == 0 && (rename(tmp, newdir) != 0 || fs_sync_parent(newdir) < 0))
		r = -ERR_INTERNAL;
	if (r < 0 && !err[0])
		(void)snprintf(err, ARC_ERROR_MAX, "cannot write the restored folder '%s': %s",
		               newdir, strerror(errno));
out:
	if (r < 0 && tmp)
		(void)fs_remove_tree(tmp);
	free(tmp);
	free(keys);
	free(path);
	return r;
}

/* --- running ---------------------------------------------------------------------------- */

/* Removes what a killed run left: *.partial files and scratch folders. */
static void sweep(const char *backups)
{
	DIR *d = opendir(backups);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strstr(e->d_name, ".partial") || strncmp(e->d_name, ".work-", 6) == 0 ||
		    strncmp(e->d_name, ".verify-", 8) == 0) {
			char *path = fs_join(backups, e->d_name);

			log_warn("backup: removing '%s' left by an interrupted backup", path);
			(void)fs_remove_tree(path);
			free(path);
		}
	}
	closedir(d);
}

static int audit_backup(struct store *st, const struct actor *a, const char *action,
                        const char *object, const char *outcome, json_t *detail)
{
	struct audit_event ev = {
		.actor = a,
		.action = action,
		.object = object,
		.outcome = outcome,
		.detail = detail,
	};
	int r = store_begin(st);

	if (r < 0)
		return r;
	r = audit_append(st, &ev);
	return store_end(st, r);
}

static void day_month_week(int64_t t, int off, int64_t *day, int64_t *week, int64_t *month)
{
	time_t local = (time_t)(t + off);
	struct tm tm;

	gmtime_r(&local, &tm);
	*day = (t + off) / 86400;
	*week = (*day + 3) / 7; /* 1970-01-01 was a Thursday: weeks from Monday */
	*month = (int64_t)tm.tm_year * 12 + tm.tm_mon;
}

/* Keeps the newest per day/week/month for the configured numbers; prunes the rest. */
static int prune(struct store *st, const struct actor *a, const struct bs_config *c,
                 const char *backups, int off)
{
	json_t *rows = NULL, *row, *gone = json_array();
	int64_t last[3] = { -1, -1, -1 };
	int kept[3] = { 0, 0, 0 }, keep[3] = { c->keep_daily, c->keep_weekly, c->keep_monthly };
	size_t i;
	int r, k;

	r = bs_retained(st, &rows);
	if (r < 0)
		goto out;
	json_array_foreach(rows, i, row) {
		int64_t key[3];
		bool hold = i == 0;

		day_month_week(json_integer_value(json_object_get(row, "started_at")), off, &key[0],
		               &key[1], &key[2]);
		for (k = 0; k < 3; k++) {
			if (key[k] != last[k] && kept[k] < keep[k]) {
				kept[k]++;
				hold = true;
			}
			last[k] = key[k];
		}
		if (!hold)
			json_array_append(gone, row);
	}
	json_array_foreach(gone, i, row) {
		const char *name = json_string_value(json_object_get(row, "name"));
		char *path = fs_join(backups, name);

		(void)unlink(path);
		free(path);
		if (c->offsite_dir[0]) {
			path = fs_join(c->offsite_dir, name);
			(void)unlink(path);
			free(path);
		}
		r = bs_pruned(st, json_integer_value(json_object_get(row, "id")), clock_now());
		if (r < 0)
			goto out;
	}
	if (json_array_size(gone) > 0) {
		json_t *detail = json_pack("{s:O, s:{s:i, s:i, s:i}}", "pruned", gone, "keep",
		                           "daily", c->keep_daily, "weekly", c->keep_weekly,
		                           "monthly", c->keep_monthly);

		r = audit_backup(st, a, "backup.prune", NULL, NULL, detail);
		json_decref(detail);
	}
out:
	json_decref(rows);
	json_decref(gone);
	return r;
}

static int offsite_copy(const struct bs_config *c, struct job *j, struct bs_outcome *o)
{
	unsigned char sha[32];
	char hex[65], *dst;
	int r;

	if (!c->offsite_dir[0]) {
		o->offsite_status = "none";
		return 0;
	}
	dst = fs_join(c->offsite_dir, j->name);
	r = fs_copy_durable(j->final, dst, sha);
	if (r == 0) {
		hex_encode(sha, sizeof(sha), hex);
		if (!STREQ(hex, j->sha256)) {
			(void)unlink(dst);
			r = -ERR_INTERNAL;
		}
	}
	if (r < 0) {
		o->offsite_status = "failed";
		(void)snprintf(o->offsite_error, sizeof(o->offsite_error),
		               "cannot copy the backup to '%.120s': %.60s", c->offsite_dir,
		               errno ? strerror(errno) : "the copy differs");
		log_warn("backup: %s", o->offsite_error);
	} else {
		o->offsite_status = "copied";
	}
	free(dst);
	return r;
}

static int lock_folder(const char *backups, int *ret_fd)
{
	char *path = fs_join(backups, ".lock");
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

	free(path);
	if (fd < 0)
		return -ERR_INTERNAL;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		return errno == EWOULDBLOCK ? -ERR_CONFLICT : -ERR_INTERNAL;
	}
	*ret_fd = fd;
	return 0;
}

static void job_free(struct job *j)
{
	if (j->work)
		(void)fs_remove_tree(j->work);
	sodium_memzero(j->key, sizeof(j->key));
	json_decref(j->manifest);
	free(j->backups);
	free(j->work);
	free(j->partial);
	free(j->final);
}

int backup_run(struct store *st, const char *data_dir, enum backup_trigger trigger,
               const struct actor *a, json_t **ret_row, struct problem *p)
{
	struct job j = { .data_dir = data_dir };
	struct bs_outcome o = { .offsite_status = "none" };
	struct bs_config c;
	struct calendar cal;
	char stamp[32], object[40], *keyfile = NULL, *keys = fs_join(data_dir, "keys");
	int64_t now = clock_now(), id = 0;
	json_t *check = NULL;
	time_t t = (time_t)now;
	struct tm tm;
	int lock = -1, r;

	if (a->user_id != 0) {
		r = problem_set(p, ERR_FORBIDDEN, NULL, NULL);
		goto out;
	}
	j.backups = fs_join(data_dir, "backups");
	r = fs_mkdir(j.backups, 0700);
	if (r == 0)
		r = lock_folder(j.backups, &lock);
	if (r == -ERR_CONFLICT) {
		r = problem_setf(p, ERR_CONFLICT, "backup_running", NULL,
		                 "another backup of this data folder is running");
		goto out;
	}
	if (r < 0)
		goto out;
	sweep(j.backups);
	r = backup_key_ensure(keys);
	keyfile = fs_join(keys, BACKUP_KEY_FILE);
	if (r == 0)
		r = backup_key_load(keyfile, j.key);
	if (r == 0)
		r = bs_config_load(st, &c);
	if (r == 0)
		r = calendar_load(st, &cal, NULL);
	if (r < 0)
		goto out;
	j.work = xasprintf("%s/.work-%ld", j.backups, (long)getpid());
	r = fs_mkdir(j.work, 0700);
	if (r == 0)
		r = take_snapshot(st, &j, o.error);
	if (r < 0) {
		log_error("backup failed: %s",
		          o.error[0] ? o.error : "cannot create a work folder");
		(void)problem_setf(p, ERR_INTERNAL, NULL, NULL, "%s", o.error);
		goto out;
	}
	r = store_begin(st);
	if (r < 0)
		goto out;
	if (bs_mark_interrupted(st, now) < 0 ||
	    bs_insert(st, trigger_names[trigger], trigger == BACKUP_MANUAL ? c.requested_by : 0,
	              now, &id) < 0 ||
	    (trigger == BACKUP_MANUAL && bs_config_request(st, 0, 0) < 0))
		r = -ERR_INTERNAL;
	r = store_end(st, r);
	if (r < 0)
		goto out;
	gmtime_r(&t, &tm);
	(void)strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	(void)snprintf(j.name, sizeof(j.name), "isms-%s-%" PRId64 BACKUP_SUFFIX, stamp, id);
	j.final = fs_join(j.backups, j.name);
	j.partial = xasprintf("%s.partial", j.final);
	o.id = id;
	r = bs_set_name(st, id, j.name);
	if (r == 0)
		r = write_archive(&j, trigger, o.error);
	if (r == 0) {
		o.size = j.size;
		memcpy(o.sha256, j.sha256, sizeof(o.sha256));
		r = backup_verify_file(j.final, j.key, j.backups, &check, o.error);
		o.check = check;
	}
	if (r == 0)
		(void)offsite_copy(&c, &j, &o);
	o.status = r == 0 ? "verified" : "failed";
	if (r < 0) {
		if (!o.error[0])
			(void)snprintf(o.error, sizeof(o.error), "the backup failed");
		log_error("backup %s failed: %s", j.name, o.error);
		(void)unlink(j.final);
		(void)unlink(j.partial);
	}
	o.finished_at = clock_now();
	(void)snprintf(object, sizeof(object), "backup:%" PRId64, id);
	{
		int w = store_begin(st);
		json_t *detail =
		        json_pack("{s:s, s:s, s:I, s:s?, s:s, s:s?}", "name", j.name, "trigger",
		                  trigger_names[trigger], "size", (json_int_t)o.size, "sha256",
		                  o.sha256[0] ? o.sha256 : NULL, "offsite", o.offsite_status,
		                  "error", o.error[0] ? o.error : NULL);
		struct audit_event ev = {
			.actor = a,
			.action = "backup.run",
			.object = object,
			.outcome = r == 0 ? "success" : "failure",
			.detail = detail,
		};

		if (w == 0)
			w = bs_finish(st, &o);
		if (w == 0)
			w = audit_append(st, &ev);
		/* A backup that does not count is the system administrators' to know at once. */
		if (w == 0 && r < 0) {
			json_t *params = json_pack("{s:s, s:s, s:s, s:s}", "name", j.name, "error",
			                           o.error, "trigger", trigger_names[trigger],
			                           "trigger_zh", trigger_zh[trigger]);

			w = org_notify_role(st, ROLE_SYS_ADMIN, "backup.self_failed", params);
			json_decref(params);
		}
		w = store_end(st, w);
		json_decref(detail);
		if (w < 0 && r == 0)
			r = w;
	}
	if (r == 0) {
		log_info("backup %s verified (%" PRIu64 " bytes, %d attachment(s), off-site: %s)",
		         j.name, j.size, j.nfiles, o.offsite_status);
		(void)prune(st, a, &c, j.backups, cal.utc_offset);
	}
	if (ret_row && id > 0)
		(void)bs_get(st, id, ret_row);
	if (r < 0 && p && !p->code)
		(void)problem_setf(p, r == -ERR_INVALID ? ERR_INVALID : ERR_INTERNAL, NULL, NULL,
		                   "%s", o.error);
out:
	json_decref(check);
	job_free(&j);
	if (lock >= 0)
		close(lock);
	free(keyfile);
	free(keys);
	return r;
}

/* --- the API's verbs -------------------------------------------------------------------- */

static bool may_read(const struct actor *a)
{
	return a->user_id == 0 || (a->roles & (ROLE_SYS_ADMIN | ROLE_AUDIT_ADMIN | ROLE_ASSESSOR));
}

static bool may_manage(const struct actor *a)
{
	return a->user_id == 0 || (a->roles & ROLE_SYS_ADMIN);
}

int backup_list(struct store *st, const struct actor *a, int64_t after, int limit,
                json_t **ret_items, int64_t *ret_next, struct problem *p)
{
	json_t *items = NULL;
	int r;

	if (!may_read(a))
		return problem_set(p, ERR_FORBIDDEN, NULL, NULL);
	if (limit <= 0 || limit > LIST_MAX)
		limit = 50;
	r = bs_list(st, after, limit + 1, &items);
	if (r < 0)
		return r;
	*ret_next = json_page_trim(items, limit);
	*ret_items = items;
	return 0;
}

static int64_t next_at(const struct bs_config *c, struct store *st, int64_t now)
{
	struct calendar cal;
	struct cron cr;
	const char *why;

	if (cron_parse(c->schedule, &cr, &why) < 0 || calendar_load(st, &cal, NULL) < 0)
		return 0;
	return cron_next(&cr, now, cal.utc_offset);
}

static json_t *config_json(struct store *st, const struct bs_config *c)
{
	return json_pack("{s:s, s:{s:i, s:i, s:i}, s:o, s:o, s:o, s:I}", "schedule", c->schedule,
	                 "keep", "daily", c->keep_daily, "weekly", c->keep_weekly, "monthly",
	                 c->keep_monthly, "offsite_dir",
	                 c->offsite_dir[0] ? json_string(c->offsite_dir) : json_null(), "next_at",
	                 json_time_or_null(next_at(c, st, clock_now())), "requested_at",
	                 json_time_or_null(c->requested_at), "version", (json_int_t)c->version);
}

int backup_config_get(struct store *st, const struct actor *a, json_t **ret, struct problem *p)
{
	struct bs_config c;
	int r;

	if (!(a->user_id == 0 || (a->roles & (ROLE_SYS_ADMIN | ROLE_AUDIT_ADMIN))))
		return problem_set(p, ERR_FORBIDDEN, NULL, NULL);
	r = bs_config_load(st, &c);
	if (r < 0)
		return r;
	*ret = config_json(st, &c);
	return 0;
}

static int keep_value(json_t *keep, const char *name, int lo, int hi, int *out, struct problem *p)
{
	json_t *v = json_object_get(keep, name);

	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return problem_setf(p, ERR_INVALID, "invalid_field",
		                    problem_path(p, "keep.%s", name),
		                    "a whole number from %d to %d", lo, hi);
	*out = (int)json_integer_value(v);
	return 0;
}

static int parse_config(json_t *in, const char *data_dir, struct bs_config *c, struct problem *p)
{
	const char *key, *why;
	json_t *v, *keep;
	struct cron cr;
	struct stat stt;
	int r;

	if (!json_is_object(in))
		return problem_set(p, ERR_INVALID, "invalid_json", NULL);
	json_object_foreach(in, key, v)
		if (!STREQ(key, "schedule") && !STREQ(key, "keep") && !STREQ(key, "offsite_dir") &&
		    !STREQ(key, "version"))
			return problem_setf(p, ERR_INVALID, "invalid_field",
			                    problem_path(p, "%s", key), "unknown field");
	v = json_object_get(in, "version");
	if (!json_is_integer(v))
		return problem_setf(p, ERR_INVALID, "invalid_field", "version",
		                    "the version you read is required");
	if (json_integer_value(v) != c->version)
		return problem_set(p, ERR_CONFLICT, "stale_version", "version");
	v = json_object_get(in, "schedule");
	if (v) {
		if (!json_is_string(v) || json_string_length(v) >= sizeof(c->schedule) ||
		    cron_parse(json_string_value(v), &cr, &why) < 0)
			return problem_setf(p, ERR_INVALID, "invalid_field", "schedule",
			                    "a cron schedule such as \"30 2 * * *\" (daily 02:30)");
		(void)snprintf(c->schedule, sizeof(c->schedule), "%s", json_string_value(v));
	}
	keep = json_object_get(in, "keep");
	if (keep) {
		if (!json_is_object(keep))
			return problem_setf(p, ERR_INVALID, "invalid_field", "keep",
			                    "{\"daily\", \"weekly\", \"monthly\"}");
		json_object_foreach(keep, key, v)
			if (!STREQ(key, "daily") && !STREQ(key, "weekly") && !STREQ(key, "monthly"))
				return problem_setf(p, ERR_INVALID, "invalid_field",
				                    problem_path(p, "keep.%s", key),
				                    "unknown field");
		r = keep_value(keep, "daily", 1, 366, &c->keep_daily, p);
		if (r == 0)
			r = keep_value(keep, "weekly", 0, 520, &c->keep_weekly, p);
		if (r == 0)
			r = keep_value(keep, "monthly", 0, 1200, &c->keep_monthly, p);
		if (r < 0)
			return r;
	}
	v = json_object_get(in, "offsite_dir");
	if (json_is_null(v)) {
		c->offsite_dir[0] = '\0';
	} else if (v) {
		const char *dir = json_string_value(v);
		size_t n = strlen(data_dir);

		if (!dir || dir[0] != '/' || strlen(dir) >= sizeof(c->offsite_dir) - 100 ||
		    !utf8_valid(dir, strlen(dir), false))
			return problem_setf(p, ERR_INVALID, "invalid_field", "offsite_dir",
			                    "an absolute folder path on the server, or null");
		if (stat(dir, &stt) != 0 || !S_ISDIR(stt.st_mode) || access(dir, W_OK) != 0)
			return problem_setf(p, ERR_INVALID, "invalid_field", "offsite_dir",
			                    "the folder does not exist or isms cannot write to it");
		if (data_dir[0] == '/' && strncmp(dir, data_dir, n) == 0 &&
		    (dir[n] == '/' || dir[n] == '\0'))
			return problem_setf(
			        p, ERR_INVALID, "invalid_field", "offsite_dir",
			        "the off-site folder must not be inside the data folder");
		(void)snprintf(c->offsite_dir, sizeof(c->offsite_dir), "%s", dir);
	}
	return 0;
}

int backup_config_put(struct store *st, const struct actor *a, json_t *in, json_t **ret,
                      struct problem *p)
{
	struct bs_config before, c;
	json_t *b = NULL, *after = NULL;
	char dir[PATH_MAX];
	int r;

	if (!may_manage(a))
		return problem_set(p, ERR_FORBIDDEN, NULL, NULL);
	/* The data folder is the database's: offsite_dir must be outside it. */
	(void)snprintf(dir, sizeof(dir), "%s", store_path(st));
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = '\0';
	r = store_begin(st);
	if (r < 0)
		return r;
	r = bs_config_load(st, &before);
	c = before;
	if (r == 0)
		r = parse_config(in, dir, &c, p);
	if (r == 0)
		r = bs_config_put(st, &c);
	if (r == -ERR_CONFLICT && !p->code)
		r = problem_set(p, ERR_CONFLICT, "stale_version", "version");
	if (r == 0) {
		struct audit_event ev = {
			.actor = a,
			.action = "backup.config",
			.object = "backup_config",
		};

		c.version++;
		b = config_json(st, &before);
		after = config_json(st, &c);
		json_object_del(b, "next_at");
		json_object_del(after, "next_at");
		ev.before = b;
		ev.after = after;
		r = audit_append(st, &ev);
	}
	r = store_end(st, r);
	if (r == 0)
		*ret = config_json(st, &c);
	json_decref(b);
	json_decref(after);
	return r;
}

int backup_request(struct store *st, const struct actor *a, struct problem *p)
{
	struct audit_event ev = { .actor = a, .action = "backup.request", .object = "backup" };
	struct bs_config c;
	int64_t running = 0;
	int r;

	if (!may_manage(a))
		return problem_set(p, ERR_FORBIDDEN, NULL, NULL);
	r = store_begin(st);
	if (r < 0)
		return r;
	r = bs_config_load(st, &c);
	if (r == 0)
		r = bs_running(st, &running);
	if (r >= 0 && (c.requested_at > 0 || running > 0))
		r = problem_setf(p, ERR_CONFLICT, "backup_running", NULL,
		                 "a backup is already asked for or running");
	if (r >= 0)
		r = bs_config_request(st, clock_now(), a->user_id);
	if (r >= 0)
		r = audit_append(st, &ev);
	return store_end(st, r);
}

int backup_due(struct store *st, int64_t now, int64_t since, enum backup_trigger *ret_trigger)
{
	struct bs_config c;
	struct calendar cal;
	struct cron cr;
	const char *why;
	int64_t last = 0, next;
	int r;

	r = bs_config_load(st, &c);
	if (r < 0)
		return r;
	if (c.requested_at > 0) {
		*ret_trigger = BACKUP_MANUAL;
		return 1;
	}
	if (cron_parse(c.schedule, &cr, &why) < 0)
		return 0;
	r = bs_last_scheduled(st, &last);
	if (r < 0)
		return r;
	r = calendar_load(st, &cal, NULL);
	if (r < 0)
		return r;
	next = cron_next(&cr, last > since ? last : since, cal.utc_offset);
	if (next > 0 && next <= now) {
		*ret_trigger = BACKUP_SCHEDULE;
		return 1;
	}
	return 0;
}

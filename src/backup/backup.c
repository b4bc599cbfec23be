/*
 * backup.c: taking, verifying and pruning isms's own backups (backup.h; reading one back is
 * restore.c, the API's verbs backup_api.c).
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
#include "core/calendar.h"
#include "core/clock.h"
#include "core/cron.h"
#include "core/embedded.h"
#include "core/fs.h"
#include "core/log.h"
#include "core/util.h"
#include "org/org.h"
#include "store/calendar_store.h"
#include "store/store.h"

#define ZSTD_LEVEL 3

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

/* One read transaction (the store copies every page in one step): writers go on meanwhile. Taken
 * before the backup's own row is written, so a backup never holds its own row "running". */
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

		r = store_begin(st);
		if (r == 0)
			r = store_end(st,
			              audit_change(st, (struct audit_event){
			                                       .actor = a,
			                                       .action = "backup.prune",
			                                       .detail = json_incref(detail) }));
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
	struct calendar cal = { 0 };
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
	calendar_release(&cal);
	if (lock >= 0)
		close(lock);
	free(keyfile);
	free(keys);
	return r;
}

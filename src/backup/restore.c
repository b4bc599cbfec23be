/*
 * restore.c: reading a backup back (backup.h): extraction into a folder and the checks of a
 * verification (integrity_check, the audit chain, the row counts the backup recorded, the
 * attachments the database names), for the verification of every backup, isms backup verify
 * and isms backup restore.
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
#include "store/store.h"

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
	char *verifier = NULL;
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
	r = audit_verifier_load(keys, &verifier);
	if (r == 0)
		r = audit_verify(st, verifier, NULL, &res);
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
	free(verifier);
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
